import type { Knex } from 'knex';

// A stable code beside each Chinese reason (etl/src/codes.ts): batches.reject_code for a
// rejected bundle, quarantine.reason_code for a quarantined row. Programs and tests branch on
// the code, people read the text. Null on rows recorded before codes existed that the next
// migration could not match to one.
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('batches', (t) => {
    t.text('reject_code');
  });
  await knex.schema.alterTable('quarantine', (t) => {
    t.text('reason_code');
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('quarantine', (t) => {
    t.dropColumn('reason_code');
  });
  await knex.schema.alterTable('batches', (t) => {
    t.dropColumn('reject_code');
  });
}
