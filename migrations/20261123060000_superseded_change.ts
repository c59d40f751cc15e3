import type { Knex } from 'knex';

// What happened to a row version kept in superseded_rows: 'replaced' by a later bundle's
// version of the same key (every row kept before this migration), or 'removed' because a
// later full-state file of a reference feed (agencies, debt_limits, state_asset_reports) no
// longer lists its key.
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('superseded_rows', (t) => {
    t.text('change').notNullable().defaultTo('replaced');
    t.check("change in ('replaced','removed')", [], 'superseded_rows_change_check');
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('superseded_rows', (t) => {
    t.dropColumn('change'); // takes its check constraint with it
  });
}
