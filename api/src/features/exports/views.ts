import type { Request } from 'express';
import type { Knex } from 'knex';
import { parseInput } from '../../middleware/validate.js';
import { asOfFor, scopedRegion, scopedRegions } from '../../middleware/region-scope.js';
import { assetQuery } from '../assets/routes.js';
import { assetCards, assetReports } from '../assets/queries.js';
import { auditQuery } from '../audit/routes.js';
import { findings, repeatFindings } from '../audit/queries.js';
import { debtQuery } from '../debt/routes.js';
import { bonds, maturitySchedule, repayments } from '../debt/queries.js';
import { maskFor } from '../drilldown/mask.js';
import { filtersOf, voucherListFromRequest } from '../drilldown/routes.js';
import { drillQuery } from '../drilldown/schema.js';
import { getBreakdown, resolveContext, type BreakdownLevel } from '../drilldown/service.js';
import { visibleRegionCodes } from '../../middleware/auth.js';
import { voucherPage } from '../drilldown/voucher-queries.js';
import { ALERT_REGISTER } from './alert-register.js';
import { REMINDER_EXPORT } from '../reminders/export.js';
import { fromArray, type TableColumn, type TableRow } from './table-writer.js';

/** An exportable table: what the screen shows, with Chinese headers and typed columns. */
export interface ExportView {
  /** File and sheet name. */
  title: string;
  columns: TableColumn[];
  rows(knex: Knex, req: Request): Promise<AsyncIterable<TableRow>>;
}

// Keys of the contract's VoucherRow (drilldown/contract.ts); the headers are the file's.
const VOUCHER_COLUMNS: TableColumn[] = [
  { key: 'voucherNo', header: '凭证号', type: 'text' },
  { key: 'payDate', header: '支付日期', type: 'date' },
  { key: 'deptName', header: '主管部门', type: 'text' },
  { key: 'agencyCode', header: '单位代码', type: 'text' },
  { key: 'agencyName', header: '预算单位', type: 'text' },
  { key: 'funcCode', header: '功能分类科目', type: 'text' },
  { key: 'funcName', header: '功能分类名称', type: 'text' },
  { key: 'econCode', header: '经济分类科目', type: 'text' },
  { key: 'econName', header: '经济分类名称', type: 'text' },
  { key: 'fundType', header: '资金性质', type: 'text' },
  { key: 'indicatorNo', header: '指标编号', type: 'text' },
  { key: 'payeeName', header: '收款人', type: 'text' },
  { key: 'payeeAccount', header: '收款账号', type: 'text' },
  { key: 'payMethod', header: '支付方式', type: 'text' },
  { key: 'purpose', header: '用途', type: 'text' },
  { key: 'amount', header: '金额（元）', type: 'money' },
];

/** Every voucher the list's filters select, fetched page by page along the same keyset as the screen. */
async function voucherRows(knex: Knex, req: Request): Promise<AsyncIterable<TableRow>> {
  const { list } = await voucherListFromRequest(knex, req);
  const role = req.user!.role;
  return (async function* () {
    let after = list.after;
    for (;;) {
      const page = await voucherPage(knex, { ...list, limit: 5000, after });
      for (const r of page.rows) yield maskFor(role, r) as TableRow;
      if (!page.next) return;
      after = page.next;
    }
  })();
}

const BREAKDOWN_COLUMNS: TableColumn[] = [
  { key: 'code', header: '代码', type: 'text' },
  { key: 'name', header: '名称', type: 'text', width: 32 },
  { key: 'budget', header: '指标总额（元）', type: 'money' },
  { key: 'paid', header: '已支付（元）', type: 'money' },
  { key: 'paidWithoutIndicator', header: '其中：无指标支付（元）', type: 'money' },
  { key: 'unpaidBalance', header: '未支付余额（元）', type: 'money' },
  { key: 'voucherCount', header: '凭证笔数', type: 'int' },
  { key: 'executionPercent2dp', header: '执行率（%）', type: 'percent2dp' },
  { key: 'behindProgressPoints2dp', header: '低于时序进度（百分点）', type: 'percent2dp' },
];

