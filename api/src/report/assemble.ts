import type { Knex } from 'knex';
import { createError, ErrorCode } from '../errors.js';
import { maturitySchedule, repayments } from '../features/debt/queries.js';
import { debtSummary } from '../features/debt/service.js';
import { latestBusinessDate } from '../features/drilldown/queries.js';
import { timeProgress } from '../features/drilldown/progress.js';
import { getBreakdown, getSummary, resolveContext, type Figures, type ScopeMeta } from '../features/drilldown/service.js';
import { scopeRegions, type Scope } from '../features/drilldown/scope.js';
import { warningsAsOf, type HeldWarning } from '../rules/index.js';
import type { KeySupervisionFigures } from '../features/key-supervision/contract.js';
import { keySupervisionFigures } from '../features/key-supervision/figures.js';
import { D, ratio, sum, ZERO, type Decimal } from './decimal.js';
import * as q from './queries.js';
import { monthEnd, monthOf, nextQuarter, sameDayLastYear, type Quarter } from './quarter.js';

// Everything the report says, gathered from the database for one region and quarter, as
// exact decimals. Prose, tables and charts are rendered from this and nothing else.
// Budget, paid, execution rate and time progress come from the drill-down service
// functions, so the report's figures are the dashboard's (and the API's) figures.

export const KEY_LIVELIHOOD = ['205', '208', '210', '213'] as const;
const GENERAL = '1';

/** One line of "budget vs paid": a fund type, a function class, a department. */
export interface ExecutionLine {
  code: string;
  name: string;
  /** Available budget: indicators issued up to the as-of date. */
  budget: Decimal;
  /** Paid: vouchers up to the as-of date. */
  paid: Decimal;
  /** paid / budget; undefined without a budget. */
  rate: Decimal | undefined;
  /** rate − time progress (negative = behind). */
  gap: Decimal | undefined;
  /** Paid up to the same day last year. */
  lastPaid: Decimal;
  /** paid / lastPaid − 1; undefined when last year paid nothing. */
  growth: Decimal | undefined;
}

export interface RevenueLine {
  code: string;
  name: string;
  budget: Decimal;
  amount: Decimal;
  rate: Decimal | undefined;
  gap: Decimal | undefined;
  lastAmount: Decimal;
  growth: Decimal | undefined;
}

export interface MonthPoint {
  month: number;
  /** Cumulative general-budget paid to the month's end (to the as-of date in its month). */
  cumulativePaid: Decimal;
  /** Budget available at the month's end. */
  budget: Decimal;
  rate: Decimal | undefined;
  timeProgress: Decimal;
}

