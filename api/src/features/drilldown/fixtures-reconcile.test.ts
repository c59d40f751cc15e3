import Decimal from 'decimal.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../testing/index.js';
import { loadGeneratedCity } from '../../../../etl/src/index.js';
import { POST_LOAD_HOOKS } from '../../post-load.js';
import { AS_OF_DATES } from '../../../../fixtures/src/as-of-dates.js';
import { aggregate, type DrillFilters } from './queries.js';
import { getBreakdown, getSummary, resolveContext, type BreakdownLevel, type DrillContext, type Figures } from './service.js';
import { voucherTotals } from './voucher-queries.js';

/**
 * A small generated city as of each of the any-date test dates, loaded through the real ETL
 * (readers, merge, post-load refresh of the aggregates), then the whole drill tree of every
 * region walked: at each level the total equals the parent's figures and the sum of the rows
 * to the cent, the rows equal the raw tables, and every indicator row (and the 无指标支付 row)
 * equals the vouchers beneath it.
 */
describe.each(AS_OF_DATES)('drill tree over generated fixtures as of %s', (asOf) => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase();
    const r = await loadGeneratedCity(db.knex, { until: asOf, vouchers: 16_000, postLoad: POST_LOAD_HOOKS });
    expect(r.run.results.every((b) => b.outcome === 'committed')).toBe(true);
    // Statistics for the freshly loaded tables (autovacuum would get there, but not before the test).
    await db.knex.raw('analyze');
  }, 300_000);
  afterAll(async () => {
    await db?.drop();
  });

  const money = (v: Decimal.Value) => new Decimal(v).toFixed(2);
  const sum = (xs: string[]) => money(xs.reduce((a, x) => a.plus(x), new Decimal(0)));
  type F = Pick<Figures, 'budget' | 'paid' | 'paidWithoutIndicator' | 'voucherCount'>;
  const same = (a: F, b: F) => [a.budget, a.paid, a.paidWithoutIndicator, a.voucherCount].join(' ') === [b.budget, b.paid, b.paidWithoutIndicator, b.voucherCount].join(' ');

  const early = asOf.slice(5) < '01-10';

  it('every level of every region reconciles to the cent', async () => {
    const regions: string[] = await db.knex('payment_vouchers').distinct('region_code').orderBy('region_code').pluck('region_code');
    expect(regions.length).toBeGreaterThan(1);
    let levels = 0;
    const t0 = performance.now();
    let leaves = 0;
    const failures: string[] = [];

    const walk = async (ctx: DrillContext, filters: DrillFilters, parent: F, path: BreakdownLevel[], trail: string): Promise<void> => {
      const [level, ...rest] = path;
      if (!level) return;
      const b = await getBreakdown(db.knex, ctx, { level, filters });
      levels++;
      const rowsTotal = {
        budget: sum(b.rows.map((r) => r.budget)), paid: sum(b.rows.map((r) => r.paid)),
        paidWithoutIndicator: sum(b.rows.map((r) => r.paidWithoutIndicator)), voucherCount: String(b.rows.reduce((a, r) => a + BigInt(r.voucherCount), 0n)),
      };
      if (!same(b.total, parent) || !same(rowsTotal, b.total)) failures.push(`${trail} ${level}: total ${JSON.stringify(b.total)} parent ${JSON.stringify(parent)}`);
      // The upper levels, read from the views, equal the raw tables; below them each level's
      // total equals its parent's, and the indicator level (raw) equals the vouchers beneath.
      if (level === 'departments' || level === 'units') {
        const raw = await aggregate(db.knex, {
          regionCodes: [ctx.regionCode], fiscalYear: ctx.fiscalYear, asOf: ctx.asOf, filters, groupBy: level === 'units' ? 'unit' : 'dept',
        }, { forceRaw: true });
        const viewRows = b.rows.map((r) => [r.code, r.budget, r.paid, r.paidWithoutIndicator, r.voucherCount].join(' '));
        const rawRows = raw.map((r) => [r.key, money(r.budget), money(r.paid), money(r.paidUnmatched), r.vouchers].join(' '));
        if (viewRows.join('\n') !== rawRows.join('\n')) failures.push(`${trail} ${level}: rows differ from the raw tables`);
      }
      if (level === 'indicators') {
        // Leaf: the voucher list's own filters select exactly the vouchers beneath this node,
        // and those without a known indicator are exactly the 无指标支付 row.
        const base = { regionCode: ctx.regionCode, fiscalYear: ctx.fiscalYear, asOf: ctx.asOf, filters };
        const [all, unmatched] = await Promise.all([voucherTotals(db.knex, base), voucherTotals(db.knex, { ...base, unmatched: true })]);
        const none = b.rows.find((r) => r.code === null);
        leaves++;
        if (all.count !== b.total.voucherCount || all.amount !== b.total.paid) failures.push(`${trail}: vouchers ${all.count}/${all.amount} vs ${b.total.voucherCount}/${b.total.paid}`);
        if (unmatched.amount !== (none?.paid ?? '0.00') || unmatched.amount !== b.total.paidWithoutIndicator) failures.push(`${trail}: 无指标支付 ${unmatched.amount} vs ${none?.paid}`);
        return;
      }
      for (const row of b.rows) {
        const key = ({ departments: 'dept', units: 'unit', functions: 'func' } as const)[level as 'units'];
        // A 类/款 row with deeper codes goes down a level; a row coded to the shorter code itself
        // (exactCode) goes on to its indicators with an exact match.
        const deeper = level === 'functions' && !row.exactCode && (b.codeLength ?? 7) < 7 ? ['functions' as const, ...rest] : rest;
        await walk(ctx, { ...filters, [key]: row.code!, ...(row.exactCode ? { funcExact: true } : {}) }, row, deeper, `${trail}/${row.code}`);
      }
    };

    await Promise.all(regions.map(async (regionCode) => {
      // The as-of year itself (in January–March the dashboard would open on the year before).
      const latest = await resolveContext(db.knex, { regionCode, fiscalYear: Number(asOf.slice(0, 4)) });
      expect(latest.asOf).toBe(asOf);
      for (const fiscalYear of [latest.fiscalYear - 1, latest.fiscalYear]) {
        const ctx = await resolveContext(db.knex, { regionCode, fiscalYear });
        const s = await getSummary(db.knex, ctx);
        const rawPaid = await db.knex('payment_vouchers').where({ region_code: regionCode, fiscal_year: fiscalYear }).andWhere('pay_date', '<=', ctx.asOf).sum('amount as s').first();
        const rawBudget = await db.knex('budget_indicators').where({ region_code: regionCode, fiscal_year: fiscalYear }).andWhere('issued_on', '<=', ctx.asOf).sum('amount as s').first();
        expect([regionCode, fiscalYear, s.total.paid, s.total.budget]).toEqual([regionCode, fiscalYear, money(rawPaid!.s ?? 0), money(rawBudget!.s ?? 0)]);
        expect(sum(s.fundTypes.map((f) => f.paid))).toBe(s.total.paid);
        const rec = Object.fromEntries(s.reconciliation.map((r) => [r.key, r.amount]));
        expect(sum([rec.paid_with_indicator!, rec.paid_without_indicator!, rec.unpaid_balance!])).toBe(rec.budget);
        for (const level of ['economics', 'fund-types'] as const) {
          const b = await getBreakdown(db.knex, ctx, { level });
          expect(same(b.total, s.total), `${regionCode} ${fiscalYear} ${level}`).toBe(true);
        }
        // The current year down to the vouchers (last year instead on the first days of January,
        // when the new year has no indicators yet); the other year through its units.
        const deep = early ? fiscalYear === latest.fiscalYear - 1 : fiscalYear === latest.fiscalYear;
        const path: BreakdownLevel[] = deep ? ['departments', 'units', 'functions', 'indicators'] : ['departments', 'units'];
        await walk(ctx, {}, s.total, path, `${regionCode}/${fiscalYear}`);
      }
    }));
    console.log(`walked ${levels} levels, ${leaves} voucher leaves in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
    expect(failures).toEqual([]);
    expect(levels).toBeGreaterThan(100);
    expect(leaves).toBeGreaterThan(20);
  }, 300_000);
});
