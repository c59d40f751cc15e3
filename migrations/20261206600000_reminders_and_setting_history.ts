import type { Knex } from 'knex';

// Issue 14: the nightly reminder list of 交办 items past or near their 答复期限, and the
// history of a region's settings (the time-progress convention: who changed it, when, from what).
export async function up(knex: Knex): Promise<void> {
  // One row per night and alert: what that night's list said, kept so a list can be shown
  // (and exported) as it was sent, and a later change of deadline does not rewrite it.
  await knex.schema.createTable('reply_reminders', (t) => {
    t.bigIncrements('id');
    t.date('listed_on').notNullable();
    t.text('region_code').notNullable().references('regions.code');
    t.bigInteger('alert_id').notNullable().references('alerts.id').onDelete('CASCADE');
    t.text('agency_code').notNullable();
    t.date('reply_deadline').notNullable();
    /** Days from listed_on to the deadline: negative = overdue by that many days. */
    t.integer('days_left').notNullable();
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.unique(['listed_on', 'alert_id']);
    t.index(['region_code', 'listed_on']);
  });
  await knex.schema.createTable('region_setting_history', (t) => {
    t.bigIncrements('id');
    t.text('region_code').notNullable().references('regions.code');
    t.text('key').notNullable();
    t.jsonb('value_old');
    t.jsonb('value_new').notNullable();
    t.bigInteger('changed_by').references('users.id');
    t.timestamp('changed_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.index(['region_code', 'key', 'changed_at']);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('region_setting_history');
  await knex.schema.dropTable('reply_reminders');
}
