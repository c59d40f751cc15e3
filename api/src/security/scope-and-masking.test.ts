import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type TestDatabase, apiCall, loginAs, type TestServer, AGENCIES_CSV, csv, tempInbox, VOUCHER_HEADER, voucher, writeBundle, openApiTest, type ApiTest } from '../testing/index.js';
import { loadInbox } from '../../../etl/src/index.js';
import { createUser } from './attack-client.js';

// Issue 13, items 10 and 11: lists answer only what the user's scope holds, and a payee account
// reaches a deputy masked wherever it appears.
const ACCOUNT = '6222020200112233445';

describe('security: list scope and payee-account masking', () => {
  let db: TestDatabase;
  let srv: TestServer;
  let inbox: string;
  const cookies: Record<string, string> = {};
  let t: ApiTest;
  beforeAll(async () => {
    t = await openApiTest({
      seed: async (db) => {
        inbox = tempInbox('bw-sec-');
        writeBundle(inbox, '411100', '2026-11-20', {
          'agencies.csv': AGENCIES_CSV,
          'payment_vouchers.csv': csv([VOUCHER_HEADER, voucher('PZ1', '10.50', { payee_account: ACCOUNT }), voucher('PZ2', 'abc', { payee_account: ACCOUNT })]),
        });
        writeBundle(inbox, '410000', '2026-11-20', { 'agencies.csv': AGENCIES_CSV });
        // A province-wide deployment (BW_REGION=410000), so the province's own bundle loads too.
        await loadInbox(db.knex, inbox, { postLoad: [], today: '2026-11-23', deploymentRegion: '410000' });
        // A correction: PZ1's first version moves to superseded_rows with its account.
        const second = tempInbox('bw-sec-');
        writeBundle(second, '411100', '2026-11-21', { 'payment_vouchers.csv': csv([VOUCHER_HEADER, voucher('PZ1', '11.00', { payee_account: ACCOUNT })]) });
        await loadInbox(db.knex, second, { postLoad: [], today: '2026-11-23' });
        // A run that failed before any bundle, naming a server path in its error.
        await db.knex('etl_runs').insert({ trigger: 'schedule', status: 'failed', error: `EACCES: permission denied, scandir '${inbox}/440100'`, started_by: 'cron' });
        await createUser(db.knex, { username: 'county_deputy', password: 'County@2026', role: 'deputy', region: '411103' });
      },
    });
    ({ db, srv } = t);
    for (const who of ['staff', 'deputy', 'admin'] as const) cookies[who] = await loginAs(srv.baseUrl, who);
    cookies.county = await loginAs(srv.baseUrl, { username: 'county_deputy', password: 'County@2026' });
  });
  afterAll(async () => {
    await t?.close();
  });
  const get = (who: string, path: string) => apiCall(srv.baseUrl, cookies[who]!, 'GET', path);

  it('attack: a county deputy lists /data/runs and sees no run of the city, the province or without a region', async () => {
    const runs = await get('county', '/data/runs');
    expect(runs.status).toBe(200);
    expect(runs.body.data).toEqual([]);
    expect(JSON.stringify(runs.body)).not.toContain('10.50');
  });

  it('attack: a city deputy sees an inbox run only through its own bundles, counted alone, with no server path', async () => {
    const runs = await get('deputy', '/data/runs');
    const text = JSON.stringify(runs.body);
    expect(text).not.toContain(inbox);
    expect(text).not.toContain('/tmp/');
    expect(runs.body.data).toHaveLength(2); // the two inbox runs; not the region-less failed one
    const first = runs.body.data.find((r: any) => r.summary?.bundles?.length === 1 && r.summary.bundles[0].businessDate === '2026-11-20');
    expect(first.summary.bundles.map((b: any) => b.regionCode)).toEqual(['411100']);
    expect(first.summary.committed).toBe(1);
    expect(first.summary.rowsRead).toBe(first.summary.bundles[0].rowsRead);
    const batches = await get('deputy', '/data/batches');
    expect(JSON.stringify(batches.body)).not.toContain(inbox);
    expect(batches.body.data.length).toBeGreaterThan(0);
  });

  it('the province admin sees every run, the region-less failure too', async () => {
    const runs = await get('admin', '/data/runs');
    expect(runs.body.data).toHaveLength(3);
    expect(runs.body.data.find((r: any) => r.status === 'failed').error).toContain('EACCES');
  });

  it('attack: a deputy reads a superseded voucher version: its payee account is masked', async () => {
    const d = await get('deputy', '/drill/vouchers/PZ1?region=411100');
    expect(d.status).toBe(200);
    expect(d.body.data.superseded).toHaveLength(1);
    expect(d.body.data.superseded[0].row.payee_account).toBe('6222***********3445');
    expect(d.body.data.voucher.payeeAccount).toBe('6222***********3445');
    expect(JSON.stringify(d.body)).not.toContain(ACCOUNT);
    // Staff see the account.
    expect((await get('staff', '/drill/vouchers/PZ1?region=411100')).body.data.superseded[0].row.payee_account).toBe(ACCOUNT);
  });

  it('attack: a deputy reads /data/quarantine: raw rows carry the payee account masked', async () => {
    const q = await get('deputy', '/data/quarantine');
    expect(q.body.data).toHaveLength(1);
    expect(q.body.data[0].raw.amount).toBe('abc');
    expect(q.body.data[0].raw.payee_account).toBe('6222***********3445');
    expect(JSON.stringify(q.body)).not.toContain(ACCOUNT);
    expect((await get('staff', '/data/quarantine')).body.data[0].raw.payee_account).toBe(ACCOUNT);
  });
});
