import type { Knex } from 'knex';

// ETL runs, delivery batches (one bundle = one batch), per-file control totals,
// quarantined rows and superseded row versions: the lineage every loaded row points to.
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('etl_runs', (t) => {
    t.bigIncrements('id');
    t.text('trigger').notNullable(); // schedule | cli | api | startup
    t.text('region_code').references('regions.code');
    t.date('business_date');
    t.text('status').notNullable().defaultTo('running'); // running | succeeded | failed
    t.jsonb('summary');
    t.text('error');
    t.text('started_by');
    t.timestamp('started_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.timestamp('finished_at', { useTz: true });
    t.check("status in ('running','succeeded','failed')", [], 'etl_runs_status_check');
    t.index(['started_at']);
  });
  await knex.schema.createTable('batches', (t) => {
    t.bigIncrements('id');
    t.bigInteger('etl_run_id').references('etl_runs.id');
    t.text('region_code').notNullable().references('regions.code');
    t.date('business_date').notNullable();
    t.text('source').notNullable(); // inbox | sql | demo
    t.text('location'); // folder path or source name
    t.text('content_hash'); // of all files: a repeated delivery is recognised
    t.jsonb('manifest');
    t.text('status').notNullable().defaultTo('loading'); // loading | committed | rejected
    t.text('reject_reason');
    t.timestamp('received_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.timestamp('committed_at', { useTz: true });
    t.check("status in ('loading','committed','rejected')", [], 'batches_status_check');
    t.index(['region_code', 'business_date']);
  });
  await knex.schema.createTable('batch_files', (t) => {
    t.bigIncrements('id');
    t.bigInteger('batch_id').notNullable().references('batches.id').onDelete('CASCADE');
    t.text('feed').notNullable();
    t.text('file_name').notNullable();
    t.text('encoding');
    t.integer('rows_read').notNullable().defaultTo(0);
    t.integer('rows_loaded').notNullable().defaultTo(0);
    t.integer('rows_quarantined').notNullable().defaultTo(0);
    t.decimal('amount_sum', 18, 2);
    t.unique(['batch_id', 'feed']);
  });
  await knex.schema.createTable('quarantine', (t) => {
    t.bigIncrements('id');
    t.bigInteger('batch_id').notNullable().references('batches.id').onDelete('CASCADE');
    t.text('feed').notNullable();
    t.text('file_name').notNullable();
    t.integer('line_no').notNullable(); // 1-based line of the source file (header = 1)
    t.text('column_name');
    t.text('reason').notNullable();
    t.jsonb('raw').notNullable(); // the row as read, nothing lost
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.index(['batch_id']);
  });
  // The previous version of a row a later bundle corrected, kept whole.
  await knex.schema.createTable('superseded_rows', (t) => {
    t.bigIncrements('id');
    t.text('feed').notNullable();
    t.text('region_code').notNullable();
    t.text('natural_key').notNullable();
    t.jsonb('row').notNullable();
    t.bigInteger('batch_id').notNullable(); // the batch the old version came from
    t.bigInteger('superseded_by_batch_id').notNullable().references('batches.id');
    t.timestamp('superseded_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.index(['feed', 'region_code', 'natural_key']);
  });
}

export async function down(knex: Knex): Promise<void> {
  for (const table of ['superseded_rows', 'quarantine', 'batch_files', 'batches', 'etl_runs']) {
    await knex.schema.dropTable(table);
  }
}
