import Decimal from 'decimal.js';
import type { Knex } from 'knex';
import type { Breakdown, BreakdownLevel, BreakdownRow, Figures, ReconciliationRow, ScopeMeta, Summary } from './contract.js';
import { openingFiscalYear, today } from '../../clock.js';
import { createError, ErrorCode } from '../../errors.js';
import { scopeLabel, scopeRegions, scopeRegionsAndConvention, type Scope, type ScopeRegion } from './scope.js';
import { aggregateParts, mergeCells, nettingCells, rowOfRegion, scopeCells, scopeOverview, transferNetting, type Netting } from './consolidate.js';
import { timeProgress, type ProgressConvention, type TimeProgress } from './progress.js';
import {
  fundTypeNames, indicatorDetails, namesFor,
  type AggregateRow, type DrillFilters, type GroupDim,
} from './queries.js';

/** The answers' shapes are the contract's (contract.ts), re-exported for the report, 问数 and the phone. */
export type { Breakdown, BreakdownLevel, BreakdownRow, Figures, ReconciliationRow, ScopeMeta, Summary };

/**
 * The drill-down's figures, as service functions the routes and the quarterly report both
 * call, so the report's numbers are the dashboard's numbers.
 */

export interface DrillContext {
  regionCode: string;
  fiscalYear: number;
  asOf: string;
  timeProgress: TimeProgress;
  scope: Scope;
  /** True when the caller named the date: every region is then taken at it, not at its own latest. */
  asOfGiven: boolean;
  /** 漯河市本级 / 漯河市全市 / 河南省全省. */
  label: string;
  /** False when no region in scope has a committed delivery: 暂无数据, not a page of zeros. */
  hasData: boolean;
  /**
   * The regions whose 本级 figures add up to these figures, each at its own as-of date (its
   * latest delivery, or the date asked for) with its own time progress. 本级: the region alone.
   */
  parts: ScopePart[];
  /** Every region in scope, with or without data (全辖: the subtree, the region first). */
  regions: ScopeRegion[];
}

export interface ScopePart {
  regionCode: string;
  asOf: string;
  timeProgress: TimeProgress;
}

/**
 * Fill in the defaults: as-of = the region's latest committed business date; fiscal year = the
 * one the dashboard opens on for that date (openingFiscalYear: the previous year in
 * January–March), a past year as of its last day. In 全辖 each region keeps its own latest
 * date (regions deliver on their own schedule); the context's as-of is the latest of them.
 */
