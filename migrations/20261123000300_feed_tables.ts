import type { Knex } from 'knex';

// One table per feed of DATA-INTERFACE.md, holding the current version of each row.
// Every row records its bundle (batch_id) and source line; corrected versions move to
// superseded_rows. Amounts are numeric(18,2); codes are text.

function lineage(t: Knex.CreateTableBuilder, withForeignKeys = true): void {
  if (withForeignKeys) {
    t.text('region_code').notNullable().references('regions.code');
    t.bigInteger('batch_id').notNullable().references('batches.id');
  } else {
    t.text('region_code').notNullable();
    t.bigInteger('batch_id').notNullable();
  }
  t.integer('source_line').notNullable();
}

export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('agencies', (t) => {
    lineage(t);
    t.text('agency_code').notNullable();
    t.text('agency_name').notNullable();
    t.text('parent_code'); // empty for a department (主管部门) itself
    t.text('agency_type');
    t.primary(['region_code', 'agency_code']);
    t.index(['region_code', 'parent_code']);
  });

  await knex.schema.createTable('budget_indicators', (t) => {
    lineage(t);
    t.text('indicator_no').notNullable();
    t.text('doc_no');
    t.smallint('fiscal_year').notNullable();
    t.text('agency_code').notNullable();
    t.text('dept_code').notNullable(); // the unit's department, resolved by the loader
    t.text('func_code').notNullable();
    t.text('econ_code');
    t.text('fund_type').notNullable();
    t.text('project_code');
    t.text('project_name');
    t.text('indicator_kind').notNullable();
    t.decimal('amount', 18, 2).notNullable();
    t.date('issued_on').notNullable();
    t.primary(['region_code', 'indicator_no']);
    t.index(['region_code', 'fiscal_year', 'dept_code', 'agency_code']);
    t.index(['region_code', 'fiscal_year', 'func_code']);
  });

  // The big one (millions of rows): no foreign keys, so bulk merges stay fast; the
  // loader validates region and agency per bundle/row instead.
  await knex.schema.createTable('payment_vouchers', (t) => {
    lineage(t, false);
    t.text('voucher_no').notNullable();
    t.smallint('fiscal_year').notNullable();
    t.date('pay_date').notNullable();
    t.text('agency_code').notNullable();
    t.text('dept_code').notNullable();
    t.text('indicator_no'); // empty or unknown is a finding (R03), not a data error
    t.text('func_code').notNullable();
    t.text('econ_code').notNullable();
    t.text('fund_type').notNullable();
    t.text('project_code');
    t.text('payee_name').notNullable();
    t.text('payee_account');
    t.text('pay_method');
    t.text('purpose');
    t.decimal('amount', 18, 2).notNullable();
    t.primary(['region_code', 'voucher_no']);
    // Drill-down path: region → department → unit → function class → indicator → voucher by date.
    t.index(['region_code', 'dept_code', 'pay_date', 'voucher_no'], 'payment_vouchers_dept_date_idx');
    t.index(['region_code', 'agency_code', 'pay_date', 'voucher_no'], 'payment_vouchers_agency_date_idx');
    t.index(['region_code', 'func_code', 'pay_date'], 'payment_vouchers_func_date_idx');
    t.index(['region_code', 'indicator_no', 'pay_date'], 'payment_vouchers_indicator_date_idx');
    t.index(['region_code', 'pay_date', 'voucher_no'], 'payment_vouchers_date_idx');
  });

  await knex.schema.createTable('revenues', (t) => {
    lineage(t);
    t.smallint('fiscal_year').notNullable();
    t.smallint('month').notNullable();
    t.text('budget_type').notNullable();
    t.text('revenue_code').notNullable();
    t.text('revenue_name');
    t.decimal('budget_amount', 18, 2);
    t.decimal('amount', 18, 2).notNullable();
    t.primary(['region_code', 'fiscal_year', 'month', 'budget_type', 'revenue_code']);
    t.check('month between 1 and 12', [], 'revenues_month_check');
  });

  await knex.schema.createTable('audit_findings', (t) => {
    lineage(t);
    t.text('finding_no').notNullable();
    t.smallint('audit_year').notNullable();
    t.text('audit_project').notNullable();
    t.text('agency_code').notNullable();
    t.text('category').notNullable();
    t.text('description').notNullable();
    t.decimal('amount_involved', 18, 2);
    t.date('rectify_deadline').notNullable();
    t.text('status').notNullable(); // 未整改 / 整改中 / 已整改
    t.decimal('rectified_amount', 18, 2);
    t.date('closed_on');
    t.primary(['region_code', 'finding_no']);
    t.index(['region_code', 'agency_code', 'category']);
  });

  await knex.schema.createTable('debt_bonds', (t) => {
    lineage(t);
    t.text('bond_code').notNullable();
    t.text('bond_name').notNullable();
    t.text('bond_type').notNullable(); // 一般债券 / 专项债券
    t.text('purpose'); // 新增 / 再融资
    t.date('issue_date').notNullable();
    t.date('maturity_date').notNullable();
    t.decimal('coupon_rate', 8, 4).notNullable(); // percent
    t.decimal('amount', 18, 2).notNullable();
    t.primary(['region_code', 'bond_code']);
  });

  await knex.schema.createTable('debt_repayments', (t) => {
    lineage(t);
    t.text('bond_code').notNullable();
    t.date('due_date').notNullable();
    t.decimal('principal', 18, 2).notNullable();
    t.decimal('interest', 18, 2).notNullable();
    t.date('paid_on');
    t.decimal('paid_amount', 18, 2);
    t.primary(['region_code', 'bond_code', 'due_date']);
    t.index(['region_code', 'due_date']);
  });

  await knex.schema.createTable('debt_limits', (t) => {
    lineage(t);
    t.smallint('fiscal_year').notNullable();
    t.decimal('general_limit', 18, 2).notNullable();
    t.decimal('special_limit', 18, 2).notNullable();
    t.decimal('general_balance', 18, 2).notNullable();
    t.decimal('special_balance', 18, 2).notNullable();
    t.decimal('fiscal_capacity', 18, 2).notNullable();
    t.primary(['region_code', 'fiscal_year']);
  });

  await knex.schema.createTable('state_asset_reports', (t) => {
    lineage(t);
    t.smallint('report_year').notNullable();
    t.text('entity_code').notNullable();
    t.text('entity_name').notNullable();
    t.text('asset_category').notNullable(); // 企业 / 金融企业 / 行政事业 / 自然资源
    t.text('industry');
    t.decimal('total_assets', 18, 2).notNullable();
    t.decimal('total_liabilities', 18, 2).notNullable();
    t.decimal('operating_revenue', 18, 2);
    t.decimal('net_profit', 18, 2);
    t.primary(['region_code', 'report_year', 'entity_code']);
  });

  await knex.schema.createTable('asset_cards', (t) => {
    lineage(t);
    t.text('asset_no').notNullable();
    t.text('agency_code').notNullable();
    t.text('asset_name').notNullable();
    t.text('asset_class').notNullable(); // 房屋 / 土地 / 车辆 / 设备 / 其他
    t.decimal('original_value', 18, 2).notNullable();
    t.decimal('net_value', 18, 2);
    t.text('status').notNullable(); // 在用 / 闲置 / 出租出借 / 待处置
    t.date('status_since').notNullable();
    t.primary(['region_code', 'asset_no']);
    t.index(['region_code', 'status']);
  });
}

export async function down(knex: Knex): Promise<void> {
  for (const table of [
    'asset_cards', 'state_asset_reports', 'debt_limits', 'debt_repayments', 'debt_bonds',
    'audit_findings', 'revenues', 'payment_vouchers', 'budget_indicators', 'agencies',
  ]) {
    await knex.schema.dropTable(table);
  }
}
