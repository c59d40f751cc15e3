import Decimal from 'decimal.js';
import type { Knex } from 'knex';
import type { DrillFilters } from './queries.js';

export interface VoucherListQuery {
  regionCode: string;
  fiscalYear: number;
  asOf: string;
  filters: DrillFilters;
  /** Only vouchers whose indicator_no is empty or unknown in the region (the 无指标支付 row). */
  unmatched?: boolean;
  dateFrom?: string;
  dateTo?: string;
  /** Substring of the payee's name. */
  payee?: string;
  amountMin?: string;
  amountMax?: string;
  sort: 'date' | 'amount';
  order: 'asc' | 'desc';
  limit: number;
  /** Keyset position: the sort value and voucher_no of the last row of the previous page. */
  after?: [string, string];
}

export interface VoucherRow {
  region_code: string;
  voucher_no: string;
  fiscal_year: number;
  pay_date: string;
  agency_code: string;
  agency_name: string | null;
  dept_code: string;
  dept_name: string | null;
  indicator_no: string | null;
  indicator_known: boolean;
  func_code: string;
  func_name: string | null;
  econ_code: string;
  econ_name: string | null;
  fund_type: string;
  project_code: string | null;
  payee_name: string;
  payee_account: string | null;
  pay_method: string | null;
  purpose: string | null;
  amount: string;
}

const SORT_COL = { date: 'v.pay_date', amount: 'v.amount' } as const;

/**
 * Bounds the keyset cursor already implies. PostgreSQL starts an index scan from one bound per
 * direction: given both `pay_date <= asOf` and `(pay_date, voucher_no) < cursor` on a backward
 * scan it starts at asOf and filters its way down to the cursor (300 ms deep in 1M rows instead
 * of 0.5 ms). A bound the cursor makes redundant is therefore left out.
 */
export interface ImpliedBounds {
  asOf?: boolean;
  dateTo?: boolean;
  dateFrom?: boolean;
  amountMin?: boolean;
  amountMax?: boolean;
}

function impliedBounds(l: VoucherListQuery): ImpliedBounds {
  if (!l.after) return {};
  const [v] = l.after;
  if (l.sort === 'date') {
    return l.order === 'desc'
      ? { asOf: v <= l.asOf, dateTo: !!l.dateTo && v <= l.dateTo }
      : { dateFrom: !!l.dateFrom && v >= l.dateFrom };
  }
  return l.order === 'asc'
    ? { amountMin: !!l.amountMin && new Decimal(v).gte(l.amountMin) }
    : { amountMax: !!l.amountMax && new Decimal(v).lte(l.amountMax) };
}

/**
 * Vouchers whose payee name contains `needle`. The gram condition lets the GIN index of
 * migration 20261207300000 pick a superset (the needle's character pairs, or its one character,
 * all present in the name); the LIKE keeps the answer exactly what a substring match gives.
 */
export function payeeContains(q: Knex.QueryBuilder, needle: string): Knex.QueryBuilder {
  return q
    .andWhereRaw('text_grams(v.payee_name) @> text_gram_query(?)', [needle])
    .andWhere('v.payee_name', 'like', `%${needle.replace(/[\\%_]/g, (c) => `\\${c}`)}%`);
}

/** Apply the list filters to a query over `payment_vouchers as v`. */
export function applyVoucherFilters(
  q: Knex.QueryBuilder,
  knex: Knex,
  l: Omit<VoucherListQuery, 'sort' | 'order' | 'limit' | 'after'>,
  implied: ImpliedBounds = {},
): Knex.QueryBuilder {
  q.where('v.region_code', l.regionCode).andWhere('v.fiscal_year', l.fiscalYear);
  if (!implied.asOf) q.andWhere('v.pay_date', '<=', l.asOf);
  const f = l.filters;
  if (f.dept) q.andWhere('v.dept_code', f.dept);
  if (f.unit) q.andWhere('v.agency_code', f.unit);
  if (f.func) q.andWhere('v.func_code', f.funcExact ? '=' : 'like', f.funcExact ? f.func : `${f.func}%`);
  if (f.econ) q.andWhere('v.econ_code', f.econExact ? '=' : 'like', f.econExact ? f.econ : `${f.econ}%`);
  if (f.fundType) q.andWhere('v.fund_type', f.fundType);
  if (f.indicator) q.andWhere('v.indicator_no', f.indicator);
  if (l.unmatched) {
    q.whereNotExists(
      knex('budget_indicators as k').whereRaw('k.region_code = v.region_code and k.indicator_no = v.indicator_no').select(knex.raw('1')),
    );
  }
  if (l.dateFrom && !implied.dateFrom) q.andWhere('v.pay_date', '>=', l.dateFrom);
  if (l.dateTo && !implied.dateTo) q.andWhere('v.pay_date', '<=', l.dateTo);
  if (l.payee) payeeContains(q, l.payee);
  if (l.amountMin && !implied.amountMin) q.andWhere('v.amount', '>=', l.amountMin);
  if (l.amountMax && !implied.amountMax) q.andWhere('v.amount', '<=', l.amountMax);
  return q;
}

