import { parse } from 'csv-parse/sync';
import Decimal from 'decimal.js';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { type TestDatabase, type TestServer, openApiTest, type ApiTest, expectFieldError, seedSmallCity } from '../../testing/index.js';

// Debt, state assets and audit findings over the demo data as of 2025-09-30.
describe('debt, assets and audit modules', () => {
  let db: TestDatabase;
  let srv: TestServer;
  let cookie: string;
  let t: ApiTest;
  beforeAll(async () => {
    t = await openApiTest({
      seed: async (db) => {
        await seedSmallCity(db.knex, '2025-10-01');
        const batch = await db.knex('batches').where({ region_code: '411100' }).first('id');
        const lin = { region_code: '411100', batch_id: batch.id };
        await db.knex('debt_repayments').insert({ ...lin, source_line: 500, bond_code: '41110020220102', due_date: '2025-09-01', principal: '1000000.00', interest: '26500.00', paid_on: null, paid_amount: null });
        await db.knex('audit_findings').insert({
          ...lin, source_line: 501, finding_no: 'SJ2023X', audit_year: 2023, audit_project: '2023年度预算执行审计', agency_code: '411100101',
          category: '预算执行', description: '资金沉淀', amount_involved: '500000.00', rectify_deadline: '2024-06-30', status: '已整改', rectified_amount: '500000.00', closed_on: '2024-06-01',
        });
      },
    });
    ({ db, srv, deputy: cookie } = t);
  });
  afterAll(async () => {
    await t?.close();
  });
  const get = async (path: string) => {
    const res = await fetch(`${srv.baseUrl}/api/v1${path}`, { headers: { cookie } });
    return { status: res.status, body: await res.json() };
  };

  it('debt summary: ratio = (general + special balance) / fiscal capacity, graded', async () => {
    const { status, body } = await get('/debt/summary');
    expect(status).toBe(200);
    const l = await db.knex('debt_limits').where({ region_code: '411100', fiscal_year: 2025 }).first();
    const ratio = new Decimal(l.general_balance).plus(l.special_balance).div(l.fiscal_capacity);
    expect(body.data.debtRatio.rateExact).toBe(ratio.toString());
    expect(body.data.debtRatio.percent2dp).toBe(ratio.times(100).toFixed(2));
    expect(body.data.debtRatio.grade).toBe('yellow');
    expect(body.data.total.balance).toBe(new Decimal(l.general_balance).plus(l.special_balance).toFixed(2));
  });

  it('bonds, maturity schedule by year and month, repayments overdue and due', async () => {
    const bonds = (await get('/debt/bonds')).body.data;
    expect(bonds).toHaveLength(3);
    const byYear = (await get('/debt/maturities?by=year')).body.data;
    const raw = await db.knex('debt_repayments').where({ region_code: '411100' }).sum('interest as i').first();
    expect(byYear.reduce((a: Decimal, r: { interest: string }) => a.plus(r.interest), new Decimal(0)).toFixed(2)).toBe(new Decimal(raw!.i).toFixed(2));
    expect(byYear.map((r: { period: string }) => r.period)).toEqual(['2025', '2026']);
    const byMonth = (await get('/debt/maturities?by=month')).body.data;
    expect(byMonth.map((r: { period: string }) => r.period)).toEqual(['2025-09', '2026-06']);
    const overdue = (await get('/debt/repayments?status=overdue')).body.data;
    expect(overdue).toHaveLength(1);
    expect(overdue[0]).toMatchObject({ bondCode: '41110020220102', daysOverdue: 29 });
    expect((await get('/debt/repayments?status=due&withinDays=365')).body.data).toHaveLength(3);
    expect((await get('/debt/repayments?status=due&withinDays=30')).body.data).toHaveLength(0);
  });

  it('the maturity wall from today on: repayments already due are left out, each year carries the bonds maturing in it', async () => {
    vi.stubEnv('BW_TODAY', '2025-10-01');
    try {
      const wall = (await get('/debt/maturities?by=year&upcoming=true')).body;
      expect(wall.meta.from).toBe('2025-10-01');
      const bonds = await db.knex('debt_bonds').where({ region_code: '411100' }).orderBy('maturity_date').select('maturity_date', 'amount');
      expect(wall.data.map((r: { period: string; maturing: string }) => [r.period, r.maturing])).toEqual(bonds.map((b) => [b.maturity_date.slice(0, 4), b.amount]));
      // The 2025-09-01 repayment is before today: no 2025 column; 2026's interest is all still to come.
      const due2026 = await db.knex('debt_repayments').where({ region_code: '411100' }).whereBetween('due_date', ['2026-01-01', '2026-12-31']).sum('interest as i').first();
      expect(wall.data[0]).toMatchObject({ period: '2026', interest: new Decimal(due2026!.i).toFixed(2) });
    } finally {
      vi.unstubAllEnvs();
    }
  });

  it('bonds and repayments come a page at a time with their total when a page is asked for', async () => {
    const all = (await get('/debt/repayments')).body.data;
    const first = (await get('/debt/repayments?page=1&pageSize=2')).body;
    expect(first.data).toEqual(all.slice(0, 2));
    expect(first.meta).toMatchObject({ total: all.length, page: 1, pageSize: 2 });
    expect((await get('/debt/repayments?page=2&pageSize=2')).body.data).toEqual(all.slice(2, 4));
    const bonds = (await get('/debt/bonds?page=2&pageSize=2')).body;
    expect([bonds.data.length, bonds.meta.total]).toEqual([1, 3]);
    expect((await get('/debt/bonds?page=0')).status).toBe(400);
  });

  it('state-asset reports carry liability ratios; idle cards carry days idle', async () => {
    const { body } = await get('/assets/reports');
    expect(body.meta.year).toBe(2024);
    const sc = body.data.find((r: { assetCategory: string }) => r.assetCategory === '企业');
    expect(sc.liabilityPercent2dp).toBe(new Decimal('8900000000').div('12800000000').times(100).toFixed(2));
    expect(new Decimal(sc.liabilityRatioExact).toFixed(10)).toBe(new Decimal('8900000000').div('12800000000').toFixed(10));
    const idle = (await get('/assets/idle')).body.data;
    expect(idle).toHaveLength(1);
    expect(idle[0]).toMatchObject({ assetName: '农机具仓库', status: '闲置', daysInStatus: 944 });
    expect((await get('/assets/idle?minDays=1000')).body.data).toHaveLength(0);
  });

  it('audit findings: overdue with days, repeat findings across audit years', async () => {
    const all = (await get('/audit/findings')).body;
    expect(all.data).toHaveLength(3);
    const overdue = (await get('/audit/overdue')).body.data;
    expect(overdue.map((f: { findingNo: string; daysOverdue: number }) => [f.findingNo, f.daysOverdue])).toEqual([['SJ2024411100' + '01', 92]]);
    const repeats = (await get('/audit/repeats')).body.data;
    expect(repeats).toEqual([
      expect.objectContaining({ agencyCode: '411100101', category: '预算执行', auditYears: [2023, 2024], findings: '2' }),
    ]);
  });

  it('逾期天数: a repayment settled by the as-of date counts the days it was late, one still open counts to the as-of date', async () => {
    const batch = await db.knex('batches').where({ region_code: '411100' }).first('id');
    const row = (source_line: number, due_date: string, paid_on: string | null, paid_amount: string | null) => ({
      region_code: '411100', batch_id: batch.id, source_line, bond_code: 'HN2016ZX006', due_date, principal: '100.00', interest: '1.00', paid_on, paid_amount,
    });
    await db.knex('debt_repayments').insert([
      row(900, '2016-11-06', '2016-11-03', '101.00'), // paid early: 0, not the 3,676 days since the due date
      row(901, '2024-03-01', '2024-03-11', '101.00'), // paid 10 days late
      row(902, '2025-09-10', '2025-10-05', '101.00'), // paid after the as-of date: open on 2025-09-30, 20 days
      row(903, '2025-09-20', '2025-09-25', '50.00'), // part-paid: still open, 10 days
    ]);
    try {
      const expected = { '2016-11-06': 0, '2024-03-01': 10, '2025-09-10': 20, '2025-09-20': 10 };
      const api = (await get('/debt/repayments')).body.data.filter((r: { bondCode: string }) => r.bondCode === 'HN2016ZX006');
      expect(Object.fromEntries(api.map((r: { dueDate: string; daysOverdue: number }) => [r.dueDate, r.daysOverdue]))).toEqual(expected);
      const res = await fetch(`${srv.baseUrl}/api/v1/exports/debt-repayments?format=csv`, { headers: { cookie } });
      const csv = parse((await res.text()).replace(/^\uFEFF/, ''), { columns: true }) as Record<string, string>[];
      const exported = csv.filter((r) => r['债券编码'] === 'HN2016ZX006');
      expect(Object.fromEntries(exported.map((r) => [r['应还日期'], Number(r['逾期天数'])]))).toEqual(expected);
    } finally {
      await db.knex('debt_repayments').where({ bond_code: 'HN2016ZX006' }).delete();
    }
  });

  it('全辖 (scope=all): debt summed over the city and its counties, lists over all of them, export named 漯河市全市', async () => {
    const codes = ['411100', '411102', '411103', '411104', '411121', '411122'];
    const limits = await db.knex('debt_limits').whereIn('region_code', codes).distinctOn('region_code').orderBy([{ column: 'region_code' }, { column: 'fiscal_year', order: 'desc' }]).select('*');
    expect(limits.length).toBeGreaterThan(1);
    const balance = limits.reduce((a, l) => a.plus(l.general_balance).plus(l.special_balance), new Decimal(0));
    const all = (await get('/debt/summary?scope=all')).body.data;
    expect(all.total.balance).toBe(balance.toFixed(2));
    expect(all.regions).toHaveLength(limits.length);
    const [{ n }] = await db.knex('debt_bonds').whereIn('region_code', codes).count({ n: '*' });
    expect((await get('/debt/bonds?scope=all')).body.data).toHaveLength(Number(n));
    const [{ f }] = await db.knex('audit_findings').whereIn('region_code', codes).count({ f: '*' });
    expect((await get('/audit/findings?scope=all')).body.data).toHaveLength(Number(f));
    const res = await fetch(`${srv.baseUrl}/api/v1/exports/debt-bonds?format=csv&scope=all`, { headers: { cookie } });
    expect(decodeURIComponent(res.headers.get('content-disposition')!)).toContain('漯河市全市');
    const own = await fetch(`${srv.baseUrl}/api/v1/exports/debt-bonds?format=csv`, { headers: { cookie } });
    expect(decodeURIComponent(own.headers.get('content-disposition')!)).toContain('漯河市本级');
  });

  it('validates module queries with 400 naming the field', async () => {
    for (const [path, field] of [['/debt/maturities?by=week', 'by'], ['/assets/idle?minDays=-1', 'minDays'], ['/audit/findings?status=x', 'status'], ['/debt/summary?asOf=2025-02-30', 'asOf']]) {
      const { status, body } = await get(path);
      expectFieldError({ status, body }, field);
    }
  });
});
