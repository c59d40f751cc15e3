import type { Knex } from 'knex';
import { keyById, keyByRegion, type ForeignKey } from './lib/region-keys.js';

// Issue 20 item 3 (docs/SCALE-OUT.md): `batches` and `superseded_rows` are keyed by
// (region_code, id), and every foreign key to a batch names the region: a bundle is one
// region's delivery, so its batch sits on that region's shard with the rows it loaded, their
// files, quarantined lines, touched days and superseded versions. Every table involved
// carries `region_code` already (a row has its bundle's region), so only the keys change; a
// row whose region differed from its batch's would stop the migration rather than be changed.

const FEEDS = [
  'agencies', 'budget_indicators', 'revenues', 'audit_findings', 'debt_bonds', 'debt_repayments', 'debt_limits',
  'state_asset_reports', 'asset_cards', 'performance_targets', 'transfer_payments', 'budget_drafts',
];
const toBatch = (table: string, column = 'batch_id', onDelete?: 'cascade'): ForeignKey => (
  { table, name: `${table}_${column}_foreign`, columns: [column], parent: 'batches', parentColumns: ['id'], onDelete }
);
const FOREIGN_KEYS: ForeignKey[] = [
  ...FEEDS.map((t) => toBatch(t)),
  ...['batch_files', 'quarantine', 'batch_days'].map((t) => toBatch(t, 'batch_id', 'cascade')),
  toBatch('superseded_rows', 'superseded_by_batch_id'),
];
const TABLES = ['batches', 'superseded_rows'];

export async function up(knex: Knex): Promise<void> {
  await keyByRegion(knex, TABLES, FOREIGN_KEYS);
  // The loader's "committed, post-load not done" list names the region with the batch now.
  await knex.raw('drop index batches_post_load_pending');
  await knex.raw(`create index batches_post_load_pending on batches (region_code, id) where status = 'committed' and post_loaded_at is null`);
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('drop index batches_post_load_pending');
  await knex.raw(`create index batches_post_load_pending on batches (id) where status = 'committed' and post_loaded_at is null`);
  await keyById(knex, TABLES, FOREIGN_KEYS);
}