function selectVoucherColumns(q: Knex.QueryBuilder, knex: Knex): Knex.QueryBuilder {
  return q
    .leftJoin('agencies as a', function () {
      this.on('a.region_code', 'v.region_code').andOn('a.agency_code', 'v.agency_code');
    })
    .leftJoin('agencies as d', function () {
      this.on('d.region_code', 'v.region_code').andOn('d.agency_code', 'v.dept_code');
    })
    .leftJoin('budget_indicators as k', function () {
      this.on('k.region_code', 'v.region_code').andOn('k.indicator_no', 'v.indicator_no');
    })
    .leftJoin('func_classes as fc', 'fc.code', 'v.func_code')
    .leftJoin('econ_classes as ec', 'ec.code', 'v.econ_code')
    .select(
      'v.region_code', 'v.voucher_no', 'v.fiscal_year', 'v.pay_date', 'v.agency_code', 'a.agency_name', 'v.dept_code',
      'd.agency_name as dept_name', 'v.indicator_no', 'v.func_code', 'fc.name as func_name', 'v.econ_code', 'ec.name as econ_name',
      'v.fund_type', 'v.project_code', 'v.payee_name', 'v.payee_account', 'v.pay_method', 'v.purpose', 'v.amount',
      knex.raw('(k.indicator_no is not null) as indicator_known'),
    );
}

/**
 * One page of vouchers by keyset: `(sort value, voucher_no)` beyond the cursor, so page 10,000
 * costs what page 1 costs (the region's partition of payment_vouchers has (pay_date, voucher_no)
 * and (amount, voucher_no) indexes, and dept/unit siblings of the first, to serve the order).
 */
export async function voucherPage(knex: Knex, l: VoucherListQuery): Promise<{ rows: VoucherRow[]; next: [string, string] | null }> {
  const col = SORT_COL[l.sort];
  const dir = l.order;
  // Page over the voucher table alone, then join names onto the page's rows only.
  const inner = applyVoucherFilters(knex('payment_vouchers as v'), knex, l, impliedBounds(l)).select('v.region_code', 'v.voucher_no', 'v.pay_date', 'v.amount');
  if (l.after) inner.andWhereRaw(`(${col}, v.voucher_no) ${dir === 'asc' ? '>' : '<'} (?, ?)`, l.after);
  inner.orderBy([{ column: col, order: dir }, { column: 'v.voucher_no', order: dir }]).limit(l.limit + 1);
  const outer = selectVoucherColumns(
    knex.from(inner.as('p')).join('payment_vouchers as v', function () {
      this.on('v.region_code', 'p.region_code').andOn('v.voucher_no', 'p.voucher_no');
    }),
    knex,
  ).orderBy([{ column: col, order: dir }, { column: 'v.voucher_no', order: dir }]);
  const rows = (await outer) as VoucherRow[];
  const hasMore = rows.length > l.limit;
  const page = rows.slice(0, l.limit);
  const last = page[page.length - 1];
  const next: [string, string] | null = hasMore && last ? [l.sort === 'date' ? last.pay_date : last.amount, last.voucher_no] : null;
  return { rows: page, next };
}

/** Count and sum of the vouchers a list's filters select (the list's footer). */
export async function voucherTotals(knex: Knex, l: Omit<VoucherListQuery, 'sort' | 'order' | 'limit' | 'after'>): Promise<{ count: string; amount: string }> {
  const row = await applyVoucherFilters(knex('payment_vouchers as v'), knex, l)
    // numeric(38,2): a sum of numeric(18,2) amounts may exceed 18 digits (a 500 used to follow).
    .first(knex.raw('count(*)::text as count'), knex.raw('coalesce(sum(v.amount), 0)::numeric(38,2) as amount'));
  return { count: row.count, amount: row.amount };
}

export interface VoucherLineage {
  voucher: VoucherRow;
  batch: { id: string; business_date: string; source: string; location: string | null; status: string; committed_at: string | null; etl_run_id: string | null };
  file: { feed: string; file_name: string; encoding: string | null } | null;
  sourceLine: number;
  indicator: Record<string, unknown> | null;
  /** Earlier versions: 'replaced' by a later bundle's version, or 'removed' by a later full-state file. */
  superseded: { batch_id: string; superseded_by_batch_id: string; superseded_at: string; change: 'replaced' | 'removed'; row: unknown }[];
}

/** One voucher with where it came from: its bundle, file and line, its indicator and any earlier versions. */
export async function voucherWithLineage(knex: Knex, regionCode: string, voucherNo: string): Promise<VoucherLineage | undefined> {
  const voucher = (await selectVoucherColumns(knex('payment_vouchers as v'), knex)
    .select('v.batch_id', 'v.source_line')
    .where('v.region_code', regionCode)
    .andWhere('v.voucher_no', voucherNo)
    .first()) as (VoucherRow & { batch_id: string; source_line: number }) | undefined;
  if (!voucher) return undefined;
  const { batch_id, source_line, ...rest } = voucher;
  const [batch, file, indicator, superseded] = await Promise.all([
    knex('batches').where({ id: batch_id }).first('id', 'business_date', 'source', 'location', 'status', 'committed_at', 'etl_run_id'),
    knex('batch_files').where({ batch_id, feed: 'payment_vouchers' }).first('feed', 'file_name', 'encoding'),
    rest.indicator_no
      ? knex('budget_indicators').where({ region_code: regionCode, indicator_no: rest.indicator_no }).first()
      : Promise.resolve(undefined),
    knex('superseded_rows')
      .where({ feed: 'payment_vouchers', region_code: regionCode, natural_key: voucherNo })
      .orderBy('superseded_at')
      .select('batch_id', 'superseded_by_batch_id', 'superseded_at', 'change', 'row'),
  ]);
  return {
    voucher: rest,
    batch: { ...batch, id: String(batch.id), etl_run_id: batch.etl_run_id === null ? null : String(batch.etl_run_id) },
    file: file ?? null,
    sourceLine: source_line,
    indicator: indicator ?? null,
    superseded,
  };
}
