import Decimal from 'decimal.js';
import type { Knex } from 'knex';
import type { InternalTransfer, Netting } from './contract.js';
import { aggregate, aggregateRows, aggregateSql, revenueSql, type AggregateQuery, type AggregateRow, type AggregateSqlRow, type RevenueRow } from './queries.js';
import { subtreeOf } from './scope.js';
import type { DrillContext, ScopePart } from './service.js';

/**
 * 全辖 figures: the sum of the 本级 figures of the regions in scope, each at its own as-of
 * date, less the transfers between two of them (the payer's 补助下级 indicator and its
 * payments), which a plain sum would count twice. 本级 is the same code with one part.
 */

type Cells = Omit<AggregateQuery, 'regionCodes' | 'fiscalYear' | 'asOf'>;

/** Sum cells sharing (key, key2), exactly; `sign` −1 subtracts the second list. */
export function mergeCells(a: AggregateRow[], b: AggregateRow[], sign: 1 | -1 = 1): AggregateRow[] {
  const out = new Map<string, { row: AggregateRow; budget: Decimal; paid: Decimal; un: Decimal; n: bigint }>();
  const add = (r: AggregateRow, s: 1 | -1) => {
    const k = JSON.stringify([r.key, r.key2 ?? null]);
    const cur = out.get(k) ?? { row: r, budget: new Decimal(0), paid: new Decimal(0), un: new Decimal(0), n: 0n };
    cur.budget = cur.budget.plus(new Decimal(r.budget).times(s));
    cur.paid = cur.paid.plus(new Decimal(r.paid).times(s));
    cur.un = cur.un.plus(new Decimal(r.paidUnmatched).times(s));
    cur.n += BigInt(r.vouchers) * BigInt(s);
    out.set(k, cur);
  };
  a.forEach((r) => add(r, 1));
  b.forEach((r) => add(r, sign));
  const cmp = (x: string | null | undefined, y: string | null | undefined) => (x === y ? 0 : x == null ? 1 : y == null ? -1 : x < y ? -1 : 1);
  return [...out.values()]
    .map(({ row, budget, paid, un, n }) => ({ ...row, budget: budget.toFixed(2), paid: paid.toFixed(2), paidUnmatched: un.toFixed(2), vouchers: n.toString() }))
    .sort((x, y) => cmp(x.key, y.key) || cmp(x.key2, y.key2));
}

/**
 * The cells over some parts, each region at its own as-of date: one query whatever the number
 * of regions and dates (a province's 176 regions are not 176 queries), summed in SQL to the cent.
 */
export async function aggregateParts(knex: Knex, fiscalYear: number, parts: ScopePart[], q: Cells): Promise<AggregateRow[]> {
  if (!parts.length) return [];
  return aggregate(knex, partsQuery(fiscalYear, parts, q));
}

/** The cells query over the parts (at least one), each region through its own as-of date. */
function partsQuery(fiscalYear: number, parts: ScopePart[], q: Cells): AggregateQuery {
  const asOf = parts.reduce((m, p) => (p.asOf > m ? p.asOf : m), parts[0]!.asOf);
  return { ...q, regionCodes: parts.map((p) => p.regionCode), asOfs: parts.map((p) => p.asOf), fiscalYear, asOf };
}

export type { InternalTransfer, Netting };

type TransferRow = { transfer_no: string; region_code: string; counterpart_region: string; title: string; amount: string; indicator_no: string | null; matched: boolean };
/** The netting statement's one row: the transfers within scope and the regions that delivered the feed. */
type NettingRow = { transfers: TransferRow[]; delivered: string[] };

const NO_NETTING: Netting = { netted: [], unmatched: [], notDelivered: [], statement: null };

