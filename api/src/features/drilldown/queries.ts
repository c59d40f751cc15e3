import type { Knex } from 'knex';
import type { IndicatorDetail } from './contract.js';

/** Filters that pile up along the drill path (USAspending style); any subset may be given. */
export interface DrillFilters {
  dept?: string;
  unit?: string;
  /** 类/款/项 prefix: 3, 5 or 7 digits. */
  func?: string;
  /** 类/款 prefix: 3 or 5 digits. */
  econ?: string;
  /** Match func / econ exactly instead of as a prefix: the rows coded to a 类 itself, not its 款. */
  funcExact?: boolean;
  econExact?: boolean;
  fundType?: string;
  indicator?: string;
}

export type GroupDim = 'none' | 'region' | 'fund_type' | 'dept' | 'unit' | 'func' | 'econ' | 'indicator' | 'month';

export interface AggregateQuery {
  regionCodes: string[];
  fiscalYear: number;
  asOf: string;
  /**
   * Each region's own as-of date, in the order of regionCodes (全辖: regions deliver on their
   * own schedule); without it every region is taken at asOf. One query either way: the regions
   * are joined to their dates, not queried one date at a time.
   */
  asOfs?: string[];
  filters: DrillFilters;
  groupBy: GroupDim;
  /** A second grouping (rows then carry key2): the overview reads fund type × month in one scan. */
  thenBy?: GroupDim;
  /** Code length to group func/econ by (3/5/7). */
  groupLen?: number;
  /** Only these (region, indicator_no) pairs and the vouchers against them (raw tables): the transfers 全辖 nets. */
  indicatorsIn?: [string, string][];
}

export interface AggregateRow {
  /** null: vouchers without a known indicator when grouped by indicator. */
  key: string | null;
  /** The thenBy key, when asked for. */
  key2?: string | null;
  budget: string;
  paid: string;
  paidUnmatched: string;
  vouchers: string;
}

type Dim = 'region' | 'fund_type' | 'dept' | 'unit' | 'func' | 'econ' | 'month' | 'indicator';

/**
 * Each view and the dimensions it can filter and group by; the first that covers a query
 * answers it. The region rollups come first: an overview (fund type × month, no department)
 * reads one row per region, fund type and day, not one per department.
 */
const VIEWS: { name: string; dims: Dim[]; monthly?: { name: string; cols: string[] } }[] = [
  { name: 'mv_exec_region_day', dims: ['region', 'fund_type', 'month'], monthly: { name: 'mv_exec_region_month', cols: [] } },
  { name: 'mv_exec_dept_day', dims: ['region', 'fund_type', 'dept', 'month'], monthly: { name: 'mv_exec_dept_month', cols: ['dept_code'] } },
  { name: 'mv_exec_unit_day', dims: ['region', 'fund_type', 'dept', 'month', 'unit'], monthly: { name: 'mv_exec_unit_month', cols: ['dept_code', 'agency_code'] } },
  { name: 'mv_exec_func_day', dims: ['region', 'fund_type', 'dept', 'month', 'unit', 'func'], monthly: { name: 'mv_exec_func_month', cols: ['dept_code', 'agency_code', 'func_code'] } },
  { name: 'mv_exec_econ_day', dims: ['region', 'fund_type', 'dept', 'month', 'unit', 'econ'], monthly: { name: 'mv_exec_econ_month', cols: ['dept_code', 'agency_code', 'econ_code'] } },
];

function neededDims(q: AggregateQuery): Dim[] {
  const f = q.filters;
  const dims: Dim[] = [];
  if (f.dept) dims.push('dept');
  if (f.unit) dims.push('unit');
  if (f.func) dims.push('func');
  if (f.econ) dims.push('econ');
  if (f.fundType) dims.push('fund_type');
  if (f.indicator) dims.push('indicator');
  if (q.groupBy !== 'none') dims.push(q.groupBy);
  if (q.thenBy && q.thenBy !== 'none') dims.push(q.thenBy);
  return dims;
}

