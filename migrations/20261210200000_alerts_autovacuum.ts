import type { Knex } from 'knex';

// The committee's alerts list counts a tree's open alerts by an index-only scan of
// alerts_open_region (20261208300100), which reads no heap page only where the visibility map
// says the page is all-visible. Each night the rules insert and update open alerts (a
// 176-region / 1M-voucher bench night: 12,033 updates over 182,000 alerts) and clear those
// pages' bits; at the default 20 % autovacuum waits for 36,000 dead rows, so for nights the
// count falls back to reading the 123 MB table (a parallel seq scan: 156 ms alone, p50 1.27 s
// for the 全辖 list under 8 connections) instead of a 1.6 MB index (29 ms, heap fetches 0).
// At 1 % of the table (updates, and inserts for a first night) autovacuum settles it within a
// naptime after the night's rules.
const SETTINGS = {
  autovacuum_vacuum_scale_factor: '0.01',
  autovacuum_vacuum_insert_scale_factor: '0.01',
  autovacuum_analyze_scale_factor: '0.02',
};

export async function up(knex: Knex): Promise<void> {
  await knex.raw(`alter table alerts set (${Object.entries(SETTINGS).map(([k, v]) => `${k} = ${v}`).join(', ')})`);
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw(`alter table alerts reset (${Object.keys(SETTINGS).join(', ')})`);
}
