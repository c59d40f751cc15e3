import Decimal from 'decimal.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../testing/index.js';
import { loadGeneratedCity } from '../../../../etl/src/index.js';
import { POST_LOAD_HOOKS } from '../../post-load.js';
import type { DrillFilters } from './queries.js';
import { nettingCells, transferNetting } from './consolidate.js';
import { getBreakdown, getSummary, resolveContext, type BreakdownLevel, type BreakdownRow, type DrillContext, type Figures } from './service.js';

/**
 * 全辖 on the fixture city (漯河市 and its counties) for 411100 (全市) and 410000 (全省): every
 * figure at every drill level equals the sum of the regions' 本级 figures at their own as-of
 * dates, to the cent — one county's data made to run to an earlier date than the others —
 * and, once a transfer between two of them is delivered, that sum less the netted transfer.
 */
describe('全辖 = Σ 本级 of the regions in scope', () => {
  let db: TestDatabase;
  const asOf = '2026-06-30';
  const LATE = '411122';
  beforeAll(async () => {
    db = await createTestDatabase();
    const r = await loadGeneratedCity(db.knex, { until: asOf, vouchers: 16_000, postLoad: POST_LOAD_HOOKS });
    expect(r.run.results.every((b) => b.outcome === 'committed')).toBe(true);
    // One county's deliveries stop ten days earlier: its figures are taken at its own date.
    await db.knex('batches').where({ region_code: LATE }).update({ business_date: '2026-06-20' });
    await db.knex.raw('analyze');
  }, 300_000);
  afterAll(async () => {
    await db?.drop();
  });

  type F = Pick<Figures, 'budget' | 'paid' | 'paidWithoutIndicator' | 'voucherCount'>;
  const KEYS = ['budget', 'paid', 'paidWithoutIndicator', 'voucherCount'] as const;
  const text = (f: F) => KEYS.map((k) => f[k]).join(' ');
  const add = (fs: F[], sign: F[] = []) =>
    KEYS.map((k) => {
      const s = fs.reduce((a, f) => a.plus(f[k]), new Decimal(0)).minus(sign.reduce((a, f) => a.plus(f[k]), new Decimal(0)));
      return k === 'voucherCount' ? s.toFixed(0) : s.toFixed(2);
    }).join(' ');

  /** The 本级 contexts of the regions a 全辖 context adds up: each at its own latest date. */
  const selves = (all: DrillContext) => Promise.all(all.parts.map((p) => resolveContext(db.knex, { regionCode: p.regionCode, fiscalYear: all.fiscalYear })));

  const DIM = { 'fund-types': 'fund_type', departments: 'dept', units: 'unit', functions: 'func', economics: 'econ', indicators: 'indicator' } as const;
  /** The netted transfers' own cells at a level (the payer indicators and their payments), as figures by code. */
  const nettedAt = async (all: DrillContext, level: BreakdownLevel, filters: DrillFilters, groupLen?: number): Promise<(F & { code: string | null })[]> => {
    const netting = await transferNetting(db.knex, all);
    const cells = await nettingCells(db.knex, all, netting.netted, { filters, groupBy: DIM[level as keyof typeof DIM], groupLen });
    return cells.map((c) => ({ code: c.key, budget: c.budget, paid: c.paid, paidWithoutIndicator: c.paidUnmatched, voucherCount: c.vouchers }));
  };

  /** Walk every level 全辖 has below `filters`: each row + what was netted from it = the sum of the 本级 rows of the same code. */
  async function walk(all: DrillContext, self: DrillContext[], filters: DrillFilters, path: BreakdownLevel[], failures: string[]): Promise<number> {
    const [level, ...rest] = path;
    if (!level) return 0;
    const b = await getBreakdown(db.knex, all, { level, filters });
    const parts = await Promise.all(self.map((c) => getBreakdown(db.knex, c, { level, filters })));
    const netted = await nettedAt(all, level, filters, b.codeLength);
    const byCode = <R extends { code: string | null }>(rows: R[], code: string | null) => rows.filter((r) => r.code === code);
    let n = 1;
    const codes = new Set([...b.rows.map((r) => r.code), ...parts.flatMap((p) => p.rows.map((r) => r.code))]);
    for (const code of codes) {
      const mine = byCode(b.rows, code);
      const sum = add(parts.flatMap((p) => byCode(p.rows, code)));
      const got = mine.length === 1 ? add([mine[0]!, ...byCode(netted, code)]) : '—';
      if (got !== sum) failures.push(`${level} ${JSON.stringify(filters)} ${code}: ${got} ≠ ${sum}`);
    }
    if (add([b.total, ...netted]) !== add(parts.map((p) => p.total))) failures.push(`${level} ${JSON.stringify(filters)} total: ${text(b.total)} ≠ ${add(parts.map((p) => p.total))}`);
    // Down the first two rows of each level, as the drill path goes.
    for (const r of b.rows.filter((x) => x.kind === 'item' && x.code).slice(0, 2)) {
      const key = { 'fund-types': 'fundType', departments: 'dept', units: 'unit', functions: 'func', economics: 'econ' }[level as string];
      if (!key) continue;
      // 类 → 款 → 项 stays on its level until the longest code; a row coded to a 类 itself ends there.
      if (r.exactCode) continue;
      const next = (level === 'functions' || level === 'economics') && r.code!.length < (level === 'functions' ? 7 : 5) ? [level, ...rest] : rest;
      n += await walk(all, self, { ...filters, [key]: r.code! }, next, failures);
    }
    return n;
  }

  for (const region of ['411100', '410000']) {
    it(`${region}: summary and every drill level of 全辖 add up the regions' 本级 figures to the cent`, async () => {
      const all = await resolveContext(db.knex, { regionCode: region, scope: 'all' });
      expect(all.label).toBe(region === '411100' ? '漯河市全市' : '河南省全省');
      expect(all.hasData).toBe(true);
      const self = await selves(all);
      expect(self.map((c) => c.regionCode)).toEqual(expect.arrayContaining(['411100', LATE]));
      expect(self.length).toBeGreaterThan(2);
      // Each region at its own date: the late county at 06-20, the others at 06-30.
      expect(all.parts.find((p) => p.regionCode === LATE)!.asOf).toBe('2026-06-20');
      expect(all.parts.find((p) => p.regionCode === '411100')!.asOf).toBe(asOf);

      const sum = await getSummary(db.knex, all);
      const sums = await Promise.all(self.map((c) => getSummary(db.knex, c)));
      expect(sum.scope.asOfDiffers).toBe(true);
      expect(sum.scope.regions.find((r) => r.code === LATE)).toMatchObject({ asOf: '2026-06-20' });
      const netFund = await nettedAt(all, 'fund-types', {});
      expect(add([sum.total, ...netFund])).toBe(add(sums.map((s) => s.total)));
      for (const f of sum.fundTypes) {
        expect(add([f, ...netFund.filter((x) => x.code === f.code)]), f.name).toBe(add(sums.map((s) => s.fundTypes.find((x) => x.code === f.code)!)));
        expect(f.revenue.actual).toBe(sums.reduce((a, s) => a.plus(s.fundTypes.find((x) => x.code === f.code)!.revenue.actual), new Decimal(0)).toFixed(2));
      }
      if (!netFund.length) for (const m of sum.monthly) expect(m.paid, m.month).toBe(sums.reduce((a, s) => a.plus(s.monthly.find((x) => x.month === m.month)?.paid ?? 0), new Decimal(0)).toFixed(2));
      // The fixture city delivers its transfers; the city's 下达下级 name no indicator of its own: listed, nothing to take off.
      expect(sum.scope.netting.unmatched.length).toBeGreaterThan(0);
      expect(sum.scope.netting.statement).toContain('未作抵消');

      const failures: string[] = [];
      let levels = 0;
      for (const path of [['fund-types', 'departments'], ['functions'], ['economics'], ['departments', 'units', 'indicators']] as BreakdownLevel[][]) {
        levels += await walk(all, self, {}, path, failures);
      }
      expect(failures).toEqual([]);
      expect(levels).toBeGreaterThan(15);

      // 按地区: the rows add up to the 全辖 total; a region under it carries its own 全辖 and date.
      const regions = await getBreakdown(db.knex, all, { level: 'regions' });
      expect(text(regions.total)).toBe(text(sum.total));
      expect(add(regions.rows)).toBe(text(sum.total));
      if (region === '410000') {
        const city = regions.rows.find((r) => r.code === '411100')!;
        expect(city).toMatchObject({ name: '漯河市全市', scope: 'all', asOf, hasData: true });
        expect(regions.rows[0]).toMatchObject({ code: '410000', name: '河南省本级', hasData: false });
      } else {
        expect(regions.rows.find((r) => r.code === LATE)).toMatchObject({ asOf: '2026-06-20', scope: 'all' });
        expect(regions.rows[0]).toMatchObject({ code: '411100', name: '漯河市本级', scope: 'self' });
      }
    }, 300_000);
  }

  it('a region with no delivery says so (hasData false) in 本级; its 全辖 has the data under it', async () => {
    const self = await getSummary(db.knex, await resolveContext(db.knex, { regionCode: '410000' }));
    expect(self.scope).toMatchObject({ hasData: false, label: '河南省本级' });
    const all = await getSummary(db.knex, await resolveContext(db.knex, { regionCode: '410000', scope: 'all' }));
    expect(all.scope.hasData).toBe(true);
    expect(all.scope.regionsWithoutData.length).toBeGreaterThan(100);
  });

  it('本级 按地区: each region at its own as-of date and its own time progress', async () => {
    const ctx = await resolveContext(db.knex, { regionCode: '411100' });
    const b = await getBreakdown(db.knex, ctx, { level: 'regions', regionCodes: ['411100', LATE] });
    const late = b.rows.find((r) => r.code === LATE)!;
    const own = await getSummary(db.knex, await resolveContext(db.knex, { regionCode: LATE }));
    expect(late.asOf).toBe('2026-06-20');
    expect([late.behindProgressPoints2dp, text(late)]).toEqual([own.total.behindProgressPoints2dp, text(own.total)]);
  });

  it('a transfer between two regions in scope is netted from the payer: 全辖 = Σ 本级 − the payer indicator and its payments', async () => {
    // The city passes one of its indicators down to a county, and delivers the feed.
    const [ind] = await db.knex('budget_indicators').where({ region_code: '411100', fiscal_year: 2026 }).orderBy('amount', 'desc').limit(1).select('indicator_no', 'amount');
    const batch = await db.knex('batches').where({ region_code: '411100', status: 'committed' }).first('id');
    await db.knex('batch_files').insert({ region_code: '411100', batch_id: batch.id, feed: 'transfer_payments', file_name: 'transfer_payments.csv' }).onConflict(['batch_id', 'feed', 'region_code']).ignore();
    await db.knex('transfer_payments').insert({
      region_code: '411100', batch_id: batch.id, source_line: 2, transfer_no: 'ZY2026-001', fiscal_year: 2026, direction: '下达下级',
      kind: '专项转移支付', counterpart_region: '411121', title: '测试转移支付', amount: ind.amount, indicator_no: ind.indicator_no,
    });
    const paidOn = await db.knex('payment_vouchers').where({ region_code: '411100', indicator_no: ind.indicator_no }).andWhere('pay_date', '<=', asOf)
      .select(db.knex.raw('coalesce(sum(amount), 0) as paid, count(*) as n')).first();
    const netted: F = { budget: ind.amount, paid: new Decimal(paidOn.paid).toFixed(2), paidWithoutIndicator: '0.00', voucherCount: String(paidOn.n) };
    for (const region of ['411100', '410000']) {
      const all = await resolveContext(db.knex, { regionCode: region, scope: 'all' });
      const self = await selves(all);
      const sum = await getSummary(db.knex, all);
      expect(sum.scope.netting.netted).toHaveLength(1);
      expect(sum.scope.netting.notDelivered.map((r) => r.code)).not.toContain('411100');
      expect(text(sum.total)).toBe(add((await Promise.all(self.map((c) => getSummary(db.knex, c)))).map((s) => s.total), [netted]));
      expect(sum.reconciliation.find((r) => r.key === 'netted_budget')!.amount).toBe(new Decimal(ind.amount).toFixed(2));
      const b = await getBreakdown(db.knex, all, { level: 'fund-types' });
      expect(text(b.total)).toBe(text(sum.total));
      const regions = await getBreakdown(db.knex, all, { level: 'regions' });
      expect(add(regions.rows)).toBe(text(sum.total));
      // Between two rows (city 本级 → a county) it is its own row; inside 漯河市全市 it comes off that row.
      expect(regions.rows.some((r) => r.kind === 'netting')).toBe(region === '411100');
    }
  });
});
