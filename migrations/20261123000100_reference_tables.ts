import type { Knex } from 'knex';

// Code tables and the region hierarchy every other row hangs from.
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('regions', (t) => {
    t.text('code').primary(); // 6-digit 行政区划代码
    t.text('name').notNullable();
    t.text('level').notNullable(); // province | city | county
    t.text('parent_code').references('regions.code');
    t.check("level in ('province','city','county')", [], 'regions_level_check');
    t.check("code ~ '^[0-9]{6}$'", [], 'regions_code_check');
    t.index(['parent_code']);
  });
  await knex.schema.createTable('fund_types', (t) => {
    t.text('code').primary(); // 1..4, also the budget_type of revenues
    t.text('name').notNullable();
  });
  await knex.schema.createTable('func_classes', (t) => {
    t.text('code').primary(); // 3/5/7 digits = 类/款/项
    t.text('name').notNullable();
    t.smallint('level').notNullable();
    t.text('parent_code').references('func_classes.code');
    t.check('level in (1,2,3)', [], 'func_classes_level_check');
  });
  await knex.schema.createTable('econ_classes', (t) => {
    t.text('code').primary(); // 3/5 digits = 类/款
    t.text('name').notNullable();
    t.smallint('level').notNullable();
    t.text('parent_code').references('econ_classes.code');
    t.check('level in (1,2)', [], 'econ_classes_level_check');
  });
  await knex.schema.createTable('revenue_classes', (t) => {
    t.text('code').primary();
    t.text('name').notNullable();
    t.smallint('level').notNullable();
    t.text('parent_code').references('revenue_classes.code');
  });
}

export async function down(knex: Knex): Promise<void> {
  for (const table of ['revenue_classes', 'econ_classes', 'func_classes', 'fund_types', 'regions']) {
    await knex.schema.dropTable(table);
  }
}
