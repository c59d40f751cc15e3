import Decimal from 'decimal.js';
import type { Knex } from 'knex';
import { openingFiscalYear, today } from '../../clock.js';
import { CONVENTION_FOR_REGION_SQL } from '../../rules/time-progress.js';
import { timeProgress, type ProgressConvention, type TimeProgress } from './progress.js';
import {
  aggregate, indicatorDetails, namesFor, revenueByBudgetType,
  type AggregateRow, type DrillFilters, type GroupDim,
} from './queries.js';

/**
 * The drill-down's figures, as service functions the routes and the quarterly report both
 * call, so the report's numbers are the dashboard's numbers.
 */

export interface DrillContext {
  regionCode: string;
  fiscalYear: number;
  asOf: string;
  timeProgress: TimeProgress;
}

/**
 * Fill in the defaults: as-of = the region's latest committed business date; fiscal year = the
 * one the dashboard opens on for that date (openingFiscalYear: the previous year in
 * January–March), a past year as of its last day.
 */
export async function resolveContext(
  knex: Knex,
  p: { regionCode: string; fiscalYear?: number; asOf?: string; progress?: ProgressConvention },
): Promise<DrillContext> {
  // One round trip for both defaults: the latest committed business date and the convention
  // staff set for the region's rules, so the dashboard and the alerts agree.
  const { rows: [d] } = await knex.raw<{ rows: { latest: string | null; convention: unknown }[] }>(
    `select (select max(business_date) from batches where region_code = ? and status = 'committed') as latest,
            ${CONVENTION_FOR_REGION_SQL} as convention`,
    [p.regionCode, p.regionCode],
  );
  let asOf = p.asOf;
  let fiscalYear = p.fiscalYear;
  if (!asOf) {
    const latest = d?.latest ?? today();
    fiscalYear ??= openingFiscalYear(latest);
    // A past fiscal year without a date: as of its last day, its final execution.
    asOf = Number(latest.slice(0, 4)) > fiscalYear ? `${fiscalYear}-12-31` : latest;
  }
  fiscalYear ??= Number(asOf.slice(0, 4));
  const convention: ProgressConvention = p.progress ?? (d?.convention === 'months' ? 'months' : 'days');
  return { regionCode: p.regionCode, fiscalYear, asOf, timeProgress: timeProgress(fiscalYear, asOf, convention) };
}

export interface Figures {
  budget: string;
  paid: string;
  /** Paid against an indicator that exists in the region. */
  paidWithIndicator: string;
  /** 无指标支付: paid with an empty or unknown indicator_no. */
  paidWithoutIndicator: string;
  /** 未支付余额 = budget − paid. */
  unpaidBalance: string;
  voucherCount: string;
  /** paid ÷ budget, 20 significant digits; null when there is no budget. */
  executionRateExact: string | null;
  /** The same as a percent rounded half-up to 2 decimals, for display. */
  executionPercent2dp: string | null;
  /** Time progress − execution, in percentage points rounded to 2 decimals (positive = behind). */
  behindProgressPoints2dp: string | null;
}

export function figures(r: Pick<AggregateRow, 'budget' | 'paid' | 'paidUnmatched' | 'vouchers'>, tp: TimeProgress): Figures {
  const budget = new Decimal(r.budget);
  const paid = new Decimal(r.paid);
  const unmatched = new Decimal(r.paidUnmatched);
  const rate = budget.isZero() ? null : paid.div(budget);
  return {
    budget: budget.toFixed(2),
    paid: paid.toFixed(2),
    paidWithIndicator: paid.minus(unmatched).toFixed(2),
    paidWithoutIndicator: unmatched.toFixed(2),
    unpaidBalance: budget.minus(paid).toFixed(2),
    voucherCount: r.vouchers,
    executionRateExact: rate ? rate.toString() : null,
    executionPercent2dp: rate ? rate.times(100).toFixed(2) : null,
    behindProgressPoints2dp: rate ? new Decimal(tp.rateExact).minus(rate).times(100).toFixed(2) : null,
  };
}

/** Sum rows sharing a key (exact: decimal.js), keys in sorted order. */
function rollUp(rows: AggregateRow[], keyOf: (r: AggregateRow) => string | null): AggregateRow[] {
  const groups = new Map<string | null, AggregateRow[]>();
  for (const r of rows) {
    const k = keyOf(r);
    groups.set(k, [...(groups.get(k) ?? []), r]);
  }
  return [...groups.entries()]
    .sort(([a], [b]) => (a === b ? 0 : a === null ? 1 : b === null ? -1 : a < b ? -1 : 1))
    .map(([key, rs]) => ({ ...sumRows(rs), key }));
}

