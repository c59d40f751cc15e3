import type { Knex } from 'knex';

// Issue 14, 部门联络员: a department's liaison logs in, sees only the alerts (and opinions)
// assigned to its agencies, and answers with text and attachments that staff accept or send
// back. Attachments live in PostgreSQL (bytea), each row carrying its region: every read names
// the reader's regions, so a file never leaves its region.
export async function up(knex: Knex): Promise<void> {
  await knex('roles').insert({ key: 'liaison', name: '部门联络员', description: '只看交办给本部门的预警与意见，提交答复和附件' });
  // No foreign key to agencies: a full-state agencies delivery may move a row to
  // superseded_rows; the binding outlives that, and the users route checks codes on write.
  await knex.schema.createTable('user_agencies', (t) => {
    t.bigInteger('user_id').notNullable().references('users.id').onDelete('CASCADE');
    t.text('region_code').notNullable().references('regions.code');
    t.text('agency_code').notNullable();
    t.primary(['user_id', 'region_code', 'agency_code']);
    t.index(['region_code', 'agency_code']);
  });
  await knex.schema.createTable('liaison_replies', (t) => {
    t.bigIncrements('id');
    t.text('region_code').notNullable().references('regions.code');
    t.text('agency_code').notNullable();
    t.bigInteger('alert_id').references('alerts.id').onDelete('CASCADE');
    t.bigInteger('opinion_id').references('review_opinions.id').onDelete('CASCADE');
    t.bigInteger('author_id').notNullable().references('users.id');
    t.text('body').notNullable();
    t.text('status').notNullable().defaultTo('submitted');
    t.bigInteger('reviewed_by').references('users.id');
    t.timestamp('reviewed_at', { useTz: true });
    t.text('review_note');
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.check("status in ('submitted','accepted','returned')", [], 'liaison_replies_status_check');
    t.check('(alert_id is null) <> (opinion_id is null)', [], 'liaison_replies_target_check');
    t.index(['region_code', 'status']);
    t.index(['alert_id']);
    t.index(['opinion_id']);
  });
  await knex.schema.createTable('reply_attachments', (t) => {
    t.bigIncrements('id');
    t.text('region_code').notNullable().references('regions.code');
    t.bigInteger('reply_id').notNullable().references('liaison_replies.id').onDelete('CASCADE');
    t.text('filename').notNullable();
    t.text('content_type').notNullable();
    t.integer('size').notNullable();
    t.text('sha256').notNullable();
    t.binary('content').notNullable();
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.index(['region_code', 'reply_id']);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('reply_attachments');
  await knex.schema.dropTable('liaison_replies');
  await knex.schema.dropTable('user_agencies');
  await knex('users').where({ role: 'liaison' }).delete();
  await knex('roles').where({ key: 'liaison' }).delete();
}
