import type { Knex } from 'knex';
import { keyById, keyByRegion, type ForeignKey } from './lib/region-keys.js';

// Issue 20 item 3 (docs/SCALE-OUT.md): the review module's tables — findings of the checks on
// a budget document, 审议意见 and the archived 初审意见 — are keyed by (region_code, id) like
// the rest of a region's rows, and the two foreign keys to them (an opinion's finding, a
// liaison reply's opinion) name the region. Every row has its region already (an opinion on
// a finding or alert was written with its region; a reply with its opinion's), so only the
// keys change, and a row whose region differed from its parent's would stop the migration
// rather than be changed. An archived document's finding_ids stay ids: they are its region's.

const FOREIGN_KEYS: ForeignKey[] = [
  { table: 'review_opinions', name: 'review_opinions_review_finding_id_foreign', columns: ['review_finding_id'], parent: 'review_findings', parentColumns: ['id'], onDelete: 'cascade' },
  { table: 'liaison_replies', name: 'liaison_replies_opinion_id_foreign', columns: ['opinion_id'], parent: 'review_opinions', parentColumns: ['id'], onDelete: 'cascade' },
];
const TABLES = ['review_findings', 'review_opinions', 'review_opinion_docs'];
// The indexes behind those keys (a finding's opinions, an opinion's replies) lead with the region too.
const INDEXES = [
  { name: 'review_opinions_review_finding_id_index', table: 'review_opinions', column: 'review_finding_id' },
  { name: 'liaison_replies_opinion_id_index', table: 'liaison_replies', column: 'opinion_id' },
];

export async function up(knex: Knex): Promise<void> {
  await keyByRegion(knex, TABLES, FOREIGN_KEYS);
  for (const i of INDEXES) {
    await knex.raw('drop index ??', [i.name]);
    await knex.raw('create index ?? on ?? (region_code, ??)', [i.name, i.table, i.column]);
  }
}

export async function down(knex: Knex): Promise<void> {
  for (const i of INDEXES) {
    await knex.raw('drop index ??', [i.name]);
    await knex.raw('create index ?? on ?? (??)', [i.name, i.table, i.column]);
  }
  await keyById(knex, TABLES, FOREIGN_KEYS);
}