export async function resolveContext(
  knex: Knex,
  p: { regionCode: string; fiscalYear?: number; asOf?: string; progress?: ProgressConvention; scope?: Scope },
): Promise<DrillContext> {
  const scope = p.scope ?? 'self';
  // The convention staff set for the region's rules, so the dashboard and the alerts agree.
  const { regions, convention: set } = await scopeRegionsAndConvention(knex, p.regionCode, scope);
  const top = regions[0];
  if (!top) throw createError(ErrorCode.NOT_FOUND, `地区 ${p.regionCode} 不存在`, 404);
  const convention: ProgressConvention = p.progress ?? (set === 'months' ? 'months' : 'days');
  const delivered = regions.filter((r) => r.latest !== null);
  const latest = delivered.reduce<string | null>((m, r) => (m === null || r.latest! > m ? r.latest : m), null);
  const fiscalYear = p.fiscalYear ?? (p.asOf ? Number(p.asOf.slice(0, 4)) : openingFiscalYear(latest ?? today()));
  // A past fiscal year without a date: as of its last day, its final execution.
  const asOfFrom = (l: string) => p.asOf ?? (Number(l.slice(0, 4)) > fiscalYear ? `${fiscalYear}-12-31` : l);
  // A province's regions share a handful of dates: each date's progress is worked out once.
  const progressOn = new Map<string, TimeProgress>();
  const part = (code: string, l: string): ScopePart => {
    const asOf = asOfFrom(l);
    let tp = progressOn.get(asOf);
    if (!tp) progressOn.set(asOf, (tp = timeProgress(fiscalYear, asOf, convention)));
    return { regionCode: code, asOf, timeProgress: tp };
  };
  const parts = scope === 'self' || !delivered.length ? [part(top.code, top.latest ?? latest ?? today())] : delivered.map((r) => part(r.code, r.latest!));
  const asOf = parts.reduce((m, x) => (x.asOf > m ? x.asOf : m), parts[0]!.asOf);
  return {
    regionCode: p.regionCode,
    fiscalYear,
    asOf,
    timeProgress: timeProgress(fiscalYear, asOf, convention),
    scope,
    asOfGiven: p.asOf !== undefined,
    label: scopeLabel(top, scope),
    hasData: delivered.length > 0,
    parts,
    regions,
  };
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
    const g = groups.get(k);
    if (g) g.push(r);
    else groups.set(k, [r]);
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


/**
 * 指标总额 = 已支付（有指标） + 无指标支付 + 未支付余额: the explicit rows that make totals reconcile
 * on screen; in 全辖 with transfers netted, the netted indicators and payments are their own rows.
 */
export function reconciliation(f: Figures, netted?: Figures): ReconciliationRow[] {
  return [
    { key: 'budget', label: '指标总额', amount: f.budget },
    { key: 'paid_with_indicator', label: '已支付（有对应指标）', amount: f.paidWithIndicator },
    { key: 'paid_without_indicator', label: '无指标支付（指标编号为空或未知）', amount: f.paidWithoutIndicator },
    { key: 'unpaid_balance', label: '未支付余额（指标总额 − 已支付）', amount: f.unpaidBalance },
    ...(netted
      ? [
          { key: 'netted_budget' as const, label: '已抵消上下级转移支付指标（未计入指标总额）', amount: netted.budget },
          { key: 'netted_paid' as const, label: '已抵消上下级转移支付已支付（未计入已支付）', amount: netted.paid },
        ]
      : []),
  ];
}

export const FUND_TYPES = ['1', '2', '3', '4'] as const;


const ratio = (num: string, den: string) => {
  const d = new Decimal(den);
  if (d.isZero()) return { executionRateExact: null, executionPercent2dp: null };
  const r = new Decimal(num).div(d);
  return { executionRateExact: r.toString(), executionPercent2dp: r.times(100).toFixed(2) };
};


export function scopeMeta(ctx: DrillContext, netting: Netting): ScopeMeta {
  const name = new Map(ctx.regions.map((r) => [r.code, r.name]));
  return {
    scope: ctx.scope,
    label: ctx.label,
    hasData: ctx.hasData,
    regions: ctx.parts.map((p) => ({ code: p.regionCode, name: name.get(p.regionCode) ?? p.regionCode, asOf: p.asOf, timeProgressPercent2dp: p.timeProgress.percent2dp })),
    asOfDiffers: new Set(ctx.parts.map((p) => p.asOf)).size > 1,
    regionsWithoutData: ctx.scope === 'all' ? ctx.regions.filter((r) => r.latest === null).map((r) => ({ code: r.code, name: r.name })) : [],
    netting,
  };
}

/** The region's overview: the four budgets against budget and time progress, and the monthly curve. */
export async function getSummary(knex: Knex, ctx: DrillContext, filters: DrillFilters = {}): Promise<Summary> {
  // The cells, the revenue and the netting in one statement; the names once per process.
  const [{ cells: byFundMonth, revenue, netting }, fundNames] = await Promise.all([
    scopeOverview(knex, ctx, { filters, groupBy: 'fund_type', thenBy: 'month' }),
    fundTypeNames(knex),
  ]);
  const top = ctx.regions[0];
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
      name: fundNames.get(code) ?? code,
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
    region: top ? { code: top.code, name: top.name } : { code: ctx.regionCode, name: ctx.regionCode },
    fiscalYear: ctx.fiscalYear,
    asOf: ctx.asOf,
    timeProgress: ctx.timeProgress,
    scope: scopeMeta(ctx, netting),
    fundTypes,
    total,
    reconciliation: reconciliation(total, netting.netted.length ? await nettedTotal(knex, ctx, netting, filters) : undefined),
    monthly,
  };
}

