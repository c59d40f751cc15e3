import type { Knex } from 'knex';

// Issue 17, scan-to-log-in. A session now says how it began (password, a device enrolled by a
// login code, a screen confirmed from a phone) and on which device, so a user's page can list
// the long-lived phone sessions and revoke one by id. Login codes (enrolment QR, big-screen QR)
// keep only the sha-256 of their token, like sessions.
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('sessions', (t) => {
    t.bigIncrements('id', { primaryKey: false }).unique();
    t.text('kind').notNullable().defaultTo('password');
    t.text('device_name');
    t.text('ip');
    t.text('user_agent');
    t.check("kind in ('password','device','screen')", [], 'sessions_kind_check');
  });
  await knex.schema.createTable('login_codes', (t) => {
    t.bigIncrements('id');
    t.text('kind').notNullable();
    t.text('token_hash').notNullable().unique();
    // enrol: whose code it is; screen: who confirmed it on their phone (null while pending).
    t.bigInteger('user_id').references('users.id').onDelete('CASCADE');
    t.bigInteger('issued_by').references('users.id').onDelete('SET NULL');
    // screen: the sha-256 of the secret only the requesting screen holds (its poll cookie), so a
    // photo of the QR lets nobody else collect the session.
    t.text('poll_hash').unique();
    t.text('device_name');
    t.text('ip');
    t.text('user_agent');
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.timestamp('expires_at', { useTz: true }).notNullable();
    t.timestamp('confirmed_at', { useTz: true });
    t.timestamp('denied_at', { useTz: true });
    t.timestamp('used_at', { useTz: true });
    t.check("kind in ('enrol','screen')", [], 'login_codes_kind_check');
    t.check("kind = 'screen' or user_id is not null", [], 'login_codes_enrol_user_check');
    t.index(['user_id', 'created_at']);
    t.index(['expires_at']);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('login_codes');
  await knex.schema.alterTable('sessions', (t) => {
    t.dropChecks(['sessions_kind_check']);
    t.dropColumns('id', 'kind', 'device_name', 'ip', 'user_agent');
  });
}
