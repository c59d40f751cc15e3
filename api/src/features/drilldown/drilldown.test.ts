import Decimal from 'decimal.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type TestDatabase, loginAs, type TestServer, seedDrillData, openApiTest, type ApiTest, expectFieldError } from '../../testing/index.js';
import { refreshAggregates } from './aggregates.js';
import { aggregate } from './queries.js';
import { resolveContext } from './service.js';
import { listTotals, voucherTotals } from './voucher-queries.js';

const sum = (xs: string[]) => xs.reduce((a, x) => a.plus(x), new Decimal(0)).toFixed(2);

describe('drill-down', () => {
  let db: TestDatabase;
  let srv: TestServer;
  let staff: string;
  let t: ApiTest;
  beforeAll(async () => {
    t = await openApiTest({ seed: (db) => seedDrillData(db.knex) });
    ({ db, srv, staff } = t);
  });
  afterAll(async () => {
    await t?.close();
  });

  const get = async (path: string, cookie = staff) => {
    const res = await fetch(`${srv.baseUrl}/api/v1${path}`, { headers: { cookie } });
    return { status: res.status, body: await res.json() };
  };

  it('defaults the as-of date to the latest committed batch and computes time progress by days', async () => {
    const { status, body } = await get('/drill/summary');
    expect(status).toBe(200);
    expect(body.data.asOf).toBe('2025-09-30');
    expect(body.data.fiscalYear).toBe(2025);
    expect(body.data.timeProgress).toMatchObject({ convention: 'days', elapsed: 273, total: 365, percent2dp: '74.79' });
    expect(body.data.timeProgress.rateExact.startsWith('0.747945205479452054')).toBe(true);
    const monthly = (await get('/drill/summary?progress=months')).body.data.timeProgress;
    expect(monthly).toMatchObject({ elapsed: 9, total: 12, percent2dp: '75.00' });
  });

  it('summary: the four budgets, totals equal to the raw tables to the cent', async () => {
    const { body } = await get('/drill/summary');
    const d = body.data;
    expect(d.fundTypes.map((f: { code: string }) => f.code)).toEqual(['1', '2', '3', '4']);
    expect(d.total.budget).toBe(sum(d.fundTypes.map((f: { budget: string }) => f.budget)));
    expect(d.total.paid).toBe(sum(d.fundTypes.map((f: { paid: string }) => f.paid)));
    const raw = await db.knex('payment_vouchers').where({ region_code: '411100', fiscal_year: 2025 }).andWhere('pay_date', '<=', '2025-09-30').sum('amount as s').first();
    expect(d.total.paid).toBe(new Decimal(raw!.s).toFixed(2));
    const rawBudget = await db.knex('budget_indicators').where({ region_code: '411100', fiscal_year: 2025 }).sum('amount as s').first();
    expect(d.total.budget).toBe(new Decimal(rawBudget!.s).toFixed(2));
    // Explicit reconciliation rows: budget = paid with indicator + paid without + unpaid balance.
    const rec = Object.fromEntries(d.reconciliation.map((r: { key: string; amount: string }) => [r.key, r.amount]));
    expect(rec.paid_without_indicator).toBe('3500.52');
    expect(sum([rec.paid_with_indicator, rec.paid_without_indicator, rec.unpaid_balance])).toBe(rec.budget);
    // Execution: exact ratio and its 2-decimal percent agree.
    const exact = new Decimal(d.total.paid).div(d.total.budget);
    expect(d.total.executionRateExact).toBe(exact.toString());
    expect(d.total.executionPercent2dp).toBe(exact.times(100).toFixed(2));
    // The monthly curve ends at the total.
    expect(d.monthly.at(-1).cumulativePaid).toBe(d.fundTypes.reduce((a: Decimal, f: { paid: string }) => a.plus(f.paid), new Decimal(0)).toFixed(2));
    expect(d.fundTypes[0].revenue.actual).not.toBe('0.00');
  });

  it('every level of the whole drill tree reconciles with the level above and with the raw tables', async () => {
    type Level = { rows: { code: string | null; budget: string; paid: string; paidWithoutIndicator: string; voucherCount: string }[]; total: { budget: string; paid: string; paidWithoutIndicator: string; voucherCount: string } };
    const checkLevel = (lv: Level, parent: { budget: string; paid: string; paidWithoutIndicator: string }) => {
      expect(lv.total.budget).toBe(sum(lv.rows.map((r) => r.budget)));
      expect(lv.total.paid).toBe(sum(lv.rows.map((r) => r.paid)));
      expect(lv.total.paidWithoutIndicator).toBe(sum(lv.rows.map((r) => r.paidWithoutIndicator)));
      expect(lv.total.budget).toBe(parent.budget);
      expect(lv.total.paid).toBe(parent.paid);
      expect(lv.total.paidWithoutIndicator).toBe(parent.paidWithoutIndicator);
    };
    const ctx = await resolveContext(db.knex, { regionCode: '411100' });
    let levelsChecked = 0;
    let vouchersSeen = 0n;
    const walk = async (qs: URLSearchParams, parent: Level['total'], next: string[]): Promise<void> => {
      const [level, ...rest] = next;
      if (!level) {
        // Leaf: the vouchers beneath, paged by cursor, sum to the parent's paid.
        let cursor: string | null = null;
        const amounts: string[] = [];
        do {
          const p = new URLSearchParams(qs);
          p.set('limit', '7');
          if (cursor) p.set('cursor', cursor);
          const { body } = await get(`/drill/vouchers?${p}`);
          amounts.push(...body.data.map((v: { amount: string }) => v.amount));
          cursor = body.meta.nextCursor;
        } while (cursor);
        expect(sum(amounts)).toBe(parent.paid);
        expect(String(amounts.length)).toBe(parent.voucherCount);
        vouchersSeen += BigInt(amounts.length);
        return;
      }
      const { status, body } = await get(`/drill/${level}?${qs}`);
      expect(status).toBe(200);
      checkLevel(body.data, parent);
      levelsChecked++;
      // The views and the raw tables agree on every level.
      const filters = body.data.filters;
      const dim = { departments: 'dept', units: 'unit', functions: 'func', indicators: 'indicator' }[level] as 'dept';
      const raw = await aggregate(db.knex, { regionCodes: ['411100'], fiscalYear: ctx.fiscalYear, asOf: ctx.asOf, filters, groupBy: dim, groupLen: body.data.codeLength }, { forceRaw: true });
      expect(raw.map((r) => [r.key, new Decimal(r.budget).toFixed(2), new Decimal(r.paid).toFixed(2)])).toEqual(
        body.data.rows.map((r: { code: string | null; budget: string; paid: string }) => [r.code, r.budget, r.paid]),
      );
      for (const row of body.data.rows) {
        const child = new URLSearchParams(qs);
        if (row.code === null) {
          child.set('unmatched', 'true');
          await walk(child, row, []);
          continue;
        }
        const key = { departments: 'dept', units: 'unit', functions: 'func', indicators: 'indicator' }[level]!;
        child.set(key, row.code);
        // Functions: go down 类 → 款 → 项 before the indicators.
        if (row.exactCode) child.set('funcExact', 'true');
        const deeper = level === 'functions' && !row.exactCode && body.data.codeLength < 7 ? ['functions', ...rest] : rest;
        await walk(child, row, deeper);
      }
    };
    const summary = (await get('/drill/summary')).body.data;
    await walk(new URLSearchParams(), summary.total, ['departments', 'units', 'functions', 'indicators']);
    expect(levelsChecked).toBeGreaterThan(30);
    expect(vouchersSeen.toString()).toBe(summary.total.voucherCount);
  });

  it('economic classes and fund types reconcile too, and the unmatched row is explicit at the indicator level', async () => {
    const total = (await get('/drill/summary')).body.data.total;
    for (const level of ['economics', 'fund-types']) {
      const { body } = await get(`/drill/${level}`);
      expect(body.data.total.paid).toBe(total.paid);
      expect(body.data.total.budget).toBe(total.budget);
    }
    const ind = (await get('/drill/indicators?dept=411100101')).body.data;
    const unmatched = ind.rows.find((r: { kind: string }) => r.kind === 'unmatched');
    expect(unmatched).toMatchObject({ code: null, paid: '1000.02' });
    const idle = (await get('/drill/indicators?unit=411100103001')).body.data.rows.find((r: { code: string }) => r.code === 'ZBTEST-IDLE');
    expect(idle).toMatchObject({ budget: '800000.01', paid: '0.00', unpaidBalance: '800000.01' });
  });

  it('names an indicator by its project, else by what it pays for, never by the document number alone', async () => {
    const rows = (await get('/drill/indicators?unit=411100101001')).body.data.rows as { code: string; name: string; indicator: { docNo: string | null; projectName: string | null } }[];
    const byCode = new Map(rows.map((r) => [r.code, r]));
    const project = rows.find((r) => r.indicator?.projectName);
    expect(project!.name).toBe(project!.indicator.projectName);
    // ZBTEST-CUT has no project: econ 30201 办公费 under function 2050202 小学教育; its doc number stays in the row.
    expect(byCode.get('ZBTEST-CUT')).toMatchObject({ name: '办公费 · 小学教育', indicator: { docNo: '漯财预〔2025〕99号' } });
    expect(rows.filter((r) => r.indicator?.docNo && r.name === r.indicator.docNo)).toEqual([]);
  });

  it('mid-month as-of dates: monthly roll-ups + daily rows equal the daily views and the raw tables', async () => {
    for (const asOf of ['2025-06-15', '2025-01-20', '2025-09-29']) {
      for (const groupBy of ['dept', 'unit', 'month', 'fund_type'] as const) {
        const q = { regionCodes: ['411100'], fiscalYear: 2025, asOf, filters: {}, groupBy };
        const fmt = (rows: { key: string | null; budget: string; paid: string; paidUnmatched: string; vouchers: string }[]) =>
          rows.map((r) => [r.key, new Decimal(r.budget).toFixed(2), new Decimal(r.paid).toFixed(2), new Decimal(r.paidUnmatched).toFixed(2), r.vouchers]);
        const viaViews = fmt(await aggregate(db.knex, q));
        expect(viaViews.length).toBeGreaterThan(0);
        expect(fmt(await aggregate(db.knex, q, { daily: true }))).toEqual(viaViews);
        expect(fmt(await aggregate(db.knex, q, { forceRaw: true }))).toEqual(viaViews);
      }
    }
  });

  it('a voucher coded to a 类 itself is its own exact row below the 类, drilled with funcExact', async () => {
    const kuan = (await get('/drill/functions?unit=411100101001&func=205')).body.data;
    const own = kuan.rows.find((r: { code: string }) => r.code === '205');
    expect(own).toMatchObject({ exactCode: true, paid: '500.00', voucherCount: '1' });
    const exact = (await get('/drill/vouchers?unit=411100101001&func=205&funcExact=true')).body;
    expect(exact.data.map((v: { voucherNo: string }) => v.voucherNo)).toEqual(['PZTEST05']);
    const prefix = (await get('/drill/vouchers?unit=411100101001&func=205')).body;
    expect(prefix.meta.total.count).toBe(kuan.total.voucherCount);
  });

  it('an earlier as-of date counts only what was paid and issued by then', async () => {
    const { body } = await get('/drill/departments?asOf=2025-03-31');
    const raw = await db.knex('payment_vouchers').where({ region_code: '411100', fiscal_year: 2025 }).andWhere('pay_date', '<=', '2025-03-31').sum('amount as s').first();
    expect(body.data.total.paid).toBe(new Decimal(raw!.s).toFixed(2));
    expect(body.data.timeProgress.elapsed).toBe(90);
  });

  it('vouchers: keyset pages by amount, filters by payee, date and amount range, totals match', async () => {
    const seen: string[] = [];
    let cursor: string | null = null;
    let prev: Decimal | null = null;
    do {
      const { body }: { body: { data: { amount: string; voucherNo: string }[]; meta: { nextCursor: string | null } } } = await get(
        `/drill/vouchers?sort=amount&order=asc&limit=50&dept=411100101${cursor ? `&cursor=${cursor}` : ''}`,
      );
      for (const v of body.data) {
        if (prev) expect(new Decimal(v.amount).gte(prev)).toBe(true);
        prev = new Decimal(v.amount);
        seen.push(v.voucherNo);
      }
      cursor = body.meta.nextCursor;
    } while (cursor);
    expect(new Set(seen).size).toBe(seen.length);
    const dept = (await get('/drill/departments')).body.data.rows.find((r: { code: string }) => r.code === '411100101');
    expect(String(seen.length)).toBe(dept.voucherCount);

    const f = await get('/drill/vouchers?payee=测试收款&dateFrom=2025-08-01&dateTo=2025-08-31&amountMin=-1000&amountMax=2000');
    expect(f.body.data.map((v: { voucherNo: string }) => v.voucherNo).sort()).toEqual(['PZTEST01', 'PZTEST03']);
    expect(f.body.meta.total).toEqual({ count: '2', amount: '699.68' });
    const ctx = await resolveContext(db.knex, { regionCode: '411100' });
    expect(await voucherTotals(db.knex, { regionCode: '411100', fiscalYear: 2025, asOf: ctx.asOf, filters: {}, unmatched: true })).toEqual({ count: '3', amount: '3500.52' });
  });

  it('a span\'s totals from the rollups equal the vouchers paid in it, by path filter, month edges and spans past the as-of date', async () => {
    const ctx = await resolveContext(db.knex, { regionCode: '411100' });
    const spans: [string | undefined, string | undefined][] = [
      ['2025-07-01', '2025-09-30'], ['2025-01-01', '2025-01-31'], ['2025-03-15', '2025-08-02'], [undefined, '2025-05-31'],
      ['2025-06-01', undefined], ['2025-08-31', '2025-08-31'], ['2025-09-01', '2099-12-31'], ['2099-01-01', undefined],
    ];
    const paths = [{}, { dept: '411100101' }, { func: '205' }, { dept: '411100101', econ: '302' }, { fundType: '1' }];
    let nonEmpty = 0;
    for (const [dateFrom, dateTo] of spans) {
      for (const filters of paths) {
        const l = { regionCode: '411100', fiscalYear: 2025, asOf: ctx.asOf, filters, dateFrom, dateTo };
        const raw = await voucherTotals(db.knex, l);
        expect(await listTotals(db.knex, l), JSON.stringify(l)).toEqual(raw);
        if (raw.count !== '0') nonEmpty++;
      }
    }
    expect(nonEmpty).toBeGreaterThan(20);
  });

  it('keyset paging with range filters in both directions returns exactly the filtered rows, in order', async () => {
    const base = 'dateFrom=2025-03-01&dateTo=2025-07-31&amountMin=10000&amountMax=150000&limit=7';
    const expected: { voucherNo: string; payDate: string; amount: string }[] = await db.knex('payment_vouchers').where({ region_code: '411100', fiscal_year: 2025 })
      .whereBetween('pay_date', ['2025-03-01', '2025-07-31']).whereBetween('amount', ['10000', '150000'])
      .select('voucher_no as voucherNo', 'pay_date as payDate', 'amount');
    expect(expected.length).toBeGreaterThan(20);
    for (const [sort, order] of [['date', 'asc'], ['date', 'desc'], ['amount', 'asc'], ['amount', 'desc']] as const) {
      const got: { voucherNo: string; payDate: string; amount: string }[] = [];
      let cursor: string | null = null;
      do {
        const { body } = await get(`/drill/vouchers?${base}&sort=${sort}&order=${order}${cursor ? `&cursor=${cursor}` : ''}`);
        got.push(...body.data);
        cursor = body.meta.nextCursor;
      } while (cursor);
      const key = (v: { voucherNo: string; payDate: string; amount: string }) => (sort === 'date' ? v.payDate : new Decimal(v.amount).plus('1e12').toFixed(2).padStart(20, '0'));
      const sorted = [...expected].sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : a.voucherNo < b.voucherNo ? -1 : 1));
      if (order === 'desc') sorted.reverse();
      expect(got.map((v) => v.voucherNo), `${sort} ${order}`).toEqual(sorted.map((v) => v.voucherNo));
    }
  });

  it('one voucher with its lineage: batch, file, source line and earlier versions', async () => {
    const batch = await db.knex('payment_vouchers').where({ region_code: '411100', voucher_no: 'PZTEST02' }).first('batch_id');
    // A version a later bundle corrected (the change column defaults to 'replaced').
    await db.knex('superseded_rows').insert({
      feed: 'payment_vouchers', region_code: '411100', natural_key: 'PZTEST02', row: { amount: '2400.00' }, batch_id: batch.batch_id, superseded_by_batch_id: batch.batch_id,
    });
    const { status, body } = await get('/drill/vouchers/PZTEST02');
    expect(status).toBe(200);
    expect(body.data.voucher).toMatchObject({ voucherNo: 'PZTEST02', amount: '2500.50', indicatorKnown: false });
    expect(body.data.sourceLine).toBe(9102);
    expect(body.data.batch).toMatchObject({ businessDate: '2025-09-30', source: 'demo', status: 'committed' });
    expect(body.data.superseded).toMatchObject([{ batchId: String(batch.batch_id), change: 'replaced', row: { amount: '2400.00' } }]);
    expect((await get('/drill/vouchers/NOPE')).status).toBe(404);
  });

  it('deputies see payee accounts masked; staff see them whole', async () => {
    const deputy = await loginAs(srv.baseUrl, 'deputy');
    const asStaff = (await get('/drill/vouchers/PZTEST01')).body.data.voucher.payeeAccount;
    const asDeputy = (await get('/drill/vouchers/PZTEST01', deputy)).body.data.voucher.payeeAccount;
    expect(asStaff).toBe('6222020200112233445');
    expect(asDeputy).toBe('6222***********3445');
    const list = (await get('/drill/vouchers?limit=20', deputy)).body.data;
    expect(list.length).toBe(20);
    for (const v of list) expect(v.payeeAccount).toMatch(/^.{4}\*+.{4}$/);
  });

  it('caches level answers until the aggregates are refreshed or the time-progress convention changes', async () => {
    const before = (await get('/drill/departments?asOf=2025-09-30')).body.data;
    const batch = await db.knex('batches').where({ region_code: '411100' }).first('id');
    await db.knex('payment_vouchers').insert({
      region_code: '411100', batch_id: batch.id, source_line: 9999, voucher_no: 'PZCACHE01', fiscal_year: 2025, pay_date: '2025-09-01',
      agency_code: '411100104001', dept_code: '411100104', indicator_no: null, func_code: '2010601', econ_code: '30201', fund_type: '1',
      payee_name: '缓存测试', amount: '123.45',
    });
    // Not refreshed yet: the same (cached) figures.
    expect((await get('/drill/departments?asOf=2025-09-30')).body.data).toEqual(before);
    await refreshAggregates(db.knex);
    const after = (await get('/drill/departments?asOf=2025-09-30')).body.data;
    expect(after.total.paid).toBe(new Decimal(before.total.paid).plus('123.45').toFixed(2));
    const setConvention = (c: string) =>
      db.knex.raw(`insert into app_settings (key, value) values ('time_progress_convention', to_jsonb(?::text))
                   on conflict (key) do update set value = excluded.value`, [c]);
    await setConvention('months');
    expect((await get('/drill/departments?asOf=2025-09-30')).body.data.timeProgress.convention).toBe('months');
    await setConvention('days');
    await db.knex('payment_vouchers').where({ voucher_no: 'PZCACHE01' }).delete();
    await refreshAggregates(db.knex);
    expect((await get('/drill/departments?asOf=2025-09-30')).body.data.total.paid).toBe(before.total.paid);
  });

  it('answers 400 VALIDATION naming the field', async () => {
    for (const [qs, field] of [
      ['asOf=2025-13-01', 'asOf'], ['fy=abc', 'fy'], ['func=20', 'func'], ['limit=100000', 'limit'], ['sort=payee', 'sort'],
      ['amountMin=1.234', 'amountMin'], ['cursor=garbage', 'cursor'], ['region=41', 'region'],
    ]) {
      const { status, body } = await get(`/drill/vouchers?${qs}`);
      expectFieldError({ status, body }, field);
    }
  });

  it('answers 404 for a department the region does not have, at the node and at every level below it', async () => {
    const known = await get('/drill/summary?region=411100&dept=411100101');
    expect(known.status).toBe(200);
    for (const path of ['/drill/summary?region=411100&dept=411100999', '/drill/units?region=411100&dept=411100999', '/drill/functions?region=411100&dept=NOPE']) {
      const { status, body } = await get(path);
      expect([path, status, body.error.code]).toEqual([path, 404, 'NOT_FOUND']);
      expect(body.error.message).toMatch(/\p{Script=Han}/u); // shown to the user in Chinese
    }
  });
});
