import type { Knex } from 'knex';
import type { Finding, RuleContext, RuleDefinition } from '../rules/define-rule.js';
import { timeProgress, type TimeProgressConvention } from '../rules/time-progress.js';
import { stageVoucherFacts, VOUCHER_FACTS } from '../rules/voucher-facts.js';

/**
 * Hand-made feed rows for rule tests: each call writes one committed batch for the region
 * and fills the columns a test does not care about. Amounts are decimal strings.
 */
export const REGION = '411100';
export const COUNTY = '411121';

type Row = Record<string, unknown>;

export interface Rows {
  agencies?: Row[];
  indicators?: Row[];
  vouchers?: Row[];
  revenues?: Row[];
  findings?: Row[];
  bonds?: Row[];
  repayments?: Row[];
  limits?: Row[];
  reports?: Row[];
  assets?: Row[];
  targets?: Row[];
  transfers?: Row[];
}

/**
 * One department D1 农业农村局 with one unit U1 that has paid 60 % of its 1,000,000.00 indicator:
 * evaluated as of 2025-12-31 it raises R01 (支出进度滞后) for the unit and the department.
 */
export const BEHIND_SCHEDULE_ROWS: Rows = {
  agencies: [{ agency_code: 'D1', agency_name: '农业农村局' }, { agency_code: 'U1', agency_name: '农业技术推广中心', parent_code: 'D1' }],
  indicators: [{ indicator_no: 'I1', agency_code: 'U1', dept_code: 'D1', amount: '1000000.00' }],
  vouchers: [{ agency_code: 'U1', dept_code: 'D1', indicator_no: 'I1', amount: '600000.00' }],
};

const FEED_TABLES = [
  'payment_vouchers', 'budget_indicators', 'agencies', 'revenues', 'audit_findings', 'debt_repayments', 'debt_bonds',
  'debt_limits', 'state_asset_reports', 'asset_cards', 'performance_targets', 'transfer_payments',
];

/** Empties the feed tables and the alerts (between test cases of one file). */
export async function resetRows(knex: Knex): Promise<void> {
  await knex.raw(`truncate ${[...FEED_TABLES, 'alert_events', 'review_opinions', 'alerts', 'rule_evaluations'].join(', ')} cascade`);
}

let seq = 0;

export async function insertRows(knex: Knex, rows: Rows, region = REGION): Promise<void> {
  const [{ id: batchId }] = await knex('batches')
    .insert({ region_code: region, business_date: '2025-09-30', source: 'inbox', location: 'test', status: 'committed', committed_at: knex.fn.now() })
    .returning('id');
  const lineage = () => ({ region_code: region, batch_id: batchId, source_line: ++seq });
  const put = async (table: string, list: Row[] | undefined, fill: (r: Row) => Row) => {
    if (list && list.length) await knex.batchInsert(table, list.map((r) => ({ ...lineage(), ...fill(r) })), 500);
  };
  await put('agencies', rows.agencies, (r) => ({ agency_type: '行政', parent_code: null, ...r }));
  await put('budget_indicators', rows.indicators, (r) => ({
    fiscal_year: 2025, func_code: '2010101', econ_code: '30201', fund_type: '1', indicator_kind: '年初预算',
    issued_on: '2025-01-10', dept_code: r.dept_code ?? r.agency_code, ...r,
  }));
  await put('payment_vouchers', rows.vouchers, (r) => ({
    voucher_no: `V${++seq}`, fiscal_year: 2025, func_code: '2010101', econ_code: '30201', fund_type: '1', payee_name: '某公司',
    pay_date: '2025-06-15', dept_code: r.dept_code ?? r.agency_code, ...r,
  }));
  await put('revenues', rows.revenues, (r) => ({ fiscal_year: 2025, budget_type: '1', ...r }));
  await put('audit_findings', rows.findings, (r) => ({
    audit_project: '预算执行审计', category: '预算执行', description: '问题', status: '未整改', ...r,
  }));
  await put('debt_bonds', rows.bonds, (r) => ({
    bond_type: '一般债券', issue_date: '2020-06-15', maturity_date: '2030-06-15', coupon_rate: '3.00', amount: '100000000.00', ...r,
  }));
  await put('debt_repayments', rows.repayments, (r) => ({ interest: '0.00', ...r }));
  await put('debt_limits', rows.limits, (r) => ({ fiscal_year: 2025, ...r }));
  await put('state_asset_reports', rows.reports, (r) => ({ report_year: 2024, asset_category: '企业', ...r }));
  await put('asset_cards', rows.assets, (r) => ({ asset_class: '设备', original_value: '100000.00', ...r }));
  await put('performance_targets', rows.targets, (r) => ({
    fiscal_year: 2025, level1: '产出', level2: '数量指标', target_name: '完成数量', direction: '≥', unit: '个', ...r,
  }));
  await put('transfer_payments', rows.transfers, (r) => ({
    fiscal_year: 2025, direction: '收到上级', kind: '直达资金', counterpart_region: '410000', title: '上级补助资金', ...r,
  }));
}

/** Context for calling a rule's evaluate directly, with its defaults unless params are given. */
export function ctxFor<P>(
  rule: RuleDefinition<P>,
  asOf: string,
  params: Partial<P> = {},
  opts: { region?: string; convention?: TimeProgressConvention } = {},
): RuleContext<P> {
  return {
    regionCode: opts.region ?? REGION,
    asOf,
    fiscalYear: Number(asOf.slice(0, 4)),
    timeProgress: timeProgress(asOf, opts.convention ?? 'days'),
    params: rule.paramsSchema.parse({ ...rule.defaults, ...params }),
    facts: VOUCHER_FACTS,
  };
}

/** Runs one rule as evaluateRules would: voucher facts staged in the same transaction. */
export function runRule<P>(knex: Knex, rule: RuleDefinition<P>, ctx: RuleContext<P>): Promise<Finding[]> {
  return knex.transaction(async (trx) => {
    await stageVoucherFacts(trx, ctx.regionCode, ctx.asOf);
    return rule.evaluate(trx, ctx);
  });
}