/** The figures the netting took out (shown as their own reconciliation row). */
async function nettedTotal(knex: Knex, ctx: DrillContext, netting: Netting, filters: DrillFilters): Promise<Figures> {
  return figures(sumRows(await nettingCells(knex, ctx, netting.netted, { filters, groupBy: 'none' })), ctx.timeProgress);
}

const LEVEL_DIM: Record<BreakdownLevel, GroupDim> = {
  regions: 'region',
  'fund-types': 'fund_type',
  departments: 'dept',
  units: 'unit',
  functions: 'func',
  economics: 'econ',
  indicators: 'indicator',
};



/** The next code length below a prefix filter: 类 → 款 → 项. */
export function childLength(level: 'functions' | 'economics', prefix: string | undefined): number {
  const steps = level === 'functions' ? [3, 5, 7] : [3, 5];
  if (!prefix) return 3;
  return steps.find((s) => s > prefix.length) ?? steps[steps.length - 1]!;
}

/**
 * One drill level's rows under the filters given, each with budget, paid, unpaid balance and
 * execution, plus the total (= the sum of the rows, to the cent) and the reconciliation rows.
 * In 全辖 every level sums the regions' 本级 cells less the netted transfers.
 * `regionCodes` (regions level, 本级 only) lists the regions to compare, each at its own as-of date.
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
  if (p.level === 'regions') return regionsBreakdown(knex, ctx, filters, p.regionCodes);
  const nettingAsked = transferNetting(knex, ctx);
  const [rows, netting] = await Promise.all([scopeCells(knex, ctx, { filters, groupBy, groupLen: codeLength }, nettingAsked), nettingAsked]);
  const regionCodes = ctx.parts.map((x) => x.regionCode);
  const codes = rows.map((r) => r.key).filter((k): k is string => k !== null);
  const names = await namesFor(knex, groupBy, regionCodes, codes);
  const details = p.level === 'indicators' ? await indicatorDetails(knex, regionCodes, codes) : [];
  const out: BreakdownRow[] = rows.map((r) =>
    r.key === null
      ? { code: null, name: '无指标支付（指标编号为空或未知）', kind: 'unmatched' as const, ...figures(r, ctx.timeProgress) }
      : {
          code: r.key,
          name: names.get(r.key) ?? (r.key === '' ? '（未填写）' : r.key),
          kind: 'item' as const,
          ...(codeLength && r.key.length < codeLength ? { exactCode: true } : {}),
          ...figures(r, ctx.timeProgress),
          ...(p.level === 'indicators' ? { indicator: details.find((d) => d.indicatorNo === r.key) } : {}),
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
    reconciliation: reconciliation(total, netting.netted.length ? await nettedTotal(knex, ctx, netting, filters) : undefined),
  };
}

/**
 * 按地区. 本级: the regions listed side by side, each 本级 at its own as-of date and time
 * progress. 全辖: the region's own 本级 row and one 全辖 row per region directly under it (a
 * child's internal transfers netted inside its row); transfers between rows are one netting
 * row, so the rows still add up to the 全辖 total.
 */
