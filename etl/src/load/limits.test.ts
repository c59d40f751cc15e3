import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROOT_DIR } from '../../../api/src/config.js';
import { createTestDatabase, type TestDatabase, AGENCIES_CSV, csv, tempInbox, VOUCHER_HEADER, voucher, writeBundle } from '../../../api/src/testing/index.js';
import { voucherTotals } from '../../../api/src/features/drilldown/voucher-queries.js';
import { paymentVouchers } from '../feeds/payment-vouchers.js';
import { debtBonds } from '../feeds/debt-bonds.js';
import { compileColumn, Invalid } from '../readers/values.js';
import { feedFreshness } from '../status.js';
import { loadInbox } from './inbox.js';
import { DEFAULT_LIMITS, limitColumn, LIMITS_SETTING } from './limits.js';

const TODAY = '2026-11-23';

describe('plausibility and length limits', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterAll(async () => {
    await db.drop();
  });

  const quarantine = async (batchId: string | null) =>
    db.knex('quarantine').where({ batch_id: batchId }).orderBy('line_no').select('line_no', 'column_name', 'reason_code', 'reason', 'raw');

  it('quarantines amounts of 10^13 yuan or more and dates outside 2000-01-01 … business date + 1 year', async () => {
    const inbox = tempInbox();
    writeBundle(inbox, '411100', '2026-11-20', {
      'agencies.csv': AGENCIES_CSV,
      'payment_vouchers.csv': csv([
        VOUCHER_HEADER,
        voucher('OK1', '9999999999999.99'),
        voucher('BIG', '9999999999999999.99'),
        voucher('NEG', '-10000000000000.00'),
        voucher('D9999', '1.00', { pay_date: '9999-12-31' }),
        voucher('D1900', '1.00', { pay_date: '1900-01-01' }),
        voucher('D1999', '1.00', { pay_date: '1999-12-31' }),
        voucher('DMAX', '1.00', { pay_date: '2027-11-20' }),
        voucher('DOVER', '1.00', { pay_date: '2027-11-21' }),
      ]),
    });
    const r = (await loadInbox(db.knex, inbox, { today: TODAY, postLoad: [] })).results[0];
    expect(r.outcome).toBe('committed');
    const q = await quarantine(r.batchId);
    expect(q.map((x) => [x.line_no, x.column_name, x.reason_code])).toEqual([
      [3, 'amount', 'AMOUNT_OUT_OF_RANGE'], [4, 'amount', 'AMOUNT_OUT_OF_RANGE'],
      [5, 'pay_date', 'DATE_OUT_OF_RANGE'], [6, 'pay_date', 'DATE_OUT_OF_RANGE'], [7, 'pay_date', 'DATE_OUT_OF_RANGE'], [9, 'pay_date', 'DATE_OUT_OF_RANGE'],
    ]);
    // What a person reads: the value and the limit, in Chinese (one check per kind).
    expect(q[0].reason).toMatch(/金额 9999999999999999\.99 超出合理范围（绝对值应小于 10,000,000,000,000 元）/);
    expect(q[2].reason).toMatch(/日期 9999-12-31 超出合理范围（2000-01-01 至 2027-11-20）/);
    const loaded = await db.knex('payment_vouchers').where({ region_code: '411100' }).orderBy('voucher_no').pluck('voucher_no');
    expect(loaded).toEqual(['DMAX', 'OK1']);
  });

  it('takes the limits from the etl_limits setting', async () => {
    await db.knex('app_settings').insert({ key: LIMITS_SETTING, value: JSON.stringify({ amountLimit: '1000', dateMin: '2026-01-01' }) });
    try {
      const inbox = tempInbox();
      writeBundle(inbox, '411102', '2026-11-20', {
        'agencies.csv': csv([['agency_code', 'agency_name', 'parent_code', 'agency_type'], ['411102101001', '某单位', '', '行政']]),
        'payment_vouchers.csv': csv([
          VOUCHER_HEADER,
          voucher('A', '999.99', { agency_code: '411102101001' }),
          voucher('B', '-1000.00', { agency_code: '411102101001' }),
          voucher('C', '1.00', { agency_code: '411102101001', pay_date: '2025-12-31' }),
        ]),
      });
      const r = (await loadInbox(db.knex, inbox, { today: TODAY, postLoad: [] })).results[0];
      expect((await quarantine(r.batchId)).map((x) => [x.line_no, x.reason_code])).toEqual([[3, 'AMOUNT_OUT_OF_RANGE'], [4, 'DATE_OUT_OF_RANGE']]);
    } finally {
      await db.knex('app_settings').where({ key: LIMITS_SETTING }).del();
    }
  });

  it('quarantines over-long fields without echoing them, and keeps at most 2,000 characters of a raw cell', async () => {
    const inbox = tempInbox();
    const huge = '某'.repeat(5_000_000);
    writeBundle(inbox, '411100', '2026-11-21', {
      'payment_vouchers.csv': csv([
        VOUCHER_HEADER,
        voucher('L500', '1.00', { payee_name: '名'.repeat(500), purpose: '途'.repeat(500) }),
        voucher('L501', '1.00', { payee_name: '名'.repeat(501) }),
        voucher('HUGE', '1.00', { payee_name: huge }),
        voucher('P501', '1.00', { purpose: '途'.repeat(501) }),
        voucher('V'.repeat(101), '1.00'),
      ]),
    });
    const r = (await loadInbox(db.knex, inbox, { today: TODAY, postLoad: [] })).results[0];
    const q = await quarantine(r.batchId);
    expect(q.map((x) => [x.line_no, x.column_name, x.reason_code])).toEqual([[3, 'payee_name', 'TOO_LONG'], [4, 'payee_name', 'TOO_LONG'], [5, 'purpose', 'TOO_LONG'], [6, 'voucher_no', 'TOO_LONG']]);
    expect(q[0].reason).toMatch(/长度 501 个字符，超过上限 500 个字符/);
    expect(q[1].reason).toMatch(/长度 5000000 个字符/);
    expect(q[1].reason.length).toBeLessThan(200);
    expect(q[1].raw.payee_name.length).toBeLessThan(2100);
    expect(q[1].raw.payee_name).toMatch(/共 5000000 个字符，已截断/);
    expect(q[3].reason).toMatch(/长度 101 个字符，超过上限 100 个字符/);
    expect(await db.knex('payment_vouchers').where({ voucher_no: 'L500' }).first('voucher_no')).toBeTruthy();
  });

  it('2,000 characters for an audit finding description; a bond maturing decades ahead is fine', () => {
    const audit = { key: 'description', zh: ['问题描述'], type: 'text', required: true, maxLength: 2000 } as const;
    const desc = limitColumn(audit, compileColumn(audit), DEFAULT_LIMITS, '2026-11-20');
    expect(desc('述'.repeat(2000))).toBe('述'.repeat(2000));
    expect(desc('述'.repeat(2001))).toBeInstanceOf(Invalid);
    const maturity = debtBonds.columns.find((c) => c.key === 'maturity_date')!;
    const m = limitColumn(maturity, compileColumn(maturity), DEFAULT_LIMITS, '2026-11-20');
    expect(m('2056-11-20')).toBe('2056-11-20');
    expect(m('2077-01-01')).toBeInstanceOf(Invalid);
    const pay = paymentVouchers.columns.find((c) => c.key === 'pay_date')!;
    expect(limitColumn(pay, compileColumn(pay), DEFAULT_LIMITS, '2024-02-29')('2025-02-28')).toBe('2025-02-28');
  });

  it('a file whose rows are all bad does not count as loaded (freshness stays on the last good delivery)', async () => {
    const inbox = tempInbox();
    writeBundle(inbox, '411100', '2026-11-22', { 'payment_vouchers.csv': csv([VOUCHER_HEADER, voucher('X1', 'abc'), voucher('X2', '1.00', { pay_date: '9999-12-31' })]) });
    const r = (await loadInbox(db.knex, inbox, { today: TODAY, postLoad: [] })).results[0];
    expect(r.rowsQuarantined).toBe(2);
    const pv = (await feedFreshness(db.knex, ['411100'])).find((f) => f.feed === 'payment_vouchers')!;
    expect(pv.latestBusinessDate).toBe('2026-11-21');
  });

  it('a refresh that fails (limit raised past what the aggregates hold) makes the run failed and the CLI exit non-zero; the voucher list total does not overflow', { timeout: 90_000 }, async () => {
    await db.knex('app_settings').insert({ key: LIMITS_SETTING, value: JSON.stringify({ amountLimit: '99999999999999999' }) });
    try {
      const inbox = tempInbox();
      writeBundle(inbox, '411100', '2026-11-23', {
        // With the region's 9,999,999,999,999.99 above, the region's total no longer fits the views' numeric(18,2).
        'payment_vouchers.csv': csv([VOUCHER_HEADER, voucher('MAX1', '9999999999999999.99')]),
      });
      const child = spawnSync(process.execPath, ['--import', 'tsx', path.join(ROOT_DIR, 'api/src/cli/etl.ts'), 'load', '--inbox', inbox], {
        cwd: ROOT_DIR, env: { ...process.env, DATABASE_URL: db.url, BW_TZ: 'Asia/Shanghai' }, encoding: 'utf8',
      });
      expect(child.stdout).toMatch(/装载后处理失败/);
      expect(child.status).toBe(3);
      const run = await db.knex('etl_runs').orderBy('id', 'desc').first();
      expect(run.status).toBe('failed');
      expect(run.error).toMatch(/numeric field overflow|数值字段溢出/);
      const totals = await voucherTotals(db.knex, { regionCode: '411100', fiscalYear: 2026, asOf: '2026-12-31', filters: {}, amountMin: '1' });
      expect(totals.amount).toBe('10010000000000000.98');
    } finally {
      await db.knex('app_settings').where({ key: LIMITS_SETTING }).del();
    }
  });
});