export interface ReportData {
  region: { code: string; name: string; level: string };
  /** 本级 or 全辖 (全市 / 全省). */
  scopeKind: Scope;
  /** The heading every title and sentence carries: 漯河市本级 / 漯河市全市 / 河南省全省. */
  scopeLabel: string;
  /** Regions whose rows are read: the report's region (本级), or it and every region under it (全辖). */
  scope: string[];
  /** 全辖: which transfers between the regions are netted and which are not (null in 本级). */
  netting: string | null;
  quarter: Quarter;
  asOf: string;
  /** Latest business date loaded for the region (≥ asOf when the quarter is complete). */
  latestLoaded: string;
  timeProgress: Decimal;
  /** What the time progress counts: days (default) or completed months, elapsed of total. */
  timeProgressBasis: { convention: 'days' | 'months'; elapsed: number; total: number };
  /** The batches read, by region and id (`411100-42`). */
  batchIds: string[];
  expenditure: ExecutionLine[]; // the four budgets, 1..4
  revenue: { budgetType: string; name: string; total: RevenueLine; classes: RevenueLine[] }[];
  functionClasses: ExecutionLine[]; // general public budget, by 类
  /** General public budget of the region itself and of each region under it that has data (三级联动). */
  regions: ExecutionLine[];
  /** The function-class table's total row (= the general public budget's figures). */
  functionTotal: ExecutionLine;
  livelihood: ExecutionLine[];
  departments: { behind: ExecutionLine[]; ahead: ExecutionLine[]; count: number };
  monthly: MonthPoint[];
  debt: {
    limits: { generalLimit: Decimal; specialLimit: Decimal; generalBalance: Decimal; specialBalance: Decimal; fiscalCapacity: Decimal; year: number } | undefined;
    nextQuarter: { key: string; start: string; end: string; count: number; principal: Decimal; interest: Decimal };
    overdue: { count: number; principal: Decimal; interest: Decimal };
    /** Principal and interest falling due per year after the as-of date: the maturity wall. */
    maturity: { year: string; principal: Decimal; interest: Decimal }[];
  };
  assets: {
    reportYear: number | undefined;
    categories: { category: string; entities: number; assets: Decimal; liabilities: Decimal; ratio: Decimal | undefined }[];
    leveraged: { name: string; industry: string | null; ratio: Decimal | undefined; assets: Decimal }[];
    idle: { count: number; originalValue: Decimal; overYear: number; overTwoYears: number };
  };
  audit: {
    total: number;
    byStatus: { status: string; findings: number }[];
    amountInvolved: Decimal;
    rectifiedAmount: Decimal;
    rectified: number;
    overdue: number;
    overdueList: q.OverdueFindingRow[];
  };
  alerts: {
    total: number;
    bySeverity: Record<'red' | 'orange' | 'yellow', number>;
    byRule: { ruleId: string; red: number; orange: number; yellow: number; open: number }[];
    red: q.RedAlertRow[];
    /** The day the warnings held: the report's as-of date (the quarter's last day once loaded). */
    asOf: string;
    /** stored: the alerts of an evaluation as of that day; evaluated: the rules run as of that day for the report. */
    source: 'stored' | 'evaluated' | 'mixed';
  };
  /** 重点监督: performance gaps, transfers and direct funds, large and split payments, as of asOf over the scope. */
  keySupervision: KeySupervisionFigures;
}

const DEPARTMENTS_LISTED = 5;

/** A drill-down figure set (this year) with last year's paid to the same day. */
function line(code: string, name: string, f: Figures | undefined, last: Figures | undefined, tp: Decimal): ExecutionLine {
  const rate = f?.executionRateExact ? D(f.executionRateExact) : undefined;
  const paid = D(f?.paid ?? 0);
  const lastPaid = D(last?.paid ?? 0);
  return { code, name, budget: D(f?.budget ?? 0), paid, rate, gap: rate?.minus(tp), lastPaid, growth: ratio(paid, lastPaid)?.minus(1) };
}

/**
 * The as-of date of a quarter's report: the quarter's last day, or the latest business
 * date loaded within the quarter when the quarter is still being loaded.
 */
export async function resolveAsOf(knex: Knex, regionCode: string | string[], quarter: Quarter): Promise<{ asOf: string; latestLoaded: string }> {
  const latest = await latestBusinessDate(knex, regionCode);
  if (!latest || latest < quarter.start) {
    throw createError(ErrorCode.NOT_FOUND, `${quarter.key} 尚无已入库的数据（最新业务日期：${latest ?? '无'}）`, 404);
  }
  return { asOf: latest < quarter.end ? latest : quarter.end, latestLoaded: latest };
}

