import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROOT_DIR } from '../../../api/src/core.js';
import { createTestDatabase, type TestDatabase, AGENCIES_CSV, csv, feedTablesHash, tempInbox, VOUCHER_HEADER, voucher, writeBundle } from '../../../api/src/testing/index.js';
import { loadInbox } from './inbox.js';

const TODAY = '2026-11-23';
const ROWS = 150_000;

describe('a loader killed mid-load', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterAll(async () => {
    await db.drop();
  });

  it('leaves the previous state intact, and the next run loads the bundle fully', { timeout: 180_000 }, async () => {
    const inbox = tempInbox();
    writeBundle(inbox, '411100', '2026-11-20', {
      'agencies.csv': AGENCIES_CSV,
      'payment_vouchers.csv': csv([VOUCHER_HEADER, voucher('OLD1', '1.00'), voucher('BIG5', '5.00')]),
    });
    await loadInbox(db.knex, inbox, { today: TODAY, postLoad: [] });
    const before = await feedTablesHash(db.knex);

    const dir = writeBundle(inbox, '411100', '2026-11-21', {});
    const out = fs.createWriteStream(path.join(dir, 'payment_vouchers.csv'));
    out.write(`${VOUCHER_HEADER.join(',')}\n`);
    for (let i = 0; i < ROWS; i++) out.write(`${csv([voucher(`BIG${i}`, `${i}.25`)]).trimEnd()}\n`);
    await new Promise<void>((r) => out.end(() => r()));

    // A child loader, killed once it reports progress well into the file.
    const child = spawn(process.execPath, ['--import', 'tsx', path.join(ROOT_DIR, 'api/src/cli/etl.ts'), 'load', '--inbox', inbox, '--date', '2026-11-21'], {
      cwd: ROOT_DIR,
      env: { ...process.env, DATABASE_URL: db.url, BW_ETL_PROGRESS_MS: '0', BW_TODAY: TODAY }, // the bundles' dates are past on this clock
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    const killed = new Promise<void>((resolve, reject) => {
      child.stderr.on('data', (d: Buffer) => {
        stderr += d.toString();
        const m = [...stderr.matchAll(/已读 ([\d,]+) 行/g)].pop();
        if (m && Number(m[1].replace(/,/g, '')) >= 60_000 && child.exitCode === null) child.kill('SIGKILL');
      });
      child.on('exit', (code, signal) => (signal === 'SIGKILL' ? resolve() : reject(new Error(`loader ended on its own (${code}): ${stderr}`))));
    });
    await killed;

    expect(await feedTablesHash(db.knex)).toBe(before);
    // The killed run's transaction rolled back: no batch of that date, the run still says running.
    expect(await db.knex('batches').where({ business_date: '2026-11-21' })).toHaveLength(0);

    const next = await loadInbox(db.knex, inbox, { today: TODAY, postLoad: [] });
    const r = next.results.find((x) => x.businessDate === '2026-11-21')!;
    expect(r.outcome).toBe('committed');
    expect(r.rowsLoaded).toBe(ROWS);
    const [{ n }] = await db.knex('payment_vouchers').where({ region_code: '411100' }).count({ n: '*' });
    expect(Number(n)).toBe(ROWS + 1); // BIG0..BIG149999 + OLD1 (BIG5 corrected, not duplicated)
    expect(await db.knex('superseded_rows').where({ natural_key: 'BIG5' })).toHaveLength(1);
    const killedRun = await db.knex('etl_runs').orderBy('id').where({ status: 'failed' }).first();
    expect(killedRun?.error).toContain('中途退出');
  });
});
