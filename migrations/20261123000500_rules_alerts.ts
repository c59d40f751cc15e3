import type { Knex } from 'knex';

// Rule thresholds with their change history, evaluations, alerts and the review workflow.
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('rule_settings', (t) => {
    t.text('rule_id').primary(); // R01..R18
    t.boolean('enabled').notNullable().defaultTo(true);
    t.jsonb('params').notNullable(); // thresholds as decimal strings, grace periods, ...
    t.integer('version').notNullable().defaultTo(1);
    t.bigInteger('updated_by').references('users.id');
    t.timestamp('updated_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
  });
  await knex.schema.createTable('rule_setting_history', (t) => {
    t.bigIncrements('id');
    t.text('rule_id').notNullable().references('rule_settings.rule_id');
    t.integer('version').notNullable(); // the version this change produced
    t.jsonb('params_old');
    t.jsonb('params_new').notNullable();
    t.boolean('enabled_old');
    t.boolean('enabled_new').notNullable();
    t.bigInteger('changed_by').references('users.id');
    t.text('reason').notNullable();
    t.timestamp('changed_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.unique(['rule_id', 'version']);
  });
  await knex.schema.createTable('rule_evaluations', (t) => {
    t.bigIncrements('id');
    t.text('region_code').notNullable().references('regions.code');
    t.date('as_of').notNullable();
    t.jsonb('rule_versions').notNullable(); // { R01: 3, ... } the thresholds used
    t.text('trigger').notNullable();
    t.jsonb('summary');
    t.timestamp('started_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.timestamp('finished_at', { useTz: true });
  });
  await knex.schema.createTable('alerts', (t) => {
    t.bigIncrements('id');
    t.text('rule_id').notNullable();
    t.text('region_code').notNullable().references('regions.code');
    t.text('subject_type').notNullable(); // region | department | unit | indicator | project | bond | ...
    t.text('subject_key').notNullable();
    t.text('subject_name');
    t.text('period').notNullable(); // e.g. 2025, 2025-09, 2025Q3, 2025-09-30
    t.text('severity').notNullable(); // yellow | orange | red
    t.text('status').notNullable().defaultTo('new');
    t.jsonb('measured').notNullable(); // decimal strings
    t.jsonb('threshold').notNullable(); // decimal strings
    t.text('explanation').notNullable();
    t.jsonb('drill_link').notNullable(); // { route, query }
    t.integer('rule_version').notNullable();
    t.bigInteger('evaluation_id').references('rule_evaluations.id');
    t.text('assigned_agency_code');
    t.date('reply_deadline');
    t.timestamp('opened_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.timestamp('updated_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    // Set when the alert leaves the open set: closed by staff, dismissed, or cleared by the data.
    t.timestamp('closed_at', { useTz: true });
    t.check("severity in ('yellow','orange','red')", [], 'alerts_severity_check');
    t.check("status in ('new','confirmed','assigned','replied','closed','dismissed','cleared')", [], 'alerts_status_check');
    t.index(['region_code', 'status', 'severity']);
    t.index(['rule_id', 'period']);
  });
  // One open alert per rule × subject × period.
  await knex.raw(
    'create unique index alerts_open_unique on alerts (rule_id, region_code, subject_key, period) where closed_at is null',
  );
  await knex.schema.createTable('alert_events', (t) => {
    t.bigIncrements('id');
    t.bigInteger('alert_id').notNullable().references('alerts.id').onDelete('CASCADE');
    t.text('kind').notNullable(); // raised | updated | transition | cleared | reopened
    t.text('from_status');
    t.text('to_status');
    t.bigInteger('actor_id').references('users.id'); // null = the rules engine
    t.text('note');
    t.jsonb('data');
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.index(['alert_id', 'created_at']);
  });
  // 审议意见: deputies' and committee opinions on an alert or a department, with staff answers.
  await knex.schema.createTable('review_opinions', (t) => {
    t.bigIncrements('id');
    t.bigInteger('alert_id').references('alerts.id').onDelete('CASCADE');
    t.text('region_code').notNullable().references('regions.code');
    t.text('agency_code'); // when the opinion is on a department
    t.bigInteger('author_id').notNullable().references('users.id');
    t.text('body').notNullable();
    t.text('answer');
    t.bigInteger('answered_by').references('users.id');
    t.timestamp('answered_at', { useTz: true });
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.check('alert_id is not null or agency_code is not null', [], 'review_opinions_target_check');
    t.index(['alert_id']);
  });
}

export async function down(knex: Knex): Promise<void> {
  for (const table of ['review_opinions', 'alert_events', 'alerts', 'rule_evaluations', 'rule_setting_history', 'rule_settings']) {
    await knex.schema.dropTable(table);
  }
}
