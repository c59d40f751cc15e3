import type { Knex } from 'knex';
import type { BatchRef } from '../../../../etl/src/index.js';
import { mapLimit, parallelDegree } from '../../parallel.js';
import { AGGREGATES_VERSION_KEY } from './response-cache.js';

/**
 * The drill-down's rollup tables (ordinary tables since 20261207100000, still named mv_* so the
 * readers need not change), finest first: each coarser one is built from the one before.
 * Budget (indicators, by issued_on) and paid (vouchers, by pay_date) share each row;
 * paid_unmatched is the part of paid whose indicator_no is empty or unknown in the region.
 */
export const AGGREGATE_VIEWS = [
  'mv_exec_func_day', 'mv_exec_econ_day', 'mv_exec_unit_day', 'mv_exec_dept_day', 'mv_exec_region_day',
  'mv_exec_unit_month', 'mv_exec_dept_month', 'mv_exec_region_month', 'mv_exec_func_month', 'mv_exec_econ_month',
] as const;

const SUMS = `sum(budget)::numeric(18,2) as budget, sum(paid)::numeric(18,2) as paid,
              sum(paid_unmatched)::numeric(18,2) as paid_unmatched, sum(vouchers)::bigint as vouchers`;
const SUM_COLS = 'budget, paid, paid_unmatched, vouchers';

/** A rollup's unit keys, finest first: what a scope of units can narrow it by. */
type UnitDims = readonly ('dept_code' | 'agency_code')[];
const UNIT: UnitDims = ['dept_code', 'agency_code'];

type Bindings = (string | string[])[];
interface Sql {
  sql: string;
  bindings: Bindings;
}

/**
 * What a table's date column holds and how the scope's days select its rows: the days; the
 * months (a touched day recomputes its whole month in the monthly tables); or days selected by
 * their month (a monthly table's source).
 */
type Period = 'day' | 'month' | 'month-of-day';
/** A date's month, as the day tables' maintenance indexes hold it (immutable: through timestamp, not timestamptz). */
const MONTH_OF = (d: string) => `date_trunc('month', ${d}::timestamp)::date`;

/**
 * A table's rows within a scope: `where` on the table alone, or joined to `cells`, a derived
 * table (alias c) of which each row of the table matches at most one.
 */
interface Rows {
  cells: Sql | null;
  where: Sql;
}

/** `from <table> <alias>` followed by this: the scope's cells, joined (their conditions are in `where`). */
const joinCells = (r: Rows) => (r.cells ? `join ${r.cells.sql} c on true` : '');
const bindingsOf = (r: Rows): Bindings => [...(r.cells?.bindings ?? []), ...r.where.bindings];

/**
 * Which rows of the rollups to (re)compute: all (a rebuild), a region's, or a region's units'
 * days; a coarser table's rows are the units' departments (or the whole days) they belong to.
 */
interface Scope {
  /** The rows of a table keyed by `dims` whose date column `col` falls in the scope. */
  rows: (alias: string, col: string, period: Period, dims: UnitDims) => Rows;
}

const ALL: Scope = { rows: () => ({ cells: null, where: { sql: 'true', bindings: [] } }) };

function regionScope(regionCode: string): Scope {
  return { rows: (a) => ({ cells: null, where: { sql: `${a}.region_code = ?`, bindings: [regionCode] } }) };
}

/** A unit's day: what a batch recorded in batch_days (touched-days.ts). */
export interface UnitDay {
  day: string;
  dept: string;
  agency: string;
}

/**
 * The touched units' (or their departments', or whole) days of a region: the distinct (unit
 * keys, day and month, or month) as a derived table joined to the rollup or feed table, read
 * in a nested loop through its (region_code, unit, month, day) or (region_code, unit, month)
 * index (migration 20261212100000; the vouchers' partition index (agency_code, pay_date)) — the
 * touched units' rows alone, however many other units the region holds on those days. Every
 * condition is an equality, the month one too (a day table's month by its index expression; on
 * a day, redundant but it keeps the index's month column in use): PostgreSQL estimates a range
 * joined from another table at a third of the rows and would scan the region instead. Each
 * row of the table matches one cell at most. `byUnit` false: every unit of the days.
 */
function cellsScope(regionCode: string, cells: readonly UnitDay[], byUnit = true): Scope {
  const arrays: Bindings = [cells.map((c) => c.day), cells.map((c) => c.dept), cells.map((c) => c.agency)];
  return {
    rows: (a, col, period, dims) => {
      const keys = [...(byUnit ? dims : []), 'm', ...(period === 'day' ? ['d'] : [])];
      const match: Record<string, string> = { m: period === 'month' ? `${a}.${col}` : MONTH_OF(`${a}.${col}`), d: `${a}.${col}` };
      return {
        cells: {
          sql: `(select distinct ${keys.map((k) => (k === 'm' ? `${MONTH_OF('c.d')} as m` : `c.${k}`)).join(', ')}
                   from unnest(?::date[], ?::text[], ?::text[]) c(d, dept_code, agency_code))`,
          bindings: arrays,
        },
        where: {
          sql: [`${a}.region_code = ?`, ...keys.map((k) => `${match[k] ?? `${a}.${k}`} = c.${k}`)].join(' and '),
          bindings: [regionCode],
        },
      };
    },
  };
}

