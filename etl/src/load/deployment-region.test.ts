import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../../api/src/config.js';
import { createTestDatabase, type TestDatabase, AGENCIES_CSV, csv, tempInbox, VOUCHER_HEADER, voucher, writeBundle } from '../../../api/src/testing/index.js';
import { loadInbox } from './inbox.js';
import { runNightly } from './nightly.js';

const bundle = (no: string) => ({ 'agencies.csv': AGENCIES_CSV, 'payment_vouchers.csv': csv([VOUCHER_HEADER, voucher(no, '100.00')]) });

describe('BW_REGION: the deployment loads its own region and the regions below it only', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterAll(() => db.drop());

  it('with BW_REGION=511300 a bundle for 511324 仪陇县 loads and one for 410102 is rejected naming both codes', async () => {
    const inboxDir = tempInbox();
    writeBundle(inboxDir, '511324', '2026-11-20', bundle('YL001'));
    writeBundle(inboxDir, '410102', '2026-11-20', bundle('ZY001'));
    const config = { ...loadConfig({ BW_REGION: '511300' }), inboxDir };
    expect(config.region).toBe('511300');
    const run = await runNightly(db.knex, config, { today: '2026-11-21', postLoad: [] });
    const by = Object.fromEntries(run.results.map((r) => [r.regionCode, r]));
    expect(by['511324']).toMatchObject({ outcome: 'committed', rowsLoaded: 4 });
    expect(await db.knex('payment_vouchers').where({ region_code: '511324' }).pluck('voucher_no')).toEqual(['YL001']);
    expect(by['410102']).toMatchObject({ outcome: 'rejected', code: 'OUTSIDE_DEPLOYMENT' });
    expect(by['410102'].reason).toBe('地区 410102 中原区 不在本系统所属地区 511300 南充市 及其下级范围内（BW_REGION=511300）：不接受该数据包');
    expect(await db.knex('payment_vouchers').where({ region_code: '410102' }).count({ n: '*' }).first()).toEqual({ n: '0' });
  });

  it('defaults to 411100: its counties load, another city is rejected', async () => {
    expect(loadConfig({}).region).toBe('411100');
    const inboxDir = tempInbox();
    writeBundle(inboxDir, '411121', '2026-11-20', bundle('WY001'));
    writeBundle(inboxDir, '511324', '2026-11-21', bundle('YL002'));
    const run = await loadInbox(db.knex, inboxDir, { today: '2026-11-22', postLoad: [] });
    expect(run.results.map((r) => `${r.regionCode} ${r.outcome}`)).toEqual(['411121 committed', '511324 rejected']);
    expect(run.results[1].code).toBe('OUTSIDE_DEPLOYMENT');
  });

  it('refuses a BW_REGION that is not a division code', () => {
    expect(() => loadConfig({ BW_REGION: '5113' })).toThrow(/BW_REGION 必须是 6 位行政区划代码/);
  });
});