export async function assembleReport(knex: Knex, regionCode: string, quarter: Quarter, scopeKind: Scope = 'self'): Promise<ReportData> {
  const region = await q.findRegion(knex, regionCode);
  if (!region) throw createError(ErrorCode.NOT_FOUND, `地区 ${regionCode} 不存在`, 404);
  const scope = (await scopeRegions(knex, regionCode, scopeKind)).map((r) => r.code);
  const { asOf, latestLoaded } = await resolveAsOf(knex, scope, quarter);
  const year = quarter.year;
  const asOfMonth = monthOf(asOf);
  const next = nextQuarter(quarter);
  // Time progress by the convention staff set (default by days), as the dashboard and the rules use it.
  const ctx = await resolveContext(knex, { regionCode, fiscalYear: year, asOf, scope: scopeKind });
  const convention = ctx.timeProgress.convention;
  const lastCtx = await resolveContext(knex, { regionCode, fiscalYear: year - 1, asOf: sameDayLastYear(asOf), progress: convention, scope: scopeKind });
  const tp = D(ctx.timeProgress.rateExact);

  const general = { fundType: GENERAL };
  const [summary, lastSummary, generalSummary, funcs, lastFuncs, depts, lastDepts, revenueRows, batchIds] = await Promise.all([
    getSummary(knex, ctx),
    getSummary(knex, lastCtx),
    getSummary(knex, ctx, general),
    getBreakdown(knex, ctx, { level: 'functions', filters: general, codeLength: 3 }),
    getBreakdown(knex, lastCtx, { level: 'functions', filters: general, codeLength: 3 }),
    getBreakdown(knex, ctx, { level: 'departments' }),
    getBreakdown(knex, lastCtx, { level: 'departments' }),
    q.revenueByClass(knex, scope, year, asOfMonth),
    q.sourceBatchIds(knex, scope, year, asOf),
  ]);
  // 分地区 belongs to a 全辖 report: its own 本级 and each region under it; a 本级 report is the region's own budget alone.
  const [byRegion, lastByRegion] =
    scope.length > 1
      ? await Promise.all([
          getBreakdown(knex, ctx, { level: 'regions', filters: general }),
          getBreakdown(knex, lastCtx, { level: 'regions', filters: general }),
        ])
      : [undefined, undefined];
  const [debt, dueNext, overdue, maturity, categories, leveraged, idle, auditRows, overdueList, held] = await Promise.all([
    debtSummary(knex, scope, year),
    q.repaymentsDue(knex, scope, next.start, next.end),
    repayments(knex, scope, asOf, 'overdue', 0),
    maturitySchedule(knex, scope, 'year', asOf),
    q.assetCategories(knex, scope, year),
    q.highestLeveragedEnterprises(knex, scope, year, 5),
    q.idleAssets(knex, scope, asOf),
    q.auditByStatus(knex, scope, asOf),
    q.overdueFindings(knex, scope, asOf, 10),
    warningsHeldOn(knex, scope, asOf),
  ]);
  const keySupervision = await keySupervisionFigures(knex, {
    region: regionCode, regions: scope, year, asOf, elapsed: ctx.timeProgress.elapsed, total: ctx.timeProgress.total,
  });

  const nothing = D(summary.total.budget).isZero() && D(summary.total.paid).isZero() && !revenueRows.some((r) => r.fiscal_year === year);
  if (nothing) throw createError(ErrorCode.NOT_FOUND, `${ctx.label} 在 ${quarter.key}（截至 ${asOf}）没有预算指标、支付或收入数据`, 404);

  const expenditure = summary.fundTypes.map((f) => line(f.code, f.name, f, lastSummary.fundTypes.find((l) => l.code === f.code), tp));
  const functionClasses = funcs.rows
    .filter((r) => r.code !== null)
    .map((r) => line(r.code!, r.name, r, lastFuncs.rows.find((l) => l.code === r.code), tp));
  const functionTotal = line('', '合计', funcs.total, lastFuncs.total, tp);
  const regions = (byRegion?.rows ?? [])
    .filter((r) => (r.code !== null || r.kind === 'netting') && (!D(r.budget).isZero() || !D(r.paid).isZero()))
    .map((r) => line(r.code ?? '', r.name, r, lastByRegion?.rows.find((l) => l.code === r.code && l.kind === r.kind), tp));
  const livelihood = KEY_LIVELIHOOD.map(
    (c) => functionClasses.find((l) => l.code === c) ?? line(c, FUNC_NAMES[c], undefined, lastFuncs.rows.find((l) => l.code === c), tp),
  );

  // Departments with a budget, ordered by how far behind time progress they are.
  const departments = depts.rows
    .filter((r) => r.code !== null && r.executionRateExact !== null && D(r.budget).greaterThan(0))
    .map((r) => line(r.code!, r.name, r, lastDepts.rows.find((l) => l.code === r.code), tp));
  const byGap = [...departments].sort((a, b) => a.gap!.comparedTo(b.gap!) || a.code.localeCompare(b.code));
  // The slowest half (at most 5) and the fastest of the rest (at most 5): never the same department twice.
  const behind = byGap.slice(0, Math.min(DEPARTMENTS_LISTED, Math.ceil(byGap.length / 2)));
  const ahead = byGap.slice(behind.length).reverse().slice(0, DEPARTMENTS_LISTED);

  // Cumulative general-budget execution at each month end (the as-of date in its own month).
  const monthly: MonthPoint[] = [];
  let cumPaid = ZERO;
  let cumBudget = ZERO;
  for (let m = 1; m <= asOfMonth; m++) {
    const key = `${year}-${String(m).padStart(2, '0')}`;
    const row = generalSummary.monthly.find((r) => r.month === key);
    cumPaid = cumPaid.plus(row?.paid ?? 0);
    cumBudget = cumBudget.plus(row?.budget ?? 0);
    const end = m === asOfMonth ? asOf : monthEnd(year, m);
    const monthTp = timeProgress(year, end, convention);
    monthly.push({ month: m, cumulativePaid: cumPaid, budget: cumBudget, rate: ratio(cumPaid, cumBudget), timeProgress: D(monthTp.rateExact) });
  }

  // Revenue by budget type (totals from the drill-down summary), with its main classes.
  const revenue = summary.fundTypes
    .filter((f) => revenueRows.some((r) => r.budget_type === f.code && r.fiscal_year === year))
    .map((f) => {
      const last = lastSummary.fundTypes.find((l) => l.code === f.code);
      const revLine = (code: string, name: string, budget: Decimal.Value, amount: Decimal.Value, lastAmount: Decimal.Value): RevenueLine => {
        const rate = ratio(amount, budget);
        const a = D(amount);
        const la = D(lastAmount);
        return { code, name, budget: D(budget), amount: a, rate, gap: rate?.minus(tp), lastAmount: la, growth: ratio(a, la)?.minus(1) };
      };
      const rows = revenueRows.filter((r) => r.budget_type === f.code);
      return {
        budgetType: f.code,
        name: f.name,
        total: revLine(f.code, `${f.name}收入`, f.revenue.budget, f.revenue.actual, last?.revenue.actual ?? 0),
        classes: rows
          .filter((r) => r.fiscal_year === year)
          .map((r) =>
            revLine(
              r.class_code,
              r.class_name ?? r.class_code,
              r.budget,
              r.amount,
              rows.find((l) => l.fiscal_year === year - 1 && l.class_code === r.class_code)?.amount ?? 0,
            ),
          ),
      };
    });

  // Every warning that held on the as-of date is open on that date.
  const sev = { red: 0, orange: 0, yellow: 0 };
  const byRule = new Map<string, { ruleId: string; red: number; orange: number; yellow: number; open: number }>();
  for (const w of held.warnings) {
    sev[w.severity]++;
    const e = byRule.get(w.ruleId) ?? { ruleId: w.ruleId, red: 0, orange: 0, yellow: 0, open: 0 };
    e[w.severity]++;
    e.open++;
    byRule.set(w.ruleId, e);
  }
  const red = held.warnings
    .filter((w) => w.severity === 'red')
    .sort((a, b) => a.ruleId.localeCompare(b.ruleId) || (a.subjectName ?? '').localeCompare(b.subjectName ?? ''))
    .slice(0, 30)
    .map((w) => ({ id: '', rule_id: w.ruleId, region_code: w.regionCode, subject_name: w.subjectName, period: w.period, status: 'open', explanation: w.explanation }));

  return {
    region: { code: region.code, name: region.name, level: region.level },
    scopeKind,
    scopeLabel: ctx.label,
    scope,
    netting: nettingNote(summary.scope),
    quarter,
    asOf,
    latestLoaded,
    timeProgress: tp,
    timeProgressBasis: { convention, elapsed: ctx.timeProgress.elapsed, total: ctx.timeProgress.total },
    batchIds,
    expenditure,
    revenue,
    functionClasses,
    functionTotal,
    regions: regions.length > 1 ? regions : [],
    livelihood,
    departments: { behind, ahead, count: departments.length },
    monthly,
    debt: {
      limits: debt.available
        ? {
            generalLimit: D(debt.general.limit),
            specialLimit: D(debt.special.limit),
            generalBalance: D(debt.general.balance),
            specialBalance: D(debt.special.balance),
            fiscalCapacity: D(debt.fiscalCapacity),
            year: debt.fiscalYear,
          }
        : undefined,
      nextQuarter: { key: next.key, start: next.start, end: next.end, count: Number(dueNext.count), principal: D(dueNext.principal), interest: D(dueNext.interest) },
      overdue: { count: overdue.length, principal: sum(overdue.map((r) => r.principal)), interest: sum(overdue.map((r) => r.interest)) },
      maturity: maturity.map((m) => ({ year: m.period, principal: D(m.principal), interest: D(m.interest) })),
    },
    assets: {
      reportYear: categories[0]?.report_year,
      categories: categories.map((c) => ({
        category: c.asset_category,
        entities: Number(c.entities),
        assets: D(c.total_assets),
        liabilities: D(c.total_liabilities),
        ratio: ratio(c.total_liabilities, c.total_assets),
      })),
      leveraged: leveraged.map((e) => ({ name: e.entity_name, industry: e.industry, ratio: ratio(e.total_liabilities, e.total_assets), assets: D(e.total_assets) })),
      idle: { count: Number(idle.count), originalValue: D(idle.original_value), overYear: Number(idle.over_year), overTwoYears: Number(idle.over_two_years) },
    },
    audit: {
      total: auditRows.reduce((n, r) => n + Number(r.findings), 0),
      byStatus: auditRows.map((r) => ({ status: r.status, findings: Number(r.findings) })),
      amountInvolved: sum(auditRows.map((r) => r.amount_involved)),
      rectifiedAmount: sum(auditRows.map((r) => r.rectified_amount)),
      rectified: Number(auditRows.find((r) => r.status === '已整改')?.findings ?? 0),
      overdue: auditRows.reduce((n, r) => n + Number(r.overdue), 0),
      overdueList,
    },
    alerts: { total: sev.red + sev.orange + sev.yellow, bySeverity: sev, byRule: [...byRule.values()].sort((a, b) => a.ruleId.localeCompare(b.ruleId)), red, asOf, source: held.source },
    keySupervision,
  };
}