/** Whole days of a region (batches recorded before batch_days named units). */
const daysScope = (regionCode: string, days: string[]): Scope => cellsScope(regionCode, days.map((day) => ({ day, dept: '', agency: '' })), false);

/** The finest rollups (by function, by economic class) from the feed tables, within `s`. */
function execSource(s: Scope, dim: string, indicatorDim: string, voucherDim: string): Sql {
  const indicators = s.rows('i', 'issued_on', 'day', UNIT);
  const vouchers = s.rows('v', 'pay_date', 'day', UNIT);
  const sql = `
  select region_code, fiscal_year, fund_type, dept_code, agency_code, ${dim}, day, ${SUMS}
    from (
      select i.region_code, i.fiscal_year, i.fund_type, i.dept_code, i.agency_code, ${indicatorDim} as ${dim},
             i.issued_on as day, i.amount as budget, 0::numeric as paid, 0::numeric as paid_unmatched, 0 as vouchers
        from budget_indicators i ${joinCells(indicators)} where ${indicators.where.sql}
      union all
      select v.region_code, v.fiscal_year, v.fund_type, v.dept_code, v.agency_code, ${voucherDim} as ${dim},
             v.pay_date, 0, v.amount, case when k.indicator_no is null then v.amount else 0 end, 1
        from payment_vouchers v ${joinCells(vouchers)}
        left join budget_indicators k on k.region_code = v.region_code and k.indicator_no = v.indicator_no
       where ${vouchers.where.sql}
    ) x
   group by region_code, fiscal_year, fund_type, dept_code, agency_code, ${dim}, day`;
  return { sql, bindings: [...bindingsOf(indicators), ...bindingsOf(vouchers)] };
}

interface Rollup {
  table: (typeof AGGREGATE_VIEWS)[number];
  dayColumn: 'day' | 'month';
  cols: string;
  /** Its unit keys: a scope of units recomputes its rows of those units (or departments). */
  unit: UnitDims;
  source: (s: Scope) => Sql;
}

/**
 * A coarser rollup summed from a finer one: the keys `dims` besides region, year and fund type,
 * by day, or by month (a touched day recomputes its whole month).
 */
function coarser(table: Rollup['table'], from: Rollup['table'], dims: string[], period: 'day' | 'month'): Rollup {
  const keys = ['region_code', 'fiscal_year', 'fund_type', ...dims];
  const unit = UNIT.filter((k) => dims.includes(k));
  const source = (s: Scope): Sql => {
    const cols = [...keys.map((k) => `f.${k}`), period === 'day' ? 'f.day' : MONTH_OF('f.day')].join(', ');
    const w = s.rows('f', 'day', period === 'day' ? 'day' : 'month-of-day', unit);
    return { sql: `select ${cols}, ${SUMS} from ${from} f ${joinCells(w)} where ${w.where.sql} group by ${cols}`, bindings: bindingsOf(w) };
  };
  return { table, dayColumn: period, cols: [...keys, period].join(', '), unit, source };
}

/** Each rollup: its columns and how its rows within a scope are computed. */
const ROLLUPS: Rollup[] = [
  {
    table: 'mv_exec_func_day', dayColumn: 'day', cols: 'region_code, fiscal_year, fund_type, dept_code, agency_code, func_code, day', unit: UNIT,
    source: (s) => execSource(s, 'func_code', 'i.func_code', 'v.func_code'),
  },
  {
    table: 'mv_exec_econ_day', dayColumn: 'day', cols: 'region_code, fiscal_year, fund_type, dept_code, agency_code, econ_code, day', unit: UNIT,
    source: (s) => execSource(s, 'econ_code', "coalesce(i.econ_code, '')", 'v.econ_code'),
  },
  coarser('mv_exec_unit_day', 'mv_exec_func_day', ['dept_code', 'agency_code'], 'day'),
  coarser('mv_exec_dept_day', 'mv_exec_unit_day', ['dept_code'], 'day'),
  // A region's fund type × day (issue 19): what a 全辖 overview sums over a province's regions.
  coarser('mv_exec_region_day', 'mv_exec_dept_day', [], 'day'),
  coarser('mv_exec_unit_month', 'mv_exec_unit_day', ['dept_code', 'agency_code'], 'month'),
  coarser('mv_exec_dept_month', 'mv_exec_dept_day', ['dept_code'], 'month'),
  coarser('mv_exec_region_month', 'mv_exec_region_day', [], 'month'),
  coarser('mv_exec_func_month', 'mv_exec_func_day', ['dept_code', 'agency_code', 'func_code'], 'month'),
  coarser('mv_exec_econ_month', 'mv_exec_econ_day', ['dept_code', 'agency_code', 'econ_code'], 'month'),
];

