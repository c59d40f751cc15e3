import type { Knex } from 'knex';

// Each region's row count and control total per feed, kept by the loader in each bundle's
// transaction (etl/src/load/merge.ts, updateFeedTotals): the Data page reads them instead of
// counting every row of the feed tables (185 / 470 / 974 ms at 1M / 3.2M / 6.4M vouchers,
// issue #20). Filled for the rows already loaded by 20261207100200.
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('feed_totals', (t) => {
    t.text('region_code').notNullable().references('regions.code');
    t.text('feed').notNullable();
    t.bigInteger('rows').notNullable();
    // Null for a feed without a control amount.
    t.decimal('amount_sum', null);
    t.primary(['region_code', 'feed']);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('feed_totals');
}