function breakdownView(level: BreakdownLevel, title: string): ExportView {
  return {
    title,
    columns: BREAKDOWN_COLUMNS,
    async rows(knex, req) {
      const q = parseInput(drillQuery, req.query);
      const regionCode = scopedRegion(req, q.region);
      const ctx = await resolveContext(knex, { regionCode, fiscalYear: q.fy, asOf: q.asOf, progress: q.progress, scope: q.scope });
      const regionCodes = level === 'regions' ? (await visibleRegionCodes(knex, regionCode)).filter((c) => req.user!.regionCodes.includes(c)) : undefined;
      const b = await getBreakdown(knex, ctx, { level, filters: filtersOf(q), codeLength: q.codeLength, regionCodes });
      // The total row closes the table, so the sheet reconciles the way the screen does.
      return fromArray([...b.rows, { ...b.total, code: '', name: '合计' }] as unknown as TableRow[]);
    },
  };
}

async function moduleCtx(knex: Knex, req: Request, schema: typeof debtQuery | typeof assetQuery | typeof auditQuery) {
  const q = parseInput(schema, req.query) as Record<string, unknown> & { region?: string; asOf?: string; scope?: 'self' | 'all' };
  const { codes } = await scopedRegions(knex, req, q.region, q.scope);
  return { q, region: codes, asOf: await asOfFor(knex, codes, q.asOf) };
}

