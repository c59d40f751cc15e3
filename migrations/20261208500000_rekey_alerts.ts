import type { Knex } from 'knex';
import { keyById, keyByRegion, type ForeignKey } from './lib/region-keys.js';

// Issue 20 item 3 (docs/SCALE-OUT.md): `alerts` and `rule_evaluations` are keyed by
// (region_code, id) like the tables distributed with them, and every foreign key to them
// names the region, so a row and its parent sit on the same shard. Both tables and every row
// that refers to them carry `region_code` already (an alert's events, opinions, liaison
// replies and reminders copy it from the alert; an alert has its evaluation's region), so
// only the keys change, and a row whose region differed from its parent's would stop the
// migration rather than be changed.

const FOREIGN_KEYS: ForeignKey[] = [
  { table: 'alerts', name: 'alerts_evaluation_id_foreign', columns: ['evaluation_id'], parent: 'rule_evaluations', parentColumns: ['id'] },
  ...['alert_events', 'review_opinions', 'liaison_replies', 'reply_reminders'].map((table): ForeignKey => (
    { table, name: `${table}_alert_id_foreign`, columns: ['alert_id'], parent: 'alerts', parentColumns: ['id'], onDelete: 'cascade' }
  )),
];
const TABLES = ['rule_evaluations', 'alerts'];

export async function up(knex: Knex): Promise<void> {
  await keyByRegion(knex, TABLES, FOREIGN_KEYS);
  // An alert's events are read by region and alert now.
  await knex.raw('drop index alert_events_alert_id_created_at_index');
  await knex.raw('create index alert_events_alert_id_created_at_index on alert_events (region_code, alert_id, created_at)');
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('drop index alert_events_alert_id_created_at_index');
  await knex.raw('create index alert_events_alert_id_created_at_index on alert_events (alert_id, created_at)');
  await keyById(knex, TABLES, FOREIGN_KEYS);
}