function sumRows(rows: AggregateRow[]): AggregateRow {
  const s = { budget: new Decimal(0), paid: new Decimal(0), paidUnmatched: new Decimal(0), vouchers: 0n };
  for (const r of rows) {
    s.budget = s.budget.plus(r.budget);
    s.paid = s.paid.plus(r.paid);
    s.paidUnmatched = s.paidUnmatched.plus(r.paidUnmatched);
    s.vouchers += BigInt(r.vouchers);
  }
  return { key: null, budget: s.budget.toFixed(2), paid: s.paid.toFixed(2), paidUnmatched: s.paidUnmatched.toFixed(2), vouchers: s.vouchers.toString() };
}

export interface ReconciliationRow {
  key: 'budget' | 'paid_with_indicator' | 'paid_without_indicator' | 'unpaid_balance';
  label: string;
  amount: string;
}

/** 指标总额 = 已支付（有指标） + 无指标支付 + 未支付余额: the explicit rows that make totals reconcile on screen. */
export function reconciliation(f: Figures): ReconciliationRow[] {
  return [
    { key: 'budget', label: '指标总额', amount: f.budget },
    { key: 'paid_with_indicator', label: '已支付（有对应指标）', amount: f.paidWithIndicator },
    { key: 'paid_without_indicator', label: '无指标支付（指标编号为空或未知）', amount: f.paidWithoutIndicator },
    { key: 'unpaid_balance', label: '未支付余额（指标总额 − 已支付）', amount: f.unpaidBalance },
  ];
}

export const FUND_TYPES = ['1', '2', '3', '4'] as const;

export interface Summary {
  region: { code: string; name: string };
  fiscalYear: number;
  asOf: string;
  timeProgress: TimeProgress;
  /** The four budgets, always all four (zeros when nothing was delivered). */
  fundTypes: (Figures & { code: string; name: string; revenue: { budget: string; actual: string; executionRateExact: string | null; executionPercent2dp: string | null } })[];
  total: Figures;
  reconciliation: ReconciliationRow[];
  /** Paid per calendar month of the fiscal year and the running total. */
  monthly: { month: string; paid: string; cumulativePaid: string; budget: string }[];
}

const ratio = (num: string, den: string) => {
  const d = new Decimal(den);
  if (d.isZero()) return { executionRateExact: null, executionPercent2dp: null };
  const r = new Decimal(num).div(d);
  return { executionRateExact: r.toString(), executionPercent2dp: r.times(100).toFixed(2) };
};

/** The region's overview: the four budgets against budget and time progress, and the monthly curve. */
export async function getSummary(knex: Knex, ctx: DrillContext, filters: DrillFilters = {}): Promise<Summary> {
  const base = { regionCodes: [ctx.regionCode], fiscalYear: ctx.fiscalYear, asOf: ctx.asOf, filters };
  const asOfYear = Number(ctx.asOf.slice(0, 4));
  const revenueMonth = asOfYear > ctx.fiscalYear ? 12 : asOfYear < ctx.fiscalYear ? 0 : Number(ctx.asOf.slice(5, 7));
  const [byFundMonth, revenue, fundNames, region] = await Promise.all([
    aggregate(knex, { ...base, groupBy: 'fund_type', thenBy: 'month' }),
    revenueByBudgetType(knex, ctx.regionCode, ctx.fiscalYear, revenueMonth),
    knex('fund_types').select<{ code: string; name: string }[]>('code', 'name'),
    knex('regions').where({ code: ctx.regionCode }).first<{ code: string; name: string }>('code', 'name'),
  ]);
  // One scan gives fund type × month; both breakdowns are sums of those cells.
  const byFund = rollUp(byFundMonth, (r) => r.key);
  const byMonth = rollUp(byFundMonth, (r) => r.key2 ?? null);
  const zero: AggregateRow = { key: null, budget: '0', paid: '0', paidUnmatched: '0', vouchers: '0' };
  const codes = [...new Set([...FUND_TYPES, ...byFund.map((r) => r.key!)])];
  const fundTypes = codes.map((code) => {
    const row = byFund.find((r) => r.key === code) ?? zero;
    const rev = revenue.find((r) => r.budget_type === code);
    const revBudget = rev?.budget ?? '0.00';
    const revActual = rev?.actual ?? '0.00';
    return {
      code,
      name: fundNames.find((f) => f.code === code)?.name ?? code,
      ...figures(row, ctx.timeProgress),
      revenue: { budget: new Decimal(revBudget).toFixed(2), actual: new Decimal(revActual).toFixed(2), ...ratio(revActual, revBudget) },
    };
  });
  const total = figures(sumRows(byFund), ctx.timeProgress);
  let running = new Decimal(0);
  const monthly = byMonth.map((r) => {
    running = running.plus(r.paid);
    return { month: r.key!, paid: new Decimal(r.paid).toFixed(2), cumulativePaid: running.toFixed(2), budget: new Decimal(r.budget).toFixed(2) };
  });
  return {
    region: region ?? { code: ctx.regionCode, name: ctx.regionCode },
    fiscalYear: ctx.fiscalYear,
    asOf: ctx.asOf,
    timeProgress: ctx.timeProgress,
    fundTypes,
    total,
    reconciliation: reconciliation(total),
    monthly,
  };
}

