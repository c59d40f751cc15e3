import { spawn } from 'node:child_process';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROOT_DIR } from '../../../api/src/core.js';
import { createTestDatabase, type TestDatabase, AGENCIES_CSV, csv, tempInbox, VOUCHER_HEADER, voucher, writeBundle } from '../../../api/src/testing/index.js';
// What this test watches is the dashboard's refresh: the app's own hooks.
import { POST_LOAD_HOOKS } from '../../../api/src/post-load.js';
import { catchUpPostLoad, loadInbox } from './inbox.js';

const TODAY = '2026-11-23';

/**
 * kill -9 after a bundle committed but before its post-load step (aggregate refresh, rules):
 * the dashboard used to stay stale for good, a reload said "unchanged" and the run said
 * 已回滚. The child loader is held between the two by a lock this test takes on a rollup
 * table (the post-load step's maintenance waits for it to delete the touched days), then killed.
 */
describe('a loader killed between commit and post-load', () => {
  let db: TestDatabase;
  let inbox: string;
  beforeAll(async () => {
    db = await createTestDatabase();
    inbox = tempInbox();
    writeBundle(inbox, '411100', '2026-11-20', {
      'agencies.csv': AGENCIES_CSV,
      'payment_vouchers.csv': csv([VOUCHER_HEADER, voucher('OLD1', '1.00'), voucher('OLD2', '2.00')]),
    });
    await loadInbox(db.knex, inbox, { today: TODAY, postLoad: POST_LOAD_HOOKS });
  });
  afterAll(async () => {
    await db.drop();
  });

  const dashboardVouchers = async () => {
    const { rows } = await db.knex.raw(`select coalesce(sum(vouchers), 0)::int as n from mv_exec_dept_day where region_code = '411100'`);
    return rows[0].n as number;
  };
  const tableVouchers = async () => Number((await db.knex('payment_vouchers').where({ region_code: '411100' }).count({ n: '*' }))[0].n);

  it('the next run refreshes the committed batch, and the killed run says the batch was kept', { timeout: 120_000 }, async () => {
    expect(await dashboardVouchers()).toBe(2);
    writeBundle(inbox, '411100', '2026-11-21', { 'payment_vouchers.csv': csv([VOUCHER_HEADER, voucher('NEW1', '3.00'), voucher('NEW2', '4.00'), voucher('NEW3', '5.00')]) });

    const hold = await db.knex.transaction();
    await hold.raw('lock table mv_exec_func_day in exclusive mode');
    const child = spawn(process.execPath, ['--import', 'tsx', path.join(ROOT_DIR, 'api/src/cli/etl.ts'), 'load', '--inbox', inbox, '--date', '2026-11-21'], {
      cwd: ROOT_DIR,
      env: { ...process.env, DATABASE_URL: db.url, BW_TZ: 'Asia/Shanghai' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const exited = new Promise<NodeJS.Signals | null>((resolve) => child.on('exit', (_code, signal) => resolve(signal)));
    try {
      // Committed, and now waiting on our lock inside the post-load step.
      for (let i = 0; ; i++) {
        if (child.exitCode !== null) throw new Error(`loader ended on its own: ${stderr}`);
        const { rows } = await db.knex.raw(
          `select count(*)::int as n from pg_stat_activity where datname = current_database() and wait_event_type = 'Lock' and query ilike 'delete from mv_exec_func_day%'`,
        );
        if (rows[0].n > 0 && /已提交（批次 #\d+）/.test(stderr)) break;
        if (i > 600) throw new Error(`loader never reached the post-load step: ${stderr}`);
        await new Promise((r) => setTimeout(r, 100));
      }
      child.kill('SIGKILL');
      expect(await exited).toBe('SIGKILL');
    } finally {
      await hold.rollback();
    }

    const batch = await db.knex('batches').where({ business_date: '2026-11-21' }).first();
    expect(batch.status).toBe('committed');
    expect(batch.post_loaded_at).toBeNull();
    expect(await tableVouchers()).toBe(5);
    expect(await dashboardVouchers()).toBe(2); // stale, as the kill left it

    // The next run has nothing new to load, yet it refreshes what the killed one committed.
    const next = await loadInbox(db.knex, inbox, { today: TODAY, postLoad: POST_LOAD_HOOKS });
    expect(next.results.map((r) => r.outcome)).toEqual(['unchanged', 'unchanged']);
    expect(await dashboardVouchers()).toBe(5);
    const nextRun = await db.knex('etl_runs').where({ id: next.runId }).first();
    expect(nextRun.summary.postLoadCaughtUp).toEqual([`${batch.region_code}-${batch.id}`]);
    const killed = await db.knex('etl_runs').where({ id: batch.etl_run_id }).first();
    expect(killed.status).toBe('failed');
    expect(killed.error).toMatch(new RegExp(`已提交的批次 #${batch.id} 保留`));
    expect(killed.error).not.toMatch(/数据保持上次状态/);
    expect((await db.knex('batches').where({ id: batch.id }).first()).post_loaded_at).not.toBeNull();
  });

  it('at start-up, a batch still waiting for its post-load step is refreshed (a run recorded as startup)', async () => {
    expect(await catchUpPostLoad(db.knex, { postLoad: POST_LOAD_HOOKS })).toBeNull(); // nothing pending: no run
    writeBundle(inbox, '411100', '2026-11-22', { 'payment_vouchers.csv': csv([VOUCHER_HEADER, voucher('NEW4', '6.00')]) });
    // A load that commits without running post-load (as a killed process leaves it).
    await loadInbox(db.knex, inbox, { today: TODAY, date: '2026-11-22', postLoad: [async () => Promise.reject(new Error('killed'))] });
    expect(await dashboardVouchers()).toBe(5);
    const r = await catchUpPostLoad(db.knex, { postLoad: POST_LOAD_HOOKS });
    expect(r).not.toBeNull();
    expect(r!.postLoadErrors).toEqual([]);
    expect(await dashboardVouchers()).toBe(6);
    expect((await db.knex('etl_runs').where({ id: r!.runId }).first()).trigger).toBe('startup');
  });
});
