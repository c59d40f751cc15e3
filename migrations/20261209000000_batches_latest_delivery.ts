import type { Knex } from 'knex';

// Every drill-down request resolves each region's latest committed delivery (its 数据截至):
// one max(business_date) per region of the scope, 176 for a province's 全辖. A year of daily
// bundles is ~365 batches per region; with this index each max is one index-only probe.
export async function up(knex: Knex): Promise<void> {
  await knex.raw(`create index batches_latest_delivery on batches (region_code, business_date) where status = 'committed'`);
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('drop index if exists batches_latest_delivery');
}
