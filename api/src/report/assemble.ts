import type { Knex } from 'knex';
import { createError, ErrorCode } from '../errors.js';
import { visibleRegionCodes } from '../middleware/auth.js';
import { D, ratio, sum, ZERO, type Decimal } from './decimal.js';
import * as q from './queries.js';
import { monthEnd, monthOf, nextQuarter, sameDayLastYear, timeProgress, type Quarter } from './quarter.js';

// Everything the report says, gathered from the database for one region and quarter, as
// exact decimals. Prose, tables and charts are rendered from this and nothing else.

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
  /** '全市' / '全县' / '全省'. */
  scopeLabel: string;
  /** Regions whose rows are summed: the report's region and every region under it. */
  scope: string[];
  quarter: Quarter;
  asOf: string;
  /** Latest business date loaded for the scope (≥ asOf when the quarter is complete). */
  latestLoaded: string;
  timeProgress: Decimal;
  batchIds: string[];
  expenditure: ExecutionLine[]; // per fund type 1..4 that has budget or payments
  revenue: { budgetType: string; name: string; total: RevenueLine; classes: RevenueLine[] }[];
  functionClasses: ExecutionLine[]; // general public budget, by 类
  livelihood: ExecutionLine[];
  departments: { behind: ExecutionLine[]; ahead: ExecutionLine[]; count: number };
  monthly: MonthPoint[];
  debt: {
    limits: { generalLimit: Decimal; specialLimit: Decimal; generalBalance: Decimal; specialBalance: Decimal; fiscalCapacity: Decimal; year: number } | undefined;
    nextQuarter: { key: string; start: string; end: string; count: number; principal: Decimal; interest: Decimal };
    overdue: { count: number; principal: Decimal; interest: Decimal };
    maturity: { year: number; general: Decimal; special: Decimal }[];
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
  };
}

const SCOPE_LABEL: Record<string, string> = { province: '全省', city: '全市', county: '全县' };
const DEPARTMENTS_LISTED = 5;

function line(code: string, name: string, budget: Decimal, paid: Decimal, lastPaid: Decimal, tp: Decimal): ExecutionLine {
  const rate = ratio(paid, budget);
  const growthRatio = ratio(paid, lastPaid);
  return { code, name, budget, paid, rate, gap: rate?.minus(tp), lastPaid, growth: growthRatio?.minus(1) };
}

/**
 * The as-of date of a quarter's report: the quarter's last day, or the latest business
 * date loaded within the quarter when the quarter is still being loaded.
 */
export async function resolveAsOf(knex: Knex, scope: string[], quarter: Quarter): Promise<{ asOf: string; latestLoaded: string }> {
  const latest = await q.latestLoadedDate(knex, scope, '9999-12-31');
  if (!latest || latest < quarter.start) {
    throw createError(ErrorCode.NOT_FOUND, `${quarter.key} 尚无已入库的数据（最新业务日期：${latest ?? '无'}）`, 404);
  }
  return { asOf: latest < quarter.end ? latest : quarter.end, latestLoaded: latest };
}