/** The materialized view that can answer the query, or undefined when only the raw tables can. */
export function viewFor(q: AggregateQuery): string | undefined {
  return coveringView(q)?.name;
}

function coveringView(q: AggregateQuery) {
  const need = neededDims(q);
  return VIEWS.find((v) => need.every((d) => v.dims.includes(d)));
}

/**
 * Each region with its as-of date and the first day of that date's month, as a relation
 * `p(region_code, as_of, month_start)` to join: the regions' own dates in one query, however
 * many regions and dates there are. The month's first day travels as a parameter: computed in
 * SQL it would be a time-zone-aware date_trunc per joined row (thousands at province scale).
 */
function partsRelation(q: AggregateQuery): { sql: string; bindings: unknown[] } {
  const asOfs = q.asOfs ?? q.regionCodes.map(() => q.asOf);
  return {
    sql: 'unnest(?::text[], ?::date[], ?::date[]) as p(region_code, as_of, month_start)',
    bindings: [q.regionCodes, asOfs, asOfs.map((d) => `${d.slice(0, 7)}-01`)],
  };
}

/**
 * The rows a view query reads, each region up to its own as-of date: with a monthly roll-up,
 * whole months before the as-of month from it and the as-of month day by day from the daily
 * view; otherwise the daily view. The daily rows are a lateral index range scan per region of
 * its own days (a join on the dates would read every day of every region; `offset 0` keeps the
 * planner from flattening the lateral into that join, which it cannot cost well). The months are one
 * join of the regions' rows to their dates: a year of a province's 176 regions is a few
 * thousand rows, cheaper read at once than in 176 probes that each visit a dozen heap pages.
 */
function viewSource(v: (typeof VIEWS)[number], q: AggregateQuery, daily: boolean): { sql: string; bindings: unknown[] } {
  const p = partsRelation(q);
  const sums = 'budget, paid, paid_unmatched, vouchers';
  if (!v.monthly || daily) {
    return {
      sql: `(select d.* from ${p.sql} cross join lateral (
               select * from ${v.name} d where d.region_code = p.region_code and d.fiscal_year = ? and d.day <= p.as_of) d) src`,
      bindings: [...p.bindings, q.fiscalYear],
    };
  }
  return {
    sql: `(select p.region_code, ${v.monthly.cols.map((c) => `m.${c}, `).join('')}m.fiscal_year, m.fund_type, m.month as day, m.budget, m.paid, m.paid_unmatched, m.vouchers
             from ${v.monthly.name} m join ${p.sql} on p.region_code = m.region_code
            where m.fiscal_year = ? and m.month < p.month_start
           union all
           select p.region_code, d.* from ${p.sql} cross join lateral (
             select ${v.monthly.cols.map((c) => `${c}, `).join('')}fiscal_year, fund_type, day, ${sums} from ${v.name}
              where region_code = p.region_code and fiscal_year = ? and day >= p.month_start and day <= p.as_of
             offset 0) d) src`,
    bindings: [...p.bindings, q.fiscalYear, ...p.bindings, q.fiscalYear],
  };
}

interface Cols {
  region: string;
  fiscalYear: string;
  day: string;
  fundType: string;
  dept: string;
  unit: string;
  func: string;
  econ: string;
  indicator: string;
}

function keyExpr(c: Cols, q: AggregateQuery, dim: GroupDim = q.groupBy): string {
  const len = Number(q.groupLen ?? 3);
  switch (dim) {
    case 'none': return `''`;
    case 'region': return c.region;
    case 'fund_type': return c.fundType;
    case 'dept': return c.dept;
    case 'unit': return c.unit;
    case 'func': return `left(${c.func}, ${len})`;
    case 'econ': return `left(${c.econ}, ${len})`;
    case 'indicator': return c.indicator;
    // The month's first day (a date: cheap to group by), formatted once per group (monthKey).
    case 'month': return `date_trunc('month', ${c.day}::timestamp)::date`;
  }
}

/** The output of a grouped key: months as 'YYYY-MM', the rest as they are. */
const monthKey = (col: string, dim: GroupDim | undefined) => (dim === 'month' ? `to_char(${col}, 'YYYY-MM')` : col);

