import type { Knex } from 'knex';
import { keyById, keyByRegion } from './lib/region-keys.js';

// Issue 20 item 3 (docs/SCALE-OUT.md): the archived quarterly reports are keyed by
// (region_code, id), so a report sits on its region's shard and /reports/411100-42 reads it
// there. Every report has its region already and nothing refers to a report, so only the key changes.

export async function up(knex: Knex): Promise<void> {
  await keyByRegion(knex, ['reports'], []);
}

export async function down(knex: Knex): Promise<void> {
  await keyById(knex, ['reports'], []);
}