export async function assembleReport(knex: Knex, regionCode: string, quarter: Quarter): Promise<ReportData> {
  const region = await q.findRegion(knex, regionCode);
  if (!region) throw createError(ErrorCode.NOT_FOUND, `地区 ${regionCode} 不存在`, 404);
  const scope = await visibleRegionCodes(knex, regionCode);
  const { asOf, latestLoaded } = await resolveAsOf(knex, scope, quarter);
  const year = quarter.year;
  const tp = timeProgress(asOf);
  const lastYearAsOf = sameDayLastYear(asOf);
  const asOfMonth = monthOf(asOf);
  const next = nextQuarter(quarter);

  const [paidRows, budgetRows, revenueRows, funcNames, fundNames, deptNames, regionNameMap, batchIds] = await Promise.all([
    q.paidAggregates(knex, scope, year, asOf, lastYearAsOf),
    q.budgetAggregates(knex, scope, year, asOf),
    q.revenueLines(knex, scope, year, asOfMonth),
    q.funcClassNames(knex),
    q.fundTypeNames(knex),
    q.departmentNames(knex, scope),
    q.regionNames(knex, scope),
    q.sourceBatchIds(knex, scope, year, asOf),
  ]);
  const [limits, dueNext, overdue, maturity, categories, leveraged, idle, auditRows, overdueList, alertRows, redRows] = await Promise.all([
    q.debtLimits(knex, scope, year),
    q.repaymentsDue(knex, scope, next.start, next.end),
    q.overdueRepayments(knex, scope, asOf),
    q.maturityWall(knex, scope, asOf),
    q.assetCategories(knex, scope, year),
    q.highestLeveragedEnterprises(knex, scope, year, 5),
    q.idleAssets(knex, scope, asOf),
    q.auditByStatus(knex, scope, asOf),
    q.overdueFindings(knex, scope, asOf, 10),
    q.alertCounts(knex, scope, year, quarter.q, quarter.start, quarter.end),
    q.redAlerts(knex, scope, year, quarter.q, quarter.start, quarter.end, 30),
  ]);

  // Index the grouping-set rows. A grouping set leaves the other columns null.
  const paid = (pred: (r: q.PaidRow) => boolean) => sum(paidRows.filter(pred).map((r) => r.paid));
  const budget = (pred: (r: q.BudgetRow) => boolean) => sum(budgetRows.filter(pred).map((r) => r.budget));
  const isFundSet = (r: { fund_type: string | null; func_class: string | null; month: number | null; dept_code: string | null }) =>
    r.fund_type !== null && r.func_class === null && r.month === null && r.dept_code === null;
  const isClassSet = (r: { fund_type: string | null; func_class: string | null }) => r.fund_type !== null && r.func_class !== null;

  const fundCodes = [...new Set([...paidRows.filter(isFundSet).map((r) => r.fund_type!), ...budgetRows.filter(isFundSet).map((r) => r.fund_type!)])].sort();
  const expenditure = fundCodes.map((f) =>
    line(
      f,
      fundNames.get(f) ?? f,
      budget((r) => isFundSet(r) && r.fund_type === f),
      paid((r) => isFundSet(r) && r.fund_type === f && r.fiscal_year === year),
      paid((r) => isFundSet(r) && r.fund_type === f && r.fiscal_year === year - 1),
      tp,
    ),
  );

  const classCodes = [
    ...new Set([
      ...paidRows.filter((r) => isClassSet(r) && r.fund_type === GENERAL && r.fiscal_year === year).map((r) => r.func_class!),
      ...budgetRows.filter((r) => isClassSet(r) && r.fund_type === GENERAL).map((r) => r.func_class!),
    ]),
  ].sort();
  const functionClasses = classCodes.map((c) =>
    line(
      c,
      funcNames.get(c) ?? c,
      budget((r) => isClassSet(r) && r.fund_type === GENERAL && r.func_class === c),
      paid((r) => isClassSet(r) && r.fund_type === GENERAL && r.func_class === c && r.fiscal_year === year),
      paid((r) => isClassSet(r) && r.fund_type === GENERAL && r.func_class === c && r.fiscal_year === year - 1),
      tp,
    ),
  );
  const livelihood = KEY_LIVELIHOOD.map(
    (c) => functionClasses.find((l) => l.code === c) ?? line(c, funcNames.get(c) ?? c, ZERO, ZERO, ZERO, tp),
  );

  // Departments: all fund types; a department of a lower region is named with its region.
  const deptKey = (r: { region_code: string | null; dept_code: string | null }) => `${r.region_code}/${r.dept_code}`;
  const deptKeys = [...new Set(budgetRows.filter((r) => r.dept_code !== null).map(deptKey))];
  const departments = deptKeys
    .map((k) => {
      const [rc, dc] = k.split('/') as [string, string];
      const name = `${rc === regionCode ? '' : `${regionNameMap.get(rc) ?? rc}`}${deptNames.get(k) ?? dc}`;
      return line(
        k,
        name,
        budget((r) => r.dept_code !== null && deptKey(r) === k),
        paid((r) => r.dept_code !== null && deptKey(r) === k && r.fiscal_year === year),
        paid((r) => r.dept_code !== null && deptKey(r) === k && r.fiscal_year === year - 1),
        tp,
      );
    })
    .filter((l) => l.rate !== undefined && l.budget.greaterThan(0));
  const byGap = [...departments].sort((a, b) => a.gap!.comparedTo(b.gap!) || a.code.localeCompare(b.code));
  // The slowest half (at most 5) and the fastest of the rest (at most 5): never the same department twice.
  const behind = byGap.slice(0, Math.min(DEPARTMENTS_LISTED, Math.ceil(byGap.length / 2)));
  const ahead = byGap.slice(behind.length).reverse().slice(0, DEPARTMENTS_LISTED);

  // Cumulative general-budget execution at each month end (the as-of date in its own month).
  const monthly: MonthPoint[] = [];
  let cumPaid = ZERO;
  let cumBudget = ZERO;
  for (let m = 1; m <= asOfMonth; m++) {
    cumPaid = cumPaid.plus(paid((r) => r.month === m && r.fund_type === GENERAL && r.fiscal_year === year));
    cumBudget = cumBudget.plus(budget((r) => r.month === m && r.fund_type === GENERAL));
    const end = m === asOfMonth ? asOf : monthEnd(year, m);
    monthly.push({ month: m, cumulativePaid: cumPaid, budget: cumBudget, rate: ratio(cumPaid, cumBudget), timeProgress: timeProgress(end) });
  }

  // Revenue by budget type, with its main classes (类, first three digits).
  const revenueTypes = [...new Set(revenueRows.filter((r) => r.fiscal_year === year).map((r) => r.budget_type))].sort();
  const revenue = revenueTypes.map((bt) => {
    const rows = revenueRows.filter((r) => r.budget_type === bt);
    const classOf = (code: string) => code.slice(0, 3);
    const classCodesHere = [...new Set(rows.filter((r) => r.fiscal_year === year).map((r) => classOf(r.revenue_code)))].sort();
    const revLine = (code: string, name: string, pick: (r: q.RevenueRow) => boolean): RevenueLine => {
      const cur = rows.filter((r) => r.fiscal_year === year && pick(r));
      const amount = sum(cur.map((r) => r.amount));
      const b = sum(cur.map((r) => r.budget));
      const lastAmount = sum(rows.filter((r) => r.fiscal_year === year - 1 && pick(r)).map((r) => r.amount));
      const rate = ratio(amount, b);
      return { code, name, budget: b, amount, rate, gap: rate?.minus(tp), lastAmount, growth: ratio(amount, lastAmount)?.minus(1) };
    };
    return {
      budgetType: bt,
      name: fundNames.get(bt) ?? bt,
      total: revLine(bt, `${fundNames.get(bt) ?? bt}收入`, () => true),
      classes: classCodesHere.map((c) =>
        revLine(c, rows.find((r) => classOf(r.revenue_code) === c && r.class_name)?.class_name ?? c, (r) => classOf(r.revenue_code) === c),
      ),
    };
  });

  const sev = { red: 0, orange: 0, yellow: 0 };
  const byRule = new Map<string, { ruleId: string; red: number; orange: number; yellow: number; open: number }>();
  for (const r of alertRows) {
    const n = Number(r.alerts);
    sev[r.severity] += n;
    const e = byRule.get(r.rule_id) ?? { ruleId: r.rule_id, red: 0, orange: 0, yellow: 0, open: 0 };
    e[r.severity] += n;
    e.open += Number(r.open);
    byRule.set(r.rule_id, e);
  }

  return {
    region: { code: region.code, name: region.name, level: region.level },
    scopeLabel: SCOPE_LABEL[region.level] ?? '全域',
    scope,
    quarter,
    asOf,
    latestLoaded,
    timeProgress: tp,
    batchIds,
    expenditure,
    revenue,
    functionClasses,
    livelihood,
    departments: { behind, ahead, count: departments.length },
    monthly,
    debt: {
      limits: limits && {
        generalLimit: D(limits.general_limit),
        specialLimit: D(limits.special_limit),
        generalBalance: D(limits.general_balance),
        specialBalance: D(limits.special_balance),
        fiscalCapacity: D(limits.fiscal_capacity),
        year: limits.fiscal_year ?? year,
      },
      nextQuarter: { key: next.key, start: next.start, end: next.end, count: Number(dueNext.count), principal: D(dueNext.principal), interest: D(dueNext.interest) },
      overdue: { count: Number(overdue.count), principal: D(overdue.principal), interest: D(overdue.interest) },
      maturity: [...new Set(maturity.map((m) => m.year))].map((y) => ({
        year: y,
        general: sum(maturity.filter((m) => m.year === y && m.bond_type === '一般债券').map((m) => m.amount)),
        special: sum(maturity.filter((m) => m.year === y && m.bond_type !== '一般债券').map((m) => m.amount)),
      })),
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
    alerts: { total: sev.red + sev.orange + sev.yellow, bySeverity: sev, byRule: [...byRule.values()], red: redRows },
  };
}