async function regionsBreakdown(knex: Knex, ctx: DrillContext, filters: DrillFilters, regionCodes?: string[]): Promise<Breakdown> {
  const tree = ctx.scope === 'all' ? ctx.regions : await scopeRegions(knex, ctx.regionCode, 'all');
  const listed = ctx.scope === 'all' ? ctx.regions : tree.filter((r) => (regionCodes ?? [ctx.regionCode]).includes(r.code));
  const byCode = new Map(tree.map((r) => [r.code, r]));
  // Each region at its own as-of date: its latest delivery unless a date was asked for.
  const parts: ScopePart[] =
    ctx.scope === 'all'
      ? ctx.parts
      : listed.map((r) => {
          const asOf = ctx.asOfGiven ? ctx.asOf : ownAsOf(ctx, r.latest);
          return { regionCode: r.code, asOf, timeProgress: timeProgress(ctx.fiscalYear, asOf, ctx.timeProgress.convention) };
        });
  const netting = await transferNetting(knex, ctx);
  const cells = await aggregateParts(knex, ctx.fiscalYear, parts, { filters, groupBy: 'region' });
  const netCells = netting.netted.length ? await nettingCells(knex, ctx, netting.netted, { filters, groupBy: 'region' }) : [];
  const rowOf = ctx.scope === 'all' ? rowOfRegion(ctx) : new Map(listed.map((r) => [r.code, r.code]));
  // A netted transfer inside one row comes off that row; between two rows, off the netting row.
  const inside = (payer: string) => netting.netted.filter((t) => t.payer === payer).every((t) => rowOf.get(t.receiver) === rowOf.get(payer));
  const rowKeys = ctx.scope === 'all' ? [ctx.regionCode, ...ctx.regions.filter((r) => r.parentCode === ctx.regionCode).map((r) => r.code)] : listed.map((r) => r.code);
  const partOf = new Map(parts.map((x) => [x.regionCode, x]));
  const rows: BreakdownRow[] = [];
  const all: AggregateRow[] = [];
  for (const key of rowKeys) {
    const members = [...rowOf.entries()].filter(([, k]) => k === key).map(([c]) => c);
    const gross = cells.filter((c) => members.includes(c.key!));
    // Regions with nothing delivered stay out of the table (a province has 170-odd), but for the 本级 row of a 全辖 table.
    if (!gross.length && !(ctx.scope === 'all' && key === ctx.regionCode)) continue;
    const net = netCells.filter((c) => members.includes(c.key!) && inside(c.key!));
    const sum = sumRows(net.length ? mergeCells(gross, net, -1) : gross);
    all.push(sum);
    const region = byCode.get(key)!;
    const ownParts = members.map((m) => partOf.get(m)).filter((x): x is ScopePart => !!x);
    const hasData = members.some((m) => byCode.get(m)?.latest);
    const asOf = hasData ? ownParts.reduce<string | null>((m, x) => (m === null || x.asOf > m ? x.asOf : m), null) : null;
    const tp = asOf ? timeProgress(ctx.fiscalYear, asOf, ctx.timeProgress.convention) : ctx.timeProgress;
    const scope: Scope = ctx.scope === 'all' && key !== ctx.regionCode ? 'all' : 'self';
    rows.push({ code: key, name: scopeLabel(region, scope), kind: 'item', scope, asOf, hasData, ...figures(sum, tp) });
  }
  const crossing = netCells.filter((c) => !inside(c.key!));
  if (crossing.length) {
    const n = sumRows(crossing);
    const neg: AggregateRow = { key: null, budget: new Decimal(n.budget).neg().toFixed(2), paid: new Decimal(n.paid).neg().toFixed(2), paidUnmatched: new Decimal(n.paidUnmatched).neg().toFixed(2), vouchers: (-BigInt(n.vouchers)).toString() };
    all.push(neg);
    rows.push({ code: null, name: '上下级转移支付抵消', kind: 'netting', ...figures(neg, ctx.timeProgress) });
  }
  const total = figures(sumRows(all), ctx.timeProgress);
  return {
    level: 'regions',
    fiscalYear: ctx.fiscalYear,
    asOf: ctx.asOf,
    timeProgress: ctx.timeProgress,
    filters,
    rows,
    total,
    reconciliation: reconciliation(total, netting.netted.length ? await nettedTotal(knex, ctx, netting, filters) : undefined),
  };
}

/** A region's own as-of date within a context: its latest delivery, as resolveContext takes it. */
function ownAsOf(ctx: DrillContext, latest: string | null): string {
  if (!latest) return ctx.asOf;
  return Number(latest.slice(0, 4)) > ctx.fiscalYear ? `${ctx.fiscalYear}-12-31` : latest;
}