/**
 * The filters, within the regions and the fiscal year; each region's as-of date is the join's to
 * the parts (partsRelation). The regions are named here too: the planner then reads each
 * region's rows by index (and prunes the vouchers' region partitions) instead of scanning a
 * whole rollup and hashing it against the parts.
 */
function where(c: Cols, q: AggregateQuery): { sql: string; bindings: unknown[] } {
  const parts = [`${c.region} = any(?::text[])`, `${c.fiscalYear} = ?`];
  const bindings: unknown[] = [q.regionCodes, q.fiscalYear];
  const f = q.filters;
  const eq = (col: string, v: string | undefined) => {
    if (v === undefined) return;
    parts.push(`${col} = ?`);
    bindings.push(v);
  };
  const prefix = (col: string, v: string | undefined) => {
    if (v === undefined) return;
    parts.push(`${col} like ?`);
    bindings.push(`${v}%`);
  };
  eq(c.dept, f.dept);
  eq(c.unit, f.unit);
  if (f.funcExact) eq(c.func, f.func);
  else prefix(c.func, f.func);
  if (f.econExact) eq(c.econ, f.econ);
  else prefix(c.econ, f.econ);
  eq(c.fundType, f.fundType);
  eq(c.indicator, f.indicator);
  if (q.indicatorsIn) {
    parts.push(q.indicatorsIn.length ? `(${c.region}, ${c.indicator}) in (${q.indicatorsIn.map(() => '(?, ?)').join(', ')})` : 'false');
    bindings.push(...q.indicatorsIn.flat());
  }
  return { sql: parts.join(' and '), bindings };
}

const mvCols = (): Cols => ({
  region: 'region_code', fiscalYear: 'fiscal_year', day: 'day', fundType: 'fund_type', dept: 'dept_code',
  unit: 'agency_code', func: 'func_code', econ: 'econ_code', indicator: 'indicator_no',
});
const indicatorCols = (): Cols => ({
  region: 'i.region_code', fiscalYear: 'i.fiscal_year', day: 'i.issued_on', fundType: 'i.fund_type', dept: 'i.dept_code',
  unit: 'i.agency_code', func: 'i.func_code', econ: "coalesce(i.econ_code, '')", indicator: 'i.indicator_no',
});
const voucherCols = (): Cols => ({
  region: 'v.region_code', fiscalYear: 'v.fiscal_year', day: 'v.pay_date', fundType: 'v.fund_type', dept: 'v.dept_code',
  unit: 'v.agency_code', func: 'v.func_code', econ: 'v.econ_code', indicator: 'k.indicator_no',
});

/**
 * Budget (indicators issued up to asOf), paid (vouchers paid up to asOf) and the part of paid
 * without a known indicator, grouped by one dimension. Reads a materialized view whenever one
 * covers the filters and grouping; otherwise the raw tables (indicator level, or func × econ).
 */
export async function aggregate(
  knex: Knex,
  q: AggregateQuery,
  /** forceRaw: the raw tables; daily: the daily view without its monthly roll-up (both for tests). */
  opts: { forceRaw?: boolean; daily?: boolean } = {},
): Promise<AggregateRow[]> {
  const { sql, bindings } = aggregateSql(q, opts);
  const { rows } = await knex.raw<{ rows: AggregateSqlRow[] }>(sql, bindings as Knex.RawBinding[]);
  return aggregateRows(q, rows);
}

/** A row of aggregateSql: the sums as text (exact, and exact inside JSON too). */
export interface AggregateSqlRow {
  key: string | null;
  key2: string | null;
  budget: string | null;
  paid: string | null;
  paid_unmatched: string | null;
  vouchers: string | null;
}

