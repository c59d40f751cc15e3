import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createTestDatabase, type TestDatabase, AGENCIES_CSV, csv, tempInbox, VOUCHER_HEADER, voucher, writeBundle } from '../../../api/src/testing/index.js';
import { startScheduler } from '../scheduler.js';
import { withRunLock, LoaderBusy } from './lock.js';
import { rerunDate, runNightly } from './nightly.js';

describe('nightly run', () => {
  let db: TestDatabase;
  let src: TestDatabase;
  beforeAll(async () => {
    vi.stubEnv('BW_TODAY', '2026-11-23'); // re-runs check dates against the clock: after every bundle below
    [db, src] = await Promise.all([createTestDatabase(), createTestDatabase({ migrated: false })]);
  });
  afterAll(async () => {
    vi.unstubAllEnvs();
    await Promise.all([db.drop(), src.drop()]);
  });

  it('loads T-1 and catches up missed days in date order, never future folders, and runs the post-load hooks', async () => {
    const inboxDir = tempInbox();
    for (const d of ['2026-11-19', '2026-11-20', '2026-11-21', '2026-11-22', '2026-11-23']) {
      writeBundle(inboxDir, '411100', d, { 'agencies.csv': AGENCIES_CSV, 'payment_vouchers.csv': csv([VOUCHER_HEADER, voucher(`PZ${d}`, '1.00')]) });
    }
    writeBundle(inboxDir, '411121', '2026-11-22', { 'agencies.csv': AGENCIES_CSV });
    const seen: [string, string][] = [];
    const hook = async (_k: unknown, scope: { regions: Map<string, string> }) => void seen.push(...scope.regions);
    const config = { inboxDir };

    const first = await runNightly(db.knex, config, { today: '2026-11-21', postLoad: [hook] });
    expect(first.results.map((r) => `${r.regionCode}/${r.businessDate}/${r.outcome}`)).toEqual(['411100/2026-11-19/committed', '411100/2026-11-20/committed']);
    expect(seen).toEqual([['411100', '2026-11-20']]);

    // Two days later: 11-20 is looked at again (unchanged), then the missed 11-21 and 11-22; 11-23 is not yet T-1.
    const second = await runNightly(db.knex, config, { today: '2026-11-23', postLoad: [] });
    expect(second.results.map((r) => `${r.regionCode}/${r.businessDate}/${r.outcome}`)).toEqual([
      '411100/2026-11-20/unchanged', '411100/2026-11-21/committed', '411100/2026-11-22/committed', '411121/2026-11-22/committed',
    ]);
    const run = await db.knex('etl_runs').where({ id: second.runId }).first();
    expect(run).toMatchObject({ trigger: 'schedule', status: 'succeeded' });
    expect(run.summary.committed).toBe(3);
  });

  it('gives up at once when another instance holds the run lock; the scheduler never overlaps', async () => {
    const config = { inboxDir: tempInbox(), timeZone: 'Asia/Shanghai', etlCron: '0 2 * * *' };
    await withRunLock(db.knex, { wait: true }, async () => {
      await expect(runNightly(db.knex, config, { postLoad: [] })).rejects.toBeInstanceOf(LoaderBusy);
    });
    const lines: string[] = [];
    const s = startScheduler(db.knex, config, [], (l) => lines.push(l));
    await Promise.all([s.runNow(), s.runNow()]);
    await s.stop();
    expect(lines.filter((l) => l.includes('仍在进行'))).toHaveLength(1);
    expect(lines.filter((l) => l.includes('夜间装载完成'))).toHaveLength(1);
  });

  it('re-runs a date from the inbox even when the same delivery was loaded before', async () => {
    const inboxDir = tempInbox();
    writeBundle(inboxDir, '411103', '2026-11-20', { 'agencies.csv': AGENCIES_CSV });
    const config = { inboxDir };
    const first = await rerunDate(db.knex, config, { regionCode: '411103', businessDate: '2026-11-20', postLoad: [] });
    const again = await rerunDate(db.knex, config, { regionCode: '411103', businessDate: '2026-11-20', postLoad: [] });
    expect(first.results[0]).toMatchObject({ outcome: 'committed', rowsLoaded: 3 });
    expect(again.results[0]).toMatchObject({ outcome: 'committed', rowsLoaded: 0 }); // forced, but identical rows stay untouched
    await expect(rerunDate(db.knex, config, { regionCode: '411103', businessDate: '2026-11-19', postLoad: [] })).rejects.toThrow(/找不到/);
  });

  it('loads from a SQL source (another PostgreSQL database) with one query per feed', async () => {
    await src.knex.raw(`create table fin_units (code text, name text, dept text)`);
    await src.knex.raw(`insert into fin_units values ('411121101', '教育局', null), ('411121101001', '实验小学', '411121101')`);
    await src.knex.raw(`create table fin_pay (no text, pay_day date, unit text, func text, econ text, payee text, amt numeric(18,2))`);
    await src.knex.raw(
      `insert into fin_pay values ('S1', '2026-11-22', '411121101001', '2050202', '30201', '新华书店', 1234.5),
                                  ('S2', '2026-11-22', '411121101001', '2050202', '30201', '供电公司', -10),
                                  ('S3', '2026-11-21', '411121101001', '2050202', '30201', '前一天', 7)`,
    );
    await db.knex('data_sources').insert({
      region_code: '411121', kind: 'sql',
      config: JSON.stringify({
        name: '舞阳县财政一体化', url: src.url,
        queries: {
          agencies: `select code as agency_code, name as agency_name, dept as parent_code from fin_units order by code`,
          payment_vouchers: `select no as "凭证号", extract(year from pay_day)::int as "预算年度", pay_day as "支付日期", unit as "单位代码",
                               func as "功能分类科目", econ as "经济分类科目", '1' as "资金性质", payee as "收款人", amt as "金额"
                               from fin_pay where pay_day = :business_date order by no`,
        },
      }),
    });
    const r = await rerunDate(db.knex, { inboxDir: tempInbox() }, { regionCode: '411121', businessDate: '2026-11-22', postLoad: [] });
    expect(r.results[0]).toMatchObject({ outcome: 'committed', rowsQuarantined: 0 });
    const rows = await db.knex('payment_vouchers').where({ region_code: '411121' }).orderBy('voucher_no').select('voucher_no', 'amount', 'dept_code');
    expect(rows).toEqual([
      { voucher_no: 'S1', amount: '1234.50', dept_code: '411121101' },
      { voucher_no: 'S2', amount: '-10.00', dept_code: '411121101' },
    ]);
    const batch = await db.knex('batches').where({ id: r.results[0].batchId }).first();
    expect(batch).toMatchObject({ source: 'sql', location: 'sql:舞阳县财政一体化', status: 'committed' });
    expect(fs.existsSync(path.dirname(r.results[0].dir))).toBe(false); // the fetched files are cleaned up
  });
});