/** The netting statement, or none when nothing can be netted (本级, or a 全辖 of one region). */
function nettingSql(ctx: DrillContext): { sql: string; bindings: unknown[] } | undefined {
  if (ctx.scope !== 'all' || ctx.regions.length < 2) return undefined;
  const codes = ctx.regions.map((r) => r.code);
  // Both lists in one statement (each round trip saved is a province overview's throughput);
  // the amounts travel as text inside the JSON, never as JSON numbers.
  return {
    sql: `select coalesce((
              select json_agg(x order by x.region_code, x.transfer_no) from (
                select t.transfer_no, t.region_code, t.counterpart_region, t.title, t.amount::text as amount, t.indicator_no,
                       exists (select 1 from budget_indicators i where i.region_code = t.region_code and i.indicator_no = t.indicator_no) as matched
                  from transfer_payments t
                 where t.region_code = any(?) and t.counterpart_region = any(?) and t.fiscal_year = ? and t.direction = '下达下级') x
            ), '[]') as transfers,
            -- Each region one probe of batch_files (region_code, feed), however long its delivery history.
            array(select r.region_code from unnest(?::text[]) as r(region_code)
                   where exists (select 1 from batch_files f join batches b on b.region_code = f.region_code and b.id = f.batch_id
                                  where f.region_code = r.region_code and f.feed = 'transfer_payments' and b.status = 'committed')) as delivered`,
    bindings: [codes, codes, ctx.fiscalYear, ctx.parts.map((p) => p.regionCode)],
  };
}

/** The transfers between regions in scope (全辖 only), from the transfer_payments feed where it is delivered. */
export async function transferNetting(knex: Knex, ctx: DrillContext): Promise<Netting> {
  const q = nettingSql(ctx);
  if (!q) return NO_NETTING;
  const { rows: [row] } = await knex.raw<{ rows: NettingRow[] }>(q.sql, q.bindings as Knex.RawBinding[]);
  return nettingOf(ctx, row!);
}

function nettingOf(ctx: DrillContext, both: NettingRow): Netting {
  const withData = ctx.parts.map((p) => p.regionCode);
  const toTransfer = (t: TransferRow): InternalTransfer => ({
    transferNo: t.transfer_no, payer: t.region_code, receiver: t.counterpart_region, title: t.title, amount: new Decimal(t.amount).toFixed(2),
    indicatorNo: t.matched ? t.indicator_no : null,
  });
  const all = both.transfers.map(toTransfer);
  const got = new Set(both.delivered);
  const notDelivered = ctx.regions.filter((r) => withData.includes(r.code) && !got.has(r.code)).map((r) => ({ code: r.code, name: r.name }));
  const netted = all.filter((t) => t.indicatorNo);
  const unmatched = all.filter((t) => !t.indicatorNo);
  const said: string[] = [];
  if (netted.length) said.push(`已抵消上下级转移支付 ${netted.length} 笔（按下达方的补助下级指标及其支付）`);
  if (notDelivered.length) said.push(`${notDelivered.map((r) => r.name).join('、')}未报送转移支付数据，其补助下级支出与上级补助收入未抵消`);
  if (unmatched.length) {
    const shown = unmatched.slice(0, 3).map((t) => t.transferNo).join('、');
    said.push(`${unmatched.length}笔下达下级转移支付未注明下达方指标（${shown}${unmatched.length > 3 ? '等' : ''}），未作抵消`);
  }
  return { netted, unmatched, notDelivered, statement: said.length ? `${said.join('；')}。` : null };
}

/** The payer indicators a set of transfers nets: each once (two transfers may name one indicator). */
export const nettedIndicators = (ts: InternalTransfer[]): [string, string][] =>
  [...new Map(ts.filter((t) => t.indicatorNo).map((t) => [`${t.payer}|${t.indicatorNo}`, [t.payer, t.indicatorNo!] as [string, string]])).values()];