/** aggregate's statement, for a caller that sends it with others in one round trip (scopeOverview). */
export function aggregateSql(q: AggregateQuery, opts: { forceRaw?: boolean; daily?: boolean } = {}): { sql: string; bindings: unknown[] } {
  const view = opts.forceRaw || q.indicatorsIn ? undefined : coveringView(q);
  let sql: string;
  let bindings: unknown[];
  if (view) {
    const c = mvCols();
    const w = where(c, q);
    const src = viewSource(view, q, opts.daily === true);
    sql = `select ${keyExpr(c, q)} as key, ${keyExpr(c, q, q.thenBy ?? 'none')} as key2, sum(budget) as budget, sum(paid) as paid,
                  sum(paid_unmatched) as paid_unmatched, sum(vouchers) as vouchers
             from ${src.sql} where ${w.sql} group by 1, 2`;
    bindings = [...src.bindings, ...w.bindings];
  } else {
    const ic = indicatorCols();
    const vc = voucherCols();
    const wi = where(ic, q);
    // The voucher's indicator filter compares its own indicator_no, not the matched one.
    const wv = where({ ...vc, indicator: 'v.indicator_no' }, q);
    const p = partsRelation(q);
    const then = q.thenBy ?? 'none';
    sql = `select key, key2, sum(budget) as budget, sum(paid) as paid, sum(paid_unmatched) as paid_unmatched, sum(vouchers) as vouchers
             from (
               select ${keyExpr(ic, q)} as key, ${keyExpr(ic, q, then)} as key2, i.amount as budget, 0::numeric as paid, 0::numeric as paid_unmatched, 0 as vouchers
                 from budget_indicators i join ${p.sql} on p.region_code = i.region_code
                where ${wi.sql} and i.issued_on <= p.as_of
               union all
               select ${keyExpr(vc, q)}, ${keyExpr(vc, q, then)}, 0, v.amount, case when k.indicator_no is null then v.amount else 0 end, 1
                 from payment_vouchers v
                 join ${p.sql} on p.region_code = v.region_code
                 left join budget_indicators k on k.region_code = v.region_code and k.indicator_no = v.indicator_no
                where ${wv.sql} and v.pay_date <= p.as_of
             ) x group by 1, 2`;
    bindings = [...p.bindings, ...wi.bindings, ...p.bindings, ...wv.bindings];
  }
  return {
    sql: `select ${monthKey('g.key', q.groupBy)} as key, ${monthKey('g.key2', q.thenBy)} as key2,
                 g.budget::text as budget, g.paid::text as paid, g.paid_unmatched::text as paid_unmatched, g.vouchers::text as vouchers
            from (${sql}) g order by 1 nulls last, 2`,
    bindings,
  };
}

/** aggregateSql's rows as AggregateRow. */
export function aggregateRows(q: AggregateQuery, rows: AggregateSqlRow[]): AggregateRow[] {
  return rows.map((r) => ({
    key: r.key,
    ...(q.thenBy ? { key2: r.key2 } : {}),
    budget: r.budget ?? '0.00',
    paid: r.paid ?? '0.00',
    paidUnmatched: r.paid_unmatched ?? '0.00',
    vouchers: String(r.vouchers ?? '0'),
  }));
}

/** The latest committed delivery date of a region (its default as-of date), of some regions, or of all: "数据截至". */
export async function latestBusinessDate(knex: Knex, regionCode?: string | string[]): Promise<string | undefined> {
  const q = knex('batches').where({ status: 'committed' });
  if (typeof regionCode === 'string') q.where({ region_code: regionCode });
  else if (regionCode) q.whereIn('region_code', regionCode);
  const row = await q.max('business_date as d').first();
  return (row?.d as string | null) ?? undefined;
}

export interface RevenueRow {
  budget_type: string;
  budget: string;
  actual: string;
}

/**
 * Revenue per budget type: the annual budget of each line (latest month's figure) and receipts
 * up to each region's own month (in the order of regionCodes: 全辖, each region through its own
 * as-of month). The statement, for scopeOverview to send with others; the amounts as text
 * (exact inside JSON too).
 */
