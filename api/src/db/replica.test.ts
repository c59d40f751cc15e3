import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Knex } from 'knex';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadBundle, loadGeneratedCity, runPostLoad } from '../../../etl/src/index.js';
import { POST_LOAD_HOOKS } from '../post-load.js';
import { startReplicatedPair, type ReplicatedPair } from '../testing/replica.js';
import { apiCall, CITY_VOUCHERS, csv, loginAs, startTestServer, VOUCHER_HEADER, writeBundle, type TestServer } from '../testing/index.js';
import { createKnex } from './connection.js';
import { migrateLatest } from './migrator.js';
import { RECENT_WRITE_COOKIE } from './routing.js';

const AS_OF = '2026-06-30';
const REGION = '411100';
/** The dashboard a deputy opens: the summary and the three drill levels of the timings, the alerts, the rules. */
const DASHBOARD = [
  `/drill/summary?region=${REGION}&fy=2026`,
  `/drill/departments?region=${REGION}&fy=2026`,
  `/drill/functions?region=${REGION}&fy=2026`,
  `/alerts?region=${REGION}`,
  `/rules?region=${REGION}`,
];

/**
 * DATABASE_READ_URL against a real streaming replica (issue #20 item 4): a primary and a hot
 * standby from the embedded PostgreSQL binaries (api/src/testing/replica.ts), the app on both.
 * Three apps on the same pair: `viaReplica` (as deployed: replica reads, drill cache on),
 * `uncached` (replica reads, no cache: shows what the replica itself holds) and `direct`
 * (primary only: the expected answers).
 */