/** The netted cells: the payer indicators' figures, grouped as the level asks, at each payer's as-of date. */
export async function nettingCells(knex: Knex, ctx: DrillContext, ts: InternalTransfer[], q: Cells): Promise<AggregateRow[]> {
  const pairs = nettedIndicators(ts);
  if (!pairs.length) return [];
  const payers = new Set(pairs.map(([r]) => r));
  return aggregateParts(knex, ctx.fiscalYear, ctx.parts.filter((p) => payers.has(p.regionCode)), { ...q, indicatorsIn: pairs });
}

/**
 * The scope's cells: Σ parts − netted transfers. The netting may still be on its way (a
 * promise): the gross cells are read meanwhile, and only a scope with netted transfers waits
 * for a second query.
 */
export async function scopeCells(knex: Knex, ctx: DrillContext, q: Cells, netting?: Netting | Promise<Netting>): Promise<AggregateRow[]> {
  const [gross, n] = await Promise.all([aggregateParts(knex, ctx.fiscalYear, ctx.parts, q), netting]);
  return lessNetted(knex, ctx, gross, n, q);
}

/** The gross cells less the cells of the transfers netted within the scope. */
async function lessNetted(knex: Knex, ctx: DrillContext, gross: AggregateRow[], netting: Netting | undefined, q: Cells): Promise<AggregateRow[]> {
  const net = netting?.netted.length ? await nettingCells(knex, ctx, netting.netted, q) : [];
  return net.length ? mergeCells(gross, net, -1) : gross;
}

/** Each part's revenue month: its as-of month in the fiscal year (12 past it, 0 before it). */
const revenueMonths = (ctx: DrillContext) =>
  ctx.parts.map((p) => {
    const y = Number(p.asOf.slice(0, 4));
    return y > ctx.fiscalYear ? 12 : y < ctx.fiscalYear ? 0 : Number(p.asOf.slice(5, 7));
  });

/**
 * What an overview reads, as one statement: the scope's gross cells, the revenue and the
 * netting (each a JSON column, the amounts as text). At province scale the request's cost is
 * mostly per round trip — sending, waking the backend, planning, parsing — so three become one
 * (issue 19 item 5). Only a scope with netted transfers reads their cells after.
 */
export async function scopeOverview(knex: Knex, ctx: DrillContext, q: Cells): Promise<{ cells: AggregateRow[]; revenue: RevenueRow[]; netting: Netting }> {
  if (!ctx.parts.length) return { cells: [], revenue: [], netting: await transferNetting(knex, ctx) };
  const aq = partsQuery(ctx.fiscalYear, ctx.parts, q);
  const cells = aggregateSql(aq);
  const revenue = revenueSql(ctx.parts.map((p) => p.regionCode), ctx.fiscalYear, revenueMonths(ctx));
  const netting = nettingSql(ctx);
  const { rows: [row] } = await knex.raw<{ rows: { cells: AggregateSqlRow[]; revenue: RevenueRow[]; netting: NettingRow | null }[] }>(
    `select (select coalesce(json_agg(c), '[]') from (${cells.sql}) c) as cells,
            (select coalesce(json_agg(r), '[]') from (${revenue.sql}) r) as revenue,
            ${netting ? `(select row_to_json(n) from (${netting.sql}) n)` : 'null'} as netting`,
    [...cells.bindings, ...revenue.bindings, ...(netting?.bindings ?? [])] as Knex.RawBinding[],
  );
  const n = row!.netting ? nettingOf(ctx, row!.netting) : NO_NETTING;
  return { cells: await lessNetted(knex, ctx, aggregateRows(aq, row!.cells), n, q), revenue: row!.revenue, netting: n };
}

/** The row of the 全辖 regions level a region's figures belong to: the top region's 本级, or the child whose subtree holds it. */
export function rowOfRegion(ctx: DrillContext): Map<string, string> {
  const m = new Map<string, string>([[ctx.regionCode, ctx.regionCode]]);
  for (const child of ctx.regions.filter((r) => r.parentCode === ctx.regionCode)) for (const c of subtreeOf(ctx.regions, child.code)) m.set(c, child.code);
  return m;
}
