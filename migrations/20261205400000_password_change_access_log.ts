import type { Knex } from 'knex';

// Issue 14, users: a password an admin set (new user, reset) is known to two people, so its
// owner must replace it before doing anything else; and every login attempt is recorded for
// the admins' access log (who, from where, when, and the failures).
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('users', (t) => {
    t.boolean('must_change_password').notNullable().defaultTo(false);
  });
  await knex.schema.createTable('access_log', (t) => {
    t.bigIncrements('id');
    t.timestamp('at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.text('username').notNullable(); // as typed (normalised), also when no such user exists
    t.bigInteger('user_id').references('users.id').onDelete('SET NULL');
    // The user's region at the time, so an admin sees the attempts on accounts of their regions;
    // null for an unknown username (only an admin of a top-level region sees those).
    t.text('region_code').references('regions.code');
    t.text('ip');
    t.text('user_agent');
    t.text('outcome').notNullable();
    t.check("outcome in ('success','bad_password','unknown_user','inactive')", [], 'access_log_outcome_check');
    t.index(['at']);
    t.index(['region_code', 'at']);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('access_log');
  await knex.schema.alterTable('users', (t) => {
    t.dropColumn('must_change_password');
  });
}