export type BreakdownLevel = 'regions' | 'fund-types' | 'departments' | 'units' | 'functions' | 'economics' | 'indicators';

const LEVEL_DIM: Record<BreakdownLevel, GroupDim> = {
  regions: 'region',
  'fund-types': 'fund_type',
  departments: 'dept',
  units: 'unit',
  functions: 'func',
  economics: 'econ',
  indicators: 'indicator',
};

export interface BreakdownRow extends Figures {
  /** null only for the explicit 无指标支付 row of the indicator level. */
  code: string | null;
  name: string;
  kind: 'item' | 'unmatched';
  /**
   * Functions/economics: the row holds vouchers coded to this shorter code itself (a 类 with
   * no 款); drill into it with funcExact / econExact, since a prefix would include its 款.
   */
  exactCode?: boolean;
  indicator?: Record<string, unknown>;
}

export interface Breakdown {
  level: BreakdownLevel;
  fiscalYear: number;
  asOf: string;
  timeProgress: TimeProgress;
  filters: DrillFilters;
  /** Code length the rows are grouped by (functions 3/5/7, economics 3/5). */
  codeLength?: number;
  rows: BreakdownRow[];
  total: Figures;
  reconciliation: ReconciliationRow[];
}

/** The next code length below a prefix filter: 类 → 款 → 项. */
export function childLength(level: 'functions' | 'economics', prefix: string | undefined): number {
  const steps = level === 'functions' ? [3, 5, 7] : [3, 5];
  if (!prefix) return 3;
  return steps.find((s) => s > prefix.length) ?? steps[steps.length - 1]!;
}

/**
 * One drill level's rows under the filters given, each with budget, paid, unpaid balance and
 * execution, plus the total (= the sum of the rows, to the cent) and the reconciliation rows.
 * `regionCodes` (regions level only) lists the regions to compare.
 */
export async function getBreakdown(
  knex: Knex,
  ctx: DrillContext,
  p: { level: BreakdownLevel; filters?: DrillFilters; codeLength?: number; regionCodes?: string[] },
): Promise<Breakdown> {
  const filters = p.filters ?? {};
  const groupBy = LEVEL_DIM[p.level];
  const codeLength =
    p.level === 'functions' || p.level === 'economics'
      ? (p.codeLength ?? childLength(p.level, p.level === 'functions' ? filters.func : filters.econ))
      : undefined;
  const regionCodes = p.level === 'regions' ? (p.regionCodes ?? [ctx.regionCode]) : [ctx.regionCode];
  const rows = await aggregate(knex, { regionCodes, fiscalYear: ctx.fiscalYear, asOf: ctx.asOf, filters, groupBy, groupLen: codeLength });
  const codes = rows.map((r) => r.key).filter((k): k is string => k !== null);
  const names = await namesFor(knex, groupBy, regionCodes, codes);
  const details = p.level === 'indicators' ? await indicatorDetails(knex, ctx.regionCode, codes) : [];
  const out: BreakdownRow[] = rows.map((r) =>
    r.key === null
      ? { code: null, name: '无指标支付（指标编号为空或未知）', kind: 'unmatched' as const, ...figures(r, ctx.timeProgress) }
      : {
          code: r.key,
          name: names.get(r.key) ?? (r.key === '' ? '（未填写）' : r.key),
          kind: 'item' as const,
          ...(codeLength && r.key.length < codeLength ? { exactCode: true } : {}),
          ...figures(r, ctx.timeProgress),
          ...(p.level === 'indicators' ? { indicator: details.find((d) => d.indicator_no === r.key) as unknown as Record<string, unknown> } : {}),
        },
  );
  const total = figures(sumRows(rows), ctx.timeProgress);
  return {
    level: p.level,
    fiscalYear: ctx.fiscalYear,
    asOf: ctx.asOf,
    timeProgress: ctx.timeProgress,
    filters,
    ...(codeLength ? { codeLength } : {}),
    rows: out,
    total,
    reconciliation: reconciliation(total),
  };
}
