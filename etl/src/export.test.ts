import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase, AGENCIES_CSV, csv, tempInbox, VOUCHER_HEADER, voucher, writeBundle } from '../../api/src/testing/index.js';
import { exportRegion } from './export.js';
import { loadInbox } from './load/inbox.js';
import { feedTotals } from './status.js';

const TODAY = '2026-11-23';

describe('export then re-import a region', () => {
  let source: TestDatabase;
  let target: TestDatabase;
  beforeAll(async () => {
    [source, target] = await Promise.all([createTestDatabase(), createTestDatabase()]);
  });
  afterAll(async () => {
    await Promise.all([source.drop(), target.drop()]);
  });

  it('reproduces every feed total to the cent in an empty database', async () => {
    const inbox = tempInbox();
    const vouchers = [VOUCHER_HEADER];
    for (let i = 0; i < 500; i++) vouchers.push(voucher(`PZ${i}`, `${(i * 7919) % 100000}.${String(i % 100).padStart(2, '0')}`, { purpose: i % 50 === 0 ? '含,逗号与"引号"\n换行' : '日常' }));
    vouchers.push(voucher('NEG1', '-0.01'));
    writeBundle(inbox, '411100', '2026-11-20', {
      'agencies.csv': AGENCIES_CSV,
      'payment_vouchers.csv': csv(vouchers),
      'budget_indicators.csv': csv([
        ['indicator_no', 'fiscal_year', 'agency_code', 'func_code', 'fund_type', 'indicator_kind', 'amount', 'issued_on'],
        ['ZB1', '2026', '411100101001', '2050202', '1', '年初预算', '1000000.00', '2026-01-10'],
        ['ZB2', '2026', '411100101001', '2050202', '1', '调减', '-12345.67', '2026-06-10'],
      ]),
      'debt_limits.csv': csv([
        ['fiscal_year', 'general_limit', 'special_limit', 'general_balance', 'special_balance', 'fiscal_capacity'],
        ['2026', '5200000000.00', '8600000000.00', '4800000000.00', '8100000000.10', '9500000000.00'],
      ]),
    });
    writeBundle(inbox, '411100', '2026-11-21', { 'payment_vouchers.csv': csv([VOUCHER_HEADER, voucher('PZ1', '99.99')]) });
    const noHooks = { postLoad: [], today: TODAY };
    const loaded = await loadInbox(source.knex, inbox, noHooks);
    expect(loaded.results.map((r) => r.outcome)).toEqual(['committed', 'committed']);

    const out = tempInbox('bw-export-');
    const exported = await exportRegion(source.knex, { regionCode: '411100', businessDate: '2026-11-21', outDir: out });
    expect(exported.feeds.find((f) => f.feed === 'payment_vouchers')!.rows).toBe(501);

    const re = await loadInbox(target.knex, out, noHooks);
    expect(re.results).toHaveLength(1);
    expect(re.results[0].outcome).toBe('committed'); // manifest reconciled
    expect(re.results[0].rowsQuarantined).toBe(0);
    expect(await feedTotals(target.knex)).toEqual(await feedTotals(source.knex));
    const cols = ['voucher_no', 'amount', 'purpose', 'dept_code', 'pay_date'];
    expect(await target.knex('payment_vouchers').orderBy('voucher_no').select(cols)).toEqual(
      await source.knex('payment_vouchers').orderBy('voucher_no').select(cols),
    );
  });
});
