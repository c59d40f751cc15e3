import type { Knex } from 'knex';

// Issue 19 item 5: every 全辖 answer asks which regions of the tree have delivered the
// transfer_payments feed (what its transfers can be netted with). A year of daily bundles
// is ~365 × 10 batch_files rows per region; with this index each region is one probe, not a
// scan of its whole delivery history (176 regions: ~640,000 rows).
export async function up(knex: Knex): Promise<void> {
  await knex.raw('create index batch_files_region_feed on batch_files (region_code, feed)');
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('drop index if exists batch_files_region_feed');
}