describe('a hot-standby replica serves the reads (DATABASE_READ_URL)', () => {
  let root: string;
  let pair: ReplicatedPair;
  let primary: Knex;
  let replica: Knex;
  let viaReplica: TestServer;
  let uncached: TestServer;
  let direct: TestServer;
  const get = async (srv: TestServer, cookie: string, p: string) => {
    const res = await apiCall(srv.baseUrl, cookie, 'GET', p);
    if (res.status !== 200) throw new Error(`GET ${p} → ${res.status} ${JSON.stringify(res.body).slice(0, 300)}`);
    return res.body;
  };

  beforeAll(async () => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'bw-replica-'));
    pair = await startReplicatedPair(root);
    primary = createKnex(pair.primaryUrl);
    replica = createKnex(pair.replicaUrl);
    await migrateLatest(primary);
    viaReplica = await startTestServer(primary, {}, replica);
    uncached = await startTestServer(primary, { BW_API_CACHE: '0' }, replica);
    direct = await startTestServer(primary, { BW_API_CACHE: '0' });
    await pair.waitForReplay();
  }, 240_000);
  afterAll(async () => {
    for (const s of [viaReplica, uncached, direct]) await s?.close();
    await replica?.destroy();
    await primary?.destroy();
    await pair?.stop();
    fs.rmSync(root, { recursive: true, force: true });
  });

  it('the replica is a read-only standby of the primary', async () => {
    expect((await replica.raw('select pg_is_in_recovery() as r')).rows[0].r).toBe(true);
    await expect(replica.raw('create table t_write_probe (a int)')).rejects.toThrow(/read-only transaction/);
    const health = await fetch(`${viaReplica.baseUrl}/api/v1/health`);
    expect([health.status, (await health.json()).status]).toEqual([200, 'ok']);
  });

  it('a login is honoured at once, though the replica has not replayed its session yet', async () => {
    await pair.pauseReplay();
    try {
      const cookie = await loginAs(viaReplica.baseUrl, 'staff');
      const me = await apiCall(viaReplica.baseUrl, cookie, 'GET', '/auth/me');
      expect(me.status).toBe(200);
      expect(me.body.data.user ?? me.body.data).toMatchObject({ username: 'staff' });
      // The session is on the primary only: the lookup did not read the replica.
      const count = async (k: Knex) => Number((await k('sessions').count<{ count: string }[]>('* as count'))[0]!.count);
      expect(await count(replica)).toBeLessThan(await count(primary));
      expect((await apiCall(viaReplica.baseUrl, cookie, 'GET', DASHBOARD[0]!)).status).toBe(200);
    } finally {
      await pair.resumeReplay();
    }
  });

  it('serves the dashboard from the replica while a load runs on the primary; the new data is there once replayed', async () => {
    const cookie = await loginAs(viaReplica.baseUrl, 'staff');
    const before = await get(uncached, cookie, DASHBOARD[0]!);
    let loading = true;
    const load = loadGeneratedCity(primary, { until: AS_OF, vouchers: CITY_VOUCHERS, postLoad: POST_LOAD_HOOKS }).finally(() => (loading = false));
    const failures: string[] = [];
    let reads = 0;
    while (loading) {
      for (const p of DASHBOARD) {
        for (const srv of [viaReplica, uncached]) {
          const res = await apiCall(srv.baseUrl, cookie, 'GET', p);
          reads++;
          if (res.status !== 200) failures.push(`${p} → ${res.status} ${JSON.stringify(res.body).slice(0, 200)}`);
        }
      }
    }
    const city = await load;
    expect(city.run.results.filter((r) => r.outcome !== 'committed')).toEqual([]);
    expect(city.run.postLoadErrors).toEqual([]);
    expect(failures).toEqual([]);
    expect(reads).toBeGreaterThan(DASHBOARD.length * 2);

    await pair.waitForReplay();
    for (const p of DASHBOARD) {
      const expected = await get(direct, cookie, p);
      expect(await get(uncached, cookie, p), p).toEqual(expected);
      expect(await get(viaReplica, cookie, p), p).toEqual(expected);
    }
    expect(await get(uncached, cookie, DASHBOARD[0]!)).not.toEqual(before);
  }, 300_000);

  it('while the replica lags behind a load: uncached reads show the replica, the cache and a browser that just wrote get the primary', async () => {
    const cookie = await loginAs(viaReplica.baseUrl, 'staff');
    const summary = DASHBOARD[0]!;
    const before = await get(uncached, cookie, summary);
    await get(viaReplica, cookie, summary); // cached under the current version
    await pair.pauseReplay();
    try {
      // One more day for the city: two vouchers copied from a loaded one, through the ETL.
      const v = await primary('payment_vouchers').where({ region_code: REGION, fiscal_year: 2026 }).orderBy('voucher_no').first();
      const row = (no: string, amount: string) => VOUCHER_HEADER.map((k) => (k === 'voucher_no' ? no : k === 'pay_date' ? '2026-07-01' : k === 'amount' ? amount : (v[k] ?? '')));
      const inbox = path.join(root, 'inbox');
      const dir = writeBundle(inbox, REGION, '2026-07-01', { 'payment_vouchers.csv': csv([VOUCHER_HEADER, row('RPL-1', '1234.56'), row('RPL-2', '0.44')]) });
      const loaded = await loadBundle(primary, dir, { today: '2026-07-02', inboxRoot: inbox });
      expect(loaded.outcome).toBe('committed');
      expect(await runPostLoad(primary, { regions: new Map([[REGION, '2026-07-01']]), batches: [{ regionCode: REGION, id: loaded.batchId! }] }, POST_LOAD_HOOKS)).toEqual([]);

      const expected = await get(direct, cookie, summary);
      expect(expected).not.toEqual(before);
      // Reads really come from the replica, which has not applied the load…
      expect(await get(uncached, cookie, summary)).toEqual(before);
      // …but the cache's version is the primary's: its answer is recomputed there, never the old figures under the new version.
      expect(await get(viaReplica, cookie, summary)).toEqual(expected);

      // Read-your-writes: a rule change, then the rule as the browser that saved it sees it (its cookie) and as another does.
      const put = await fetch(`${viaReplica.baseUrl}/api/v1/rules/R01?region=${REGION}`, {
        method: 'PUT',
        headers: { cookie, 'content-type': 'application/json' },
        body: JSON.stringify({ enabled: false, reason: '副本测试' }),
      });
      expect(put.status).toBe(200);
      const wrote = put.headers.getSetCookie().find((c) => c.startsWith(`${RECENT_WRITE_COOKIE}=`));
      expect(wrote).toMatch(/Max-Age=10/);
      const rule = (c: string) => get(viaReplica, c, `/rules/R01?region=${REGION}`).then((b) => b.data.enabled);
      expect(await rule(`${cookie}; ${wrote!.split(';')[0]}`)).toBe(false);
      expect(await rule(cookie)).toBe(true); // the replica's, still before the change
    } finally {
      await pair.resumeReplay();
    }
    await pair.waitForReplay();
    // Replayed up to the primary's position is not always readable at that instant on a loaded
    // machine (it failed once in the whole suite, never alone): the replica must catch up soon.
    const expected = await get(direct, cookie, summary);
    await expect.poll(() => get(uncached, cookie, summary), { timeout: 20_000 }).toEqual(expected);
    await expect.poll(() => get(viaReplica, cookie, summary), { timeout: 20_000 }).toEqual(expected);
    await expect.poll(async () => (await get(uncached, cookie, `/rules/R01?region=${REGION}`)).data.enabled, { timeout: 20_000 }).toBe(false);
  }, 120_000);
});
