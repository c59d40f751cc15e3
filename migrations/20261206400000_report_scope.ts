import type { Knex } from 'knex';

// A quarterly report is of a region's own budget (本级, 'self') or of the region with every
// region under it (全辖, 'all'). Reports archived before this were 本级 figures.
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('reports', (t) => {
    t.text('scope').notNullable().defaultTo('self');
    t.check("scope in ('self','all')", [], 'reports_scope_check');
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('reports', (t) => {
    t.dropChecks('reports_scope_check');
    t.dropColumn('scope');
  });
}
