import type { Knex } from 'knex';
import { keyById, keyByRegion, type ForeignKey } from './lib/region-keys.js';

// Issue 20 item 3 (docs/SCALE-OUT.md): the 交办 loop's rows — a liaison's replies, their files
// and the nightly reminder lists — are keyed by (region_code, id); a file refers to its reply
// through the region, and a reminder is unique per night, region and alert. Every row has its
// alert's (or opinion's) region already, so only the keys change. A reply's opinion stays a
// reference by id while review_opinions is keyed by id (a known exception).

const ATTACHMENT_REPLY: ForeignKey = {
  table: 'reply_attachments', name: 'reply_attachments_reply_id_foreign', columns: ['reply_id'], parent: 'liaison_replies', parentColumns: ['id'], onDelete: 'cascade',
};
const TABLES = ['liaison_replies', 'reply_attachments', 'reply_reminders'];

export async function up(knex: Knex): Promise<void> {
  await keyByRegion(knex, TABLES, [ATTACHMENT_REPLY]);
  await knex.schema.alterTable('reply_reminders', (t) => {
    t.dropUnique(['listed_on', 'alert_id']);
    t.unique(['listed_on', 'region_code', 'alert_id']);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('reply_reminders', (t) => {
    t.dropUnique(['listed_on', 'region_code', 'alert_id']);
    t.unique(['listed_on', 'alert_id']);
  });
  await keyById(knex, TABLES, [ATTACHMENT_REPLY]);
}