export function revenueSql(regionCodes: string[], fiscalYear: number, months: number[]): { sql: string; bindings: unknown[] } {
  return {
    sql: `with r as (
       select v.* from revenues v join unnest(?::text[], ?::int[]) as p(region_code, month) using (region_code)
        where v.region_code = any(?) and v.fiscal_year = ? and v.month <= p.month
     ), latest as (
       select distinct on (region_code, budget_type, revenue_code) budget_type, coalesce(budget_amount, 0) as budget_amount
         from r order by region_code, budget_type, revenue_code, month desc
     )
     select t.budget_type,
            coalesce((select sum(budget_amount) from latest l where l.budget_type = t.budget_type), 0)::numeric(18,2)::text as budget,
            coalesce((select sum(amount) from r where r.budget_type = t.budget_type), 0)::numeric(18,2)::text as actual
       from (select distinct budget_type from r) t order by 1`,
    bindings: [regionCodes, months, regionCodes, fiscalYear],
  };
}

/** The fund types' names: a code table only a migration writes, read once per database handle (every overview names them). */
const fundTypes = new WeakMap<Knex, Promise<Map<string, string>>>();
export function fundTypeNames(knex: Knex): Promise<Map<string, string>> {
  let names = fundTypes.get(knex);
  if (!names) {
    names = knex('fund_types')
      .select<{ code: string; name: string }[]>('code', 'name')
      .then((rows) => new Map(rows.map((r) => [r.code, r.name])));
    // A failed read is not remembered: the next request asks again.
    names.catch(() => fundTypes.delete(knex));
    fundTypes.set(knex, names);
  }
  return names;
}

/** Names for codes of one kind, for labelling rows. */
export async function namesFor(knex: Knex, dim: GroupDim, regionCodes: string[], codes: string[]): Promise<Map<string, string>> {
  const clean = codes.filter((c) => c !== null && c !== '');
  if (!clean.length) return new Map();
  let rows: { code: string; name: string }[] = [];
  switch (dim) {
    case 'region':
      rows = await knex('regions').whereIn('code', clean).select('code', 'name');
      break;
    case 'fund_type': {
      const names = await fundTypeNames(knex);
      return new Map(clean.filter((c) => names.has(c)).map((c) => [c, names.get(c)!]));
    }
    case 'dept':
    case 'unit':
      rows = await knex('agencies').whereIn('region_code', regionCodes).whereIn('agency_code', clean).select('agency_code as code', 'agency_name as name');
      break;
    case 'func':
      rows = await knex('func_classes').whereIn('code', clean).select('code', 'name');
      break;
    case 'econ':
      rows = await knex('econ_classes').whereIn('code', clean).select('code', 'name');
      break;
    case 'indicator':
      // An indicator is known by its project; one without a project (basic spending: salaries,
      // office costs) by what it pays for — its economic class, then its function class — not
      // by the document number that several indicators of one unit share.
      rows = await knex('budget_indicators as i')
        .leftJoin('econ_classes as e', 'e.code', 'i.econ_code')
        .leftJoin('func_classes as f', 'f.code', 'i.func_code')
        .whereIn('i.region_code', regionCodes)
        .whereIn('i.indicator_no', clean)
        .select(
          'i.indicator_no as code',
          knex.raw(
            `coalesce(nullif(i.project_name, ''), nullif(concat_ws(' · ', e.name, nullif(f.name, e.name)), ''), i.doc_no, i.indicator_kind) as name`,
          ),
        );
      break;
    default:
      return new Map();
  }
  return new Map(rows.map((r) => [r.code, r.name]));
}

/** The indicators behind the rows of the indicators level, as the contract names their fields. */
export const indicatorDetails = (knex: Knex, regionCodes: string[], nos: string[]) =>
  knex('budget_indicators')
    .whereIn('region_code', regionCodes)
    .whereIn('indicator_no', nos)
    .select<IndicatorDetail[]>(
      'indicator_no as indicatorNo', 'doc_no as docNo', 'indicator_kind as indicatorKind', 'project_code as projectCode', 'project_name as projectName',
      'issued_on as issuedOn', 'func_code as funcCode', 'econ_code as econCode', 'agency_code as agencyCode', 'amount',
    );