export const EXPORT_VIEWS: Record<string, ExportView> = {
  alerts: ALERT_REGISTER,
  reminders: REMINDER_EXPORT,
  vouchers: { title: '支付凭证', columns: VOUCHER_COLUMNS, rows: voucherRows },
  regions: breakdownView('regions', '分地区执行情况'),
  'fund-types': breakdownView('fund-types', '分预算执行情况'),
  departments: breakdownView('departments', '分部门执行情况'),
  units: breakdownView('units', '分单位执行情况'),
  functions: breakdownView('functions', '分功能科目执行情况'),
  economics: breakdownView('economics', '分经济科目执行情况'),
  indicators: breakdownView('indicators', '分指标执行情况'),
  'debt-bonds': {
    title: '政府债券',
    columns: [
      { key: 'bond_code', header: '债券编码', type: 'text' },
      { key: 'bond_name', header: '债券名称', type: 'text', width: 40 },
      { key: 'bond_type', header: '债券类型', type: 'text' },
      { key: 'purpose', header: '用途', type: 'text' },
      { key: 'issue_date', header: '发行日期', type: 'date' },
      { key: 'maturity_date', header: '到期日期', type: 'date' },
      { key: 'coupon_rate', header: '票面利率（%）', type: 'decimal4' },
      { key: 'amount', header: '发行金额（元）', type: 'money' },
      { key: 'principal_repaid', header: '已还本金（元）', type: 'money' },
      { key: 'next_due_date', header: '下次应还日期', type: 'date' },
    ],
    async rows(knex, req) {
      const { q, region, asOf } = await moduleCtx(knex, req, debtQuery);
      return fromArray((await bonds(knex, region, asOf, q.bondType as string | undefined)) as unknown as TableRow[]);
    },
  },
  'debt-maturities': {
    title: '债务到期结构',
    columns: [
      { key: 'period', header: '期间', type: 'text' },
      { key: 'principal', header: '应还本金（元）', type: 'money' },
      { key: 'interest', header: '应付利息（元）', type: 'money' },
      { key: 'paid', header: '已支付（元）', type: 'money' },
      { key: 'repayments', header: '笔数', type: 'int' },
    ],
    async rows(knex, req) {
      const { q, region } = await moduleCtx(knex, req, debtQuery);
      return fromArray((await maturitySchedule(knex, region, q.by as 'year' | 'month')) as unknown as TableRow[]);
    },
  },
  'debt-repayments': {
    title: '还本付息',
    columns: [
      { key: 'bond_code', header: '债券编码', type: 'text' },
      { key: 'bond_name', header: '债券名称', type: 'text', width: 40 },
      { key: 'due_date', header: '应还日期', type: 'date' },
      { key: 'principal', header: '应还本金（元）', type: 'money' },
      { key: 'interest', header: '应付利息（元）', type: 'money' },
      { key: 'paid_on', header: '实际支付日期', type: 'date' },
      { key: 'paid_amount', header: '实付金额（元）', type: 'money' },
      { key: 'days_overdue', header: '逾期天数', type: 'int' },
    ],
    async rows(knex, req) {
      const { q, region, asOf } = await moduleCtx(knex, req, debtQuery);
      return fromArray((await repayments(knex, region, asOf, q.status as 'all', q.withinDays as number)) as unknown as TableRow[]);
    },
  },
  'asset-reports': {
    title: '国有资产报表',
    columns: [
      { key: 'report_year', header: '报告年度', type: 'int' },
      { key: 'entity_code', header: '单位/企业代码', type: 'text' },
      { key: 'entity_name', header: '名称', type: 'text', width: 36 },
      { key: 'asset_category', header: '资产类别', type: 'text' },
      { key: 'industry', header: '行业', type: 'text' },
      { key: 'total_assets', header: '资产总额（元）', type: 'money' },
      { key: 'total_liabilities', header: '负债总额（元）', type: 'money' },
      { key: 'liability_percent_2dp', header: '资产负债率（%）', type: 'percent2dp' },
      { key: 'operating_revenue', header: '营业收入（元）', type: 'money' },
      { key: 'net_profit', header: '净利润（元）', type: 'money' },
    ],
    async rows(knex, req) {
      const { q, region } = await moduleCtx(knex, req, assetQuery);
      return fromArray((await assetReports(knex, region, q.year as number | undefined, q.category as string | undefined)).rows as unknown as TableRow[]);
    },
  },
  'asset-cards': {
    title: '资产卡片',
    columns: [
      { key: 'asset_no', header: '资产编号', type: 'text' },
      { key: 'agency_name', header: '单位', type: 'text' },
      { key: 'asset_name', header: '资产名称', type: 'text' },
      { key: 'asset_class', header: '资产分类', type: 'text' },
      { key: 'original_value', header: '原值（元）', type: 'money' },
      { key: 'net_value', header: '净值（元）', type: 'money' },
      { key: 'status', header: '使用状态', type: 'text' },
      { key: 'status_since', header: '状态起始日期', type: 'date' },
      { key: 'days_in_status', header: '持续天数', type: 'int' },
    ],
    async rows(knex, req) {
      const { q, region, asOf } = await moduleCtx(knex, req, assetQuery);
      return fromArray((await assetCards(knex, region, asOf, q as Parameters<typeof assetCards>[3])) as unknown as TableRow[]);
    },
  },
  'audit-findings': {
    title: '审计查出问题',
    columns: [
      { key: 'finding_no', header: '问题编号', type: 'text' },
      { key: 'audit_year', header: '审计年度', type: 'int' },
      { key: 'audit_project', header: '审计项目', type: 'text', width: 32 },
      { key: 'agency_name', header: '被审计单位', type: 'text' },
      { key: 'category', header: '问题类别', type: 'text' },
      { key: 'description', header: '问题描述', type: 'text', width: 48 },
      { key: 'amount_involved', header: '涉及金额（元）', type: 'money' },
      { key: 'rectified_amount', header: '已整改金额（元）', type: 'money' },
      { key: 'rectify_deadline', header: '整改期限', type: 'date' },
      { key: 'status', header: '整改状态', type: 'text' },
      { key: 'days_overdue', header: '逾期天数', type: 'int' },
    ],
    async rows(knex, req) {
      const { q, region, asOf } = await moduleCtx(knex, req, auditQuery);
      return fromArray((await findings(knex, region, asOf, q as Parameters<typeof findings>[3])) as unknown as TableRow[]);
    },
  },
  'audit-repeats': {
    title: '屡审屡犯',
    columns: [
      { key: 'agency_code', header: '单位代码', type: 'text' },
      { key: 'agency_name', header: '单位', type: 'text' },
      { key: 'category', header: '问题类别', type: 'text' },
      { key: 'years', header: '审计年度', type: 'text' },
      { key: 'findings', header: '问题数', type: 'int' },
    ],
    async rows(knex, req) {
      const { region } = await moduleCtx(knex, req, auditQuery);
      const rows = await repeatFindings(knex, region);
      return fromArray(rows.map((r) => ({ ...r, years: r.audit_years.join('、') })) as unknown as TableRow[]);
    },
  },
};
