import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { type TestDatabase, type TestServer, AGENCIES_CSV, csv, tempInbox, VOUCHER_HEADER, voucher, writeBundle, openApiTest, type ApiTest } from '../../testing/index.js';
import { loadInbox } from '../../../../etl/src/index.js';

describe('/api/v1/data', () => {
  let db: TestDatabase;
  let server: TestServer;
  let staff: string;
  let deputy: string;
  let admin: string;
  let t: ApiTest;
  beforeAll(async () => {
    t = await openApiTest({
      seed: async (db) => {
        const inbox = tempInbox();
        writeBundle(inbox, '411100', '2026-11-20', {
          'agencies.csv': AGENCIES_CSV,
          'payment_vouchers.csv': csv([VOUCHER_HEADER, voucher('PZ1', '10.50'), voucher('PZ2', 'abc'), voucher('PZ3', '-0.50')]),
        });
        writeBundle(inbox, '411100', '2026-11-21', { 'payment_vouchers.csv': 'voucher_no\nX\n' });
        writeBundle(inbox, '410000', '2026-11-21', { 'agencies.csv': AGENCIES_CSV });
        // A province-wide deployment, so the province's own batch is loaded too.
        await loadInbox(db.knex, inbox, { postLoad: [], today: '2026-11-23', deploymentRegion: '410000' });
      },
    });
    ({ db, srv: server, staff, deputy, admin } = t);
  });
  afterAll(async () => {
    await t?.close();
  });

  const get = async (path: string, cookie?: string) => {
    const res = await fetch(`${server.baseUrl}/api/v1${path}`, { headers: cookie ? { cookie } : {} });
    return { status: res.status, body: (await res.json()) as any };
  };

  it('requires a login', async () => {
    expect((await get('/data/runs')).body.error.code).toBe('UNAUTHENTICATED');
  });

  it('lists runs and batches (with files and reject reasons) inside the user region', async () => {
    const runs = await get('/data/runs', deputy);
    expect(runs.status).toBe(200);
    expect(runs.body.data[0]).toMatchObject({ trigger: 'cli', status: 'succeeded' });
    const batches = await get('/data/batches', deputy);
    // staff/deputy see 411100 and below, not the province's batch.
    expect(batches.body.data.map((b: any) => [b.regionCode, b.businessDate, b.status])).toEqual([
      ['411100', '2026-11-21', 'rejected'],
      ['411100', '2026-11-20', 'committed'],
    ]);
    expect(batches.body.data[0]).toMatchObject({ rejectCode: 'MISSING_COLUMN', rejectReason: expect.stringMatching(/\p{Script=Han}/u) });
    expect(batches.body.data[1].files.find((f: any) => f.feed === 'payment_vouchers')).toMatchObject({ rowsRead: 3, rowsLoaded: 2, rowsQuarantined: 1, amountSum: '10.00' });
    expect((await get('/data/batches?region=410000', deputy)).status).toBe(403);
  });

  it('gives per-feed counts, control totals and freshness', async () => {
    const feeds = await get('/data/feeds?region=411100', staff);
    const pv = feeds.body.data.find((f: any) => f.feed === 'payment_vouchers');
    expect(pv).toMatchObject({ title: '支付凭证', tableRows: 2, tableAmountSum: '10.00', latestBusinessDate: '2026-11-20', lastRowsQuarantined: 1 });
    vi.stubEnv('BW_TODAY', '2026-11-25'); // the clock's date, whatever the machine's
    try {
      const fresh = await get('/data/freshness', staff);
      expect(fresh.body.meta).toEqual({ today: '2026-11-25', expectedBusinessDate: '2026-11-24', dataAsOf: '2026-11-20' });
      expect(fresh.body.data.find((f: any) => f.feed === 'agencies')).toMatchObject({ regionCode: '411100', latestBusinessDate: '2026-11-20', daysBehind: 4 });
    } finally {
      vi.unstubAllEnvs();
    }
  });

  it('says 数据截至 of a region alone (本级) or with the regions under it (全辖)', async () => {
    // The province's own batch is of 11-21, 漯河市's of 11-20: 全省 runs to the latest of its regions.
    const asOf = async (q: string, cookie = admin) => (await get(`/data/freshness?${q}`, cookie)).body.meta.dataAsOf;
    expect(await asOf('region=411100')).toBe('2026-11-20');
    expect(await asOf('region=411100&scope=all')).toBe('2026-11-20');
    // A county (under 漯河市) delivered a later day: 全市 runs to it, 市本级 does not.
    const [{ id }] = await db.knex('batches')
      .insert({ region_code: '411102', business_date: '2026-11-22', source: 'test', location: 'test', status: 'committed', committed_at: db.knex.fn.now() })
      .returning('id');
    try {
      expect(await asOf('region=411100', staff)).toBe('2026-11-20');
      expect(await asOf('region=411100&scope=all', staff)).toBe('2026-11-22');
    } finally {
      await db.knex('batches').where({ id }).delete();
    }
    expect(await asOf('region=410000&scope=self')).toBe('2026-11-21');
    expect(await asOf('region=410000&scope=all')).toBe('2026-11-21');
    const all = await get('/data/freshness?region=410000&scope=all', admin);
    expect(new Set(all.body.data.map((f: any) => f.regionCode))).toEqual(new Set(['410000', '411100']));
    // Another user's province stays refused, whatever the scope.
    expect((await get('/data/freshness?region=410000&scope=all', deputy)).status).toBe(403);
    expect((await get('/data/freshness?region=411100&scope=every', staff)).status).toBe(400);
  });

  it('pages quarantined rows with file, line, column and reason', async () => {
    const q = await get('/data/quarantine?limit=10', deputy);
    expect(q.body.meta.total).toBe(1);
    expect(q.body.data[0]).toMatchObject({ feed: 'payment_vouchers', fileName: 'payment_vouchers.csv', lineNo: 3, columnName: 'amount', reasonCode: 'BAD_AMOUNT' });
    expect(q.body.data[0].raw.amount).toBe('abc');
  });

  it('names a batch by region and id (411100-42): the quarantine of one batch, a bare id refused, another region\'s batch out of scope', async () => {
    const { batchId } = (await get('/data/quarantine?limit=10', deputy)).body.data[0];
    expect(batchId).toMatch(/^411100-\d+$/);
    const batches = (await get('/data/batches?region=411100', deputy)).body.data as { id: string; files: { batchId: string }[] }[];
    expect(batches.map((b) => b.id)).toContain(batchId);
    expect(batches.flatMap((b) => b.files.map((f) => f.batchId)).every((id) => batches.some((b) => b.id === id))).toBe(true);
    const one = await get(`/data/quarantine?batchId=${batchId}`, deputy);
    expect([one.status, one.body.meta.total, one.body.data[0].batchId]).toEqual([200, 1, batchId]);
    const [, no] = batchId.split('-');
    expect((await get(`/data/quarantine?batchId=${no}`, deputy)).body.error).toMatchObject({ code: 'VALIDATION' });
    expect((await get(`/data/quarantine?batchId=411100-999999`, deputy)).body.meta.total).toBe(0);
    const province = String((await db.knex('batches').where({ region_code: '410000' }).first('id')).id);
    expect((await get(`/data/quarantine?batchId=410000-${province}`, deputy)).status).toBe(403);
  });

  it('lets staff re-run a date and refuses deputies', async () => {
    const post = (cookie: string, body: unknown) =>
      fetch(`${server.baseUrl}/api/v1/data/rerun`, { method: 'POST', headers: { cookie, 'content-type': 'application/json' }, body: JSON.stringify(body) });
    expect((await post(deputy, { regionCode: '411100', businessDate: '2026-11-20' })).status).toBe(403);
    const missing = await post(staff, { regionCode: '411100', businessDate: '2026-11-19' });
    expect(missing.status).toBe(404);
    expect((await post(staff, { regionCode: '411100', businessDate: 'x' })).status).toBe(400);
  });
});
