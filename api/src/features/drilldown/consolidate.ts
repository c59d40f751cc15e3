import Decimal from 'decimal.js';
import type { Knex } from 'knex';
import type { InternalTransfer, Netting } from './contract.js';
import { aggregate, revenueByBudgetType, type AggregateQuery, type AggregateRow, type RevenueRow } from './queries.js';
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
  const asOf = parts.reduce((m, p) => (p.asOf > m ? p.asOf : m), parts[0]!.asOf);
  return aggregate(knex, { ...q, regionCodes: parts.map((p) => p.regionCode), asOfs: parts.map((p) => p.asOf), fiscalYear, asOf });
}

export type { InternalTransfer, Netting };

/** The transfers between regions in scope (全辖 only), from the transfer_payments feed where it is delivered. */
export async function transferNetting(knex: Knex, ctx: DrillContext): Promise<Netting> {
  const none: Netting = { netted: [], unmatched: [], notDelivered: [], statement: null };
  if (ctx.scope !== 'all' || ctx.regions.length < 2) return none;
  const codes = ctx.regions.map((r) => r.code);
  const withData = ctx.parts.map((p) => p.regionCode);
  type TransferRow = { transfer_no: string; region_code: string; counterpart_region: string; title: string; amount: string; indicator_no: string | null; matched: boolean };
  // One round trip for both lists (each one saved is a province overview's throughput); the
  // amounts travel as text inside the JSON, never as JSON numbers.
  const { rows: [both] } = await knex.raw<{ rows: { transfers: TransferRow[]; delivered: string[] }[] }>(
    `select coalesce((
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
    [codes, codes, ctx.fiscalYear, withData],
  );
  const transfers = both!.transfers;
  const toTransfer = (t: (typeof transfers)[number]): InternalTransfer => ({
    transferNo: t.transfer_no, payer: t.region_code, receiver: t.counterpart_region, title: t.title, amount: new Decimal(t.amount).toFixed(2),
    indicatorNo: t.matched ? t.indicator_no : null,
  });
  const all = transfers.map(toTransfer);
  const got = new Set(both!.delivered);
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
  const net = n?.netted.length ? await nettingCells(knex, ctx, n.netted, q) : [];
  return net.length ? mergeCells(gross, net, -1) : gross;
}

/** Revenue per budget type over the parts, each through its own as-of month: one query. */
export async function scopeRevenue(knex: Knex, ctx: DrillContext): Promise<RevenueRow[]> {
  const months = ctx.parts.map((p) => {
    const y = Number(p.asOf.slice(0, 4));
    return y > ctx.fiscalYear ? 12 : y < ctx.fiscalYear ? 0 : Number(p.asOf.slice(5, 7));
  });
  return revenueByBudgetType(knex, ctx.parts.map((p) => p.regionCode), ctx.fiscalYear, months);
}

/** The row of the 全辖 regions level a region's figures belong to: the top region's 本级, or the child whose subtree holds it. */
export function rowOfRegion(ctx: DrillContext): Map<string, string> {
  const m = new Map<string, string>([[ctx.regionCode, ctx.regionCode]]);
  for (const child of ctx.regions.filter((r) => r.parentCode === ctx.regionCode)) for (const c of subtreeOf(ctx.regions, child.code)) m.set(c, child.code);
  return m;
}
