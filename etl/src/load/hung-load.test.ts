import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { createApp } from '../../../api/src/app.js';
import { loadConfig } from '../../../api/src/config.js';
import { createTestDatabase, type TestDatabase, loginAs, AGENCIES_CSV, csv, feedTablesHash, tempInbox, VOUCHER_HEADER, voucher, writeBundle } from '../../../api/src/testing/index.js';
import { ensureDemoUsers } from '../../../api/src/demo/demo-users.js';
import type { RawTable } from '../readers/table.js';
import { loadInbox } from './inbox.js';
import { BUNDLE_LOCK_KEY, RUN_LOCK_KEY } from './lock.js';

/**
 * A reader that never answers (a truncated .xlsx used to leave the loader "idle in
 * transaction" forever, run lock held) or throws something unexpected. The XLSX reader is
 * replaced here, not the database: what is tested is the loader's guard around any reader.
 */
const mode = vi.hoisted(() => ({ value: 'hang-open' as 'hang-open' | 'hang-rows' | 'throw' }));
vi.mock('../readers/xlsx.js', () => ({
  readXlsx: async (): Promise<RawTable> => {
    const never = new Promise<never>(() => {});
    if (mode.value === 'hang-open') return never;
    async function* batches() {
      yield [{ line: 2, cells: ['X1', '2026', '2026-11-20', '411100101001', '', '2050202', '30201', '1', '', '某公司', '', '', '', '1.00'] }];
      if (mode.value === 'throw') throw new TypeError('inflate: invalid stored block lengths');
      await never;
    }
    return { encoding: 'xlsx', header: VOUCHER_HEADER, headerLine: 1, fixedWidth: false, batches: batches() };
  },
}));

const TODAY = '2026-11-23';

describe('a reader that hangs or throws', () => {
  let db: TestDatabase;
  let inbox: string;
  let before: string;
  beforeAll(async () => {
    db = await createTestDatabase();
    inbox = tempInbox();
    writeBundle(inbox, '411100', '2026-11-19', { 'agencies.csv': AGENCIES_CSV, 'payment_vouchers.csv': csv([VOUCHER_HEADER, voucher('OLD1', '1.00')]) });
    await loadInbox(db.knex, inbox, { today: TODAY, postLoad: [] });
    before = await feedTablesHash(db.knex);
  });
  afterAll(async () => {
    await db.drop();
  });
  beforeEach(() => {
    mode.value = 'hang-open';
  });

  const lockFree = async (key: number) => {
    const { rows } = await db.knex.raw('select pg_try_advisory_lock(?) as ok', [key]);
    if (rows[0].ok) await db.knex.raw('select pg_advisory_unlock(?)', [key]);
    return rows[0].ok as boolean;
  };
  const idleInTransaction = async () => {
    const { rows } = await db.knex.raw(`select count(*)::int as n from pg_stat_activity where datname = current_database() and state like 'idle in transaction%'`);
    return rows[0].n as number;
  };

  it('ends the server transaction by itself (idle-in-transaction timeout), then the stall guard rejects the bundle and frees the run lock', { timeout: 30_000 }, async () => {
    writeBundle(inbox, '411100', '2026-11-20', { 'payment_vouchers.xlsx': 'x' });
    const t0 = Date.now();
    const run = loadInbox(db.knex, inbox, { today: TODAY, date: '2026-11-20', postLoad: [], timeouts: { stallSeconds: 4, idleSeconds: 1, statementSeconds: 60 } });
    await new Promise((r) => setTimeout(r, 2500));
    // Second line of defence: PostgreSQL has ended the hung transaction and its bundle lock.
    expect(await idleInTransaction()).toBe(0);
    expect(await lockFree(BUNDLE_LOCK_KEY)).toBe(true);
    const r = await run;
    expect(Date.now() - t0).toBeLessThan(15_000);
    expect(r.results[0]).toMatchObject({ outcome: 'rejected', code: 'READ_STALLED' });
    expect(r.results[0].reason).toContain('payment_vouchers.xlsx');
    expect(await lockFree(RUN_LOCK_KEY)).toBe(true);
    expect(await feedTablesHash(db.knex)).toBe(before);
    const run2 = await db.knex('etl_runs').where({ id: r.runId }).first();
    expect(run2.status).not.toBe('running');
  });

  it('rejects a file whose rows stop coming in the middle of the COPY, and the next run is not blocked', { timeout: 30_000 }, async () => {
    mode.value = 'hang-rows';
    writeBundle(inbox, '411100', '2026-11-21', { 'payment_vouchers.xlsx': 'y' });
    const r = await loadInbox(db.knex, inbox, { today: TODAY, date: '2026-11-21', postLoad: [], timeouts: { stallSeconds: 2 } });
    expect(r.results[0]).toMatchObject({ outcome: 'rejected', code: 'READ_STALLED' });
    expect(await lockFree(RUN_LOCK_KEY)).toBe(true);
    expect(await lockFree(BUNDLE_LOCK_KEY)).toBe(true);
    expect(await idleInTransaction()).toBe(0);
    expect(await feedTablesHash(db.knex)).toBe(before);
  });

  it('a reader that throws something unexpected rejects its bundle, the run goes on and ends, locks released', async () => {
    mode.value = 'throw';
    writeBundle(inbox, '411100', '2026-11-22', { 'payment_vouchers.xlsx': 'z' });
    writeBundle(inbox, '411102', '2026-11-22', { 'agencies.csv': csv([['agency_code', 'agency_name', 'parent_code', 'agency_type'], ['411102101', '教育局', '', '行政']]) });
    const r = await loadInbox(db.knex, inbox, { today: TODAY, date: '2026-11-22', postLoad: [] });
    const byRegion = new Map(r.results.map((x) => [x.regionCode, x]));
    expect(byRegion.get('411100')).toMatchObject({ outcome: 'rejected', code: 'LOAD_INTERRUPTED' });
    expect(byRegion.get('411100')!.reason).toMatch(/invalid stored block lengths/);
    expect(byRegion.get('411102')!.outcome).toBe('committed');
    expect(await lockFree(RUN_LOCK_KEY)).toBe(true);
    const run = await db.knex('etl_runs').where({ id: r.runId }).first();
    expect(run.status).toBe('succeeded');
  });

  it('POST /data/rerun of a bundle whose reader hangs answers (bundle rejected), and the next rerun is not 409', { timeout: 30_000 }, async () => {
    mode.value = 'hang-rows';
    writeBundle(inbox, '411100', '2026-11-18', { 'payment_vouchers.xlsx': 'w' });
    await ensureDemoUsers(db.knex);
    const app = createApp({ knex: db.knex, config: { ...loadConfig({}), inboxDir: inbox } });
    const server = app.listen(0, '127.0.0.1');
    await new Promise<void>((r) => server.once('listening', () => r()));
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    process.env.BW_ETL_STALL_TIMEOUT = '2';
    try {
      const staff = await loginAs(base, 'staff');
      const rerun = () =>
        fetch(`${base}/api/v1/data/rerun`, {
          method: 'POST', headers: { cookie: staff, 'content-type': 'application/json' }, body: JSON.stringify({ regionCode: '411100', businessDate: '2026-11-18' }),
        });
      const first = await rerun();
      expect(first.status).toBe(200);
      const body = (await first.json()) as any;
      expect(body.data.results[0]).toMatchObject({ outcome: 'rejected', code: 'READ_STALLED' });
      expect((await rerun()).status).toBe(200);
    } finally {
      delete process.env.BW_ETL_STALL_TIMEOUT;
      server.closeAllConnections();
      await new Promise<void>((r) => server.close(() => r()));
    }
  });
});