/**
 * The warnings that held on `asOf` in each region with data: where the region's last rules
 * evaluation (the one its open alerts reflect) was as of that very day, its open alerts; otherwise the rules evaluated as of that
 * day for the report, nothing written (a later evaluation has moved the alerts on since).
 */
async function warningsHeldOn(knex: Knex, regions: string[], asOf: string): Promise<{ warnings: HeldWarning[]; source: ReportData['alerts']['source'] }> {
  const { rows } = await knex.raw<{ rows: { code: string; latest_eval: string | null }[] }>(
    `select r.code, (select e.as_of from rule_evaluations e where e.region_code = r.code and e.finished_at is not null order by e.id desc limit 1)::text as latest_eval
       from unnest(?::text[]) r(code)
      where exists (select 1 from batches b where b.region_code = r.code and b.status = 'committed')`,
    [regions],
  );
  const stored = rows.filter((r) => r.latest_eval === asOf).map((r) => r.code);
  const evaluated = rows.filter((r) => r.latest_eval !== asOf).map((r) => r.code);
  const open = stored.length
    ? await knex('alerts').whereIn('region_code', stored).whereNull('closed_at')
        .select<{ rule_id: string; region_code: string; subject_name: string | null; period: string; severity: HeldWarning['severity']; explanation: string }[]>('rule_id', 'region_code', 'subject_name', 'period', 'severity', 'explanation')
    : [];
  const fresh = [];
  for (const code of evaluated) fresh.push(...(await warningsAsOf(knex, code, asOf)));
  const warnings = [
    ...open.map((a) => ({ ruleId: a.rule_id, regionCode: a.region_code, subjectName: a.subject_name, period: a.period, severity: a.severity, explanation: a.explanation })),
    ...fresh,
  ];
  return { warnings, source: !evaluated.length ? 'stored' : !stored.length ? 'evaluated' : 'mixed' };
}

/** 全辖: what the report says about the transfers between its regions and the regions' dates. */
function nettingNote(s: ScopeMeta): string | null {
  if (s.scope !== 'all') return null;
  const parts = [`${s.label}数据为所辖各地区本级数据之和`];
  if (s.netting.statement) parts.push(`上下级转移支付：${s.netting.statement.replace(/。$/, '')}`);
  else parts.push('所辖地区之间无转移支付');
  return `${parts.join('；')}。`;
}

/** Names of the key livelihood classes, for a class with no rows this year. */
const FUNC_NAMES: Record<(typeof KEY_LIVELIHOOD)[number], string> = {
  '205': '教育支出',
  '208': '社会保障和就业支出',
  '210': '卫生健康支出',
  '213': '农林水支出',
};
