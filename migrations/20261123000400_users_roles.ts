import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('roles', (t) => {
    t.text('key').primary(); // staff | deputy | admin
    t.text('name').notNullable();
    t.text('description');
  });
  await knex.schema.createTable('users', (t) => {
    t.bigIncrements('id');
    t.text('username').notNullable().unique();
    t.text('display_name').notNullable();
    t.text('password_hash').notNullable();
    t.text('role').notNullable().references('roles.key');
    t.text('region_code').notNullable().references('regions.code'); // sees this region and below
    t.boolean('active').notNullable().defaultTo(true);
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.timestamp('password_changed_at', { useTz: true });
    t.timestamp('last_login_at', { useTz: true });
  });
  await knex.schema.createTable('sessions', (t) => {
    t.text('token_hash').primary(); // sha-256 of the cookie value; the raw token is never stored
    t.bigInteger('user_id').notNullable().references('users.id').onDelete('CASCADE');
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.timestamp('expires_at', { useTz: true }).notNullable();
    t.index(['user_id']);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('sessions');
  await knex.schema.dropTable('users');
  await knex.schema.dropTable('roles');
}
