import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  // Generated quarterly reports, archived with the batches they were built from.
  await knex.schema.createTable('reports', (t) => {
    t.bigIncrements('id');
    t.text('region_code').notNullable().references('regions.code');
    t.text('quarter').notNullable(); // 2025Q3
    t.date('as_of').notNullable();
    t.specificType('batch_ids', 'bigint[]').notNullable();
    t.text('file_name').notNullable();
    t.binary('content').notNullable(); // the .docx bytes: PostgreSQL is the only store
    t.text('content_hash').notNullable();
    t.integer('size_bytes').notNullable();
    t.bigInteger('generated_by').references('users.id');
    t.timestamp('generated_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.index(['region_code', 'quarter']);
  });
  // Where deliveries come from (admin-managed): a drop folder or a SQL source per region.
  await knex.schema.createTable('data_sources', (t) => {
    t.bigIncrements('id');
    t.text('region_code').notNullable().references('regions.code');
    t.text('kind').notNullable(); // inbox | sql
    t.jsonb('config').notNullable();
    t.boolean('enabled').notNullable().defaultTo(true);
    t.timestamp('updated_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.check("kind in ('inbox','sql')", [], 'data_sources_kind_check');
  });
  // Small typed settings (schedule, time-progress convention, ...), editable by admins.
  await knex.schema.createTable('app_settings', (t) => {
    t.text('key').primary();
    t.jsonb('value').notNullable();
    t.bigInteger('updated_by').references('users.id');
    t.timestamp('updated_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('app_settings');
  await knex.schema.dropTable('data_sources');
  await knex.schema.dropTable('reports');
}