/** Replace the rows of every rollup within `s` by freshly computed ones, in order (finest first). */
async function recompute(trx: Knex.Transaction, s: Scope): Promise<void> {
  for (const r of ROLLUPS) {
    const old = s.rows(r.table, r.dayColumn, r.dayColumn, r.unit);
    await trx.raw(`delete from ${r.table} ${old.cells ? `using ${old.cells.sql} c` : ''} where ${old.where.sql}`, bindingsOf(old));
    const src = r.source(s);
    await trx.raw(`insert into ${r.table} (${r.cols}, ${SUM_COLS}) ${src.sql}`, src.bindings);
  }
}

/** New figures: every server's cached drill-down answers are now stale (response-cache.ts). */
async function bumpVersion(knex: Knex): Promise<void> {
  await knex.raw(
    `insert into app_settings (key, value, updated_at) values (?, to_jsonb(clock_timestamp()::text), now())
     on conflict (key) do update set value = excluded.value, updated_at = excluded.updated_at`,
    [AGGREGATES_VERSION_KEY],
  );
}

/**
 * Rebuild every rollup from the feed tables (`npm run aggregates -- rebuild`, the demo seed,
 * tests that write the feed tables directly). One transaction: the dashboard answers from the
 * old figures meanwhile. `concurrently: false` empties the tables with TRUNCATE instead of
 * DELETE (faster, no dead rows, but readers wait) — for a first fill.
 */
export async function refreshAggregates(knex: Knex, opts: { concurrently?: boolean } = {}): Promise<void> {
  await knex.transaction(async (trx) => {
    if (opts.concurrently === false) await trx.raw(`truncate ${AGGREGATE_VIEWS.join(', ')}`);
    await recompute(trx, ALL);
  });
  // Fresh statistics, or the planner plans on the previous contents' (or none).
  for (const t of AGGREGATE_VIEWS) await knex.raw(`analyze ${t}`);
  await bumpVersion(knex);
}

export interface MaintenanceResult {
  regions: number;
  /** Regions recomputed whole (a first delivery), and touched days and units' days recomputed in the others. */
  wholeRegions: number;
  days: number;
  unitDays: number;
}

interface TouchedRegion {
  region_code: string;
  whole: boolean;
  /** Days recorded whole (batches recorded before batch_days named units). */
  days: string[] | null;
  cells: UnitDay[] | null;
}

/**
 * Maintain the rollups after a load: for each region the batches touched, recompute only the
 * units' days they changed (batch_days, written by the loader) — or the whole region after its
 * first delivery — each region in its own transaction, BW_PARALLEL regions at once. The cost
 * follows the delivery, not everything ever loaded. Then bumps the cache version once: every server's
 * cached drill answers (all regions) are recomputed on their next request. Batches are named
 * by region and id (batch_days is keyed by region), so the days are read on those regions' shards.
 */
export async function maintainAggregates(knex: Knex, batches: readonly BatchRef[], opts: { parallel?: number } = {}): Promise<MaintenanceResult> {
  const result: MaintenanceResult = { regions: 0, wholeRegions: 0, days: 0, unitDays: 0 };
  if (batches.length === 0) return result;
  const { rows } = await knex.raw<{ rows: TouchedRegion[] }>(
    `select d.region_code, bool_or(d.day = '-infinity') as whole,
            array_agg(distinct to_char(d.day, 'YYYY-MM-DD')) filter (where d.day <> '-infinity' and d.agency_code = '') as days,
            json_agg(distinct jsonb_build_object('day', to_char(d.day, 'YYYY-MM-DD'), 'dept', d.dept_code, 'agency', d.agency_code))
              filter (where d.day <> '-infinity' and d.agency_code <> '') as cells
       from unnest(?::text[], ?::bigint[]) b(region_code, id)
       join batch_days d on d.region_code = b.region_code and d.batch_id = b.id
      group by d.region_code order by d.region_code`,
    [batches.map((b) => b.regionCode), batches.map((b) => b.id)],
  );
  await mapLimit(rows, opts.parallel ?? parallelDegree(), async (r) => {
    await knex.transaction(async (trx) => {
      if (r.whole) return recompute(trx, regionScope(r.region_code));
      if (r.days) await recompute(trx, daysScope(r.region_code, r.days));
      if (r.cells) await recompute(trx, cellsScope(r.region_code, r.cells));
    });
  });
  result.regions = rows.length;
  result.wholeRegions = rows.filter((r) => r.whole).length;
  const touched = rows.filter((r) => !r.whole);
  result.days = touched.reduce((n, r) => n + (r.days?.length ?? 0), 0);
  result.unitDays = touched.reduce((n, r) => n + (r.cells?.length ?? 0), 0);
  // A region recomputed whole may change a table's size a lot: plan on fresh statistics.
  if (result.wholeRegions) for (const t of AGGREGATE_VIEWS) await knex.raw(`analyze ${t}`);
  // Always, even when no day changed: answers also depend on other feeds of a batch (agency
  // names, the latest delivery's date that is the default as-of date).
  await bumpVersion(knex);
  return result;
}
