import type { Knex } from 'knex';

// Rule settings and the time-progress convention belong to a region (issue 13): a region's
// rules inherit from the level above unless it overrides them. rule_settings rows with no
// region are the defaults every region starts from; a row with a region is that region's
// override. Versions stay numbered per rule across regions, so (rule_id, version) still names
// one history row, and rule_evaluations.rule_versions / alerts.rule_version keep meaning.
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('rule_setting_history', (t) => {
    t.dropForeign(['rule_id']);
  });
  await knex.raw('alter table rule_settings drop constraint rule_settings_pkey');
  await knex.schema.alterTable('rule_settings', (t) => {
    t.bigIncrements('id').primary();
    t.text('region_code').references('regions.code');
  });
  await knex.raw("create unique index rule_settings_rule_region on rule_settings (rule_id, (coalesce(region_code, '')))");
  await knex.schema.alterTable('rule_setting_history', (t) => {
    t.text('region_code').references('regions.code'); // null = the defaults
  });
  // 时序进度 per region; app_settings keeps the default for regions that set none.
  await knex.schema.createTable('region_settings', (t) => {
    t.text('region_code').notNullable().references('regions.code');
    t.text('key').notNullable();
    t.jsonb('value').notNullable();
    t.bigInteger('updated_by').references('users.id');
    t.timestamp('updated_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.primary(['region_code', 'key']);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('region_settings');
  await knex('rule_settings').whereNotNull('region_code').delete();
  await knex('rule_setting_history').whereNotNull('region_code').delete();
  await knex.schema.alterTable('rule_setting_history', (t) => t.dropColumn('region_code'));
  await knex.raw('drop index rule_settings_rule_region');
  await knex.schema.alterTable('rule_settings', (t) => {
    t.dropColumn('region_code');
    t.dropColumn('id');
  });
  await knex.raw('alter table rule_settings add primary key (rule_id)');
  await knex.schema.alterTable('rule_setting_history', (t) => t.foreign('rule_id').references('rule_settings.rule_id'));
}
