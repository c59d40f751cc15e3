import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase, AGENCIES_CSV, csv, tempInbox, VOUCHER_HEADER, voucher, writeBundle } from '../../../api/src/testing/index.js';
import { loadBundle } from './load-bundle.js';

const TODAY = '2026-11-23';

/** Every kind of row the loader sorts: good, bad value, bad date, unknown agency, free text to escape. */
const VOUCHERS = csv([
  VOUCHER_HEADER,
  voucher('PZ1', '1,234.50'),
  voucher('PZ2', '12.345'),
  voucher('PZ3', '-20.00', { agency_code: '411100102', purpose: '退回\n多付款\t含制表符\\反斜杠' }),
  voucher('PZ4', '5', { agency_code: '999' }),
  voucher('PZ5', '7', { pay_date: '2026-02-30' }),
  voucher('PZ6', '0.01', { agency_code: '411100101', indicator_no: '', payee_account: '' }),
]);

const vouchersOf = (db: TestDatabase, batchId: string) =>
  db.knex('payment_vouchers').where({ batch_id: batchId }).orderBy('voucher_no')
    .select('region_code', 'voucher_no', 'fiscal_year', 'pay_date', 'agency_code', 'dept_code', 'indicator_no', 'func_code', 'econ_code',
      'fund_type', 'project_code', 'payee_name', 'payee_account', 'pay_method', 'purpose', 'amount', 'source_line');
const quarantineOf = (db: TestDatabase, batchId: string) =>
  db.knex('quarantine').where({ batch_id: batchId }).orderBy('line_no').select('feed', 'file_name', 'line_no', 'column_name', 'reason_code', 'reason', 'raw');

/** Rows per partition of payment_vouchers (partitions without rows left out). */
async function partitionCounts(db: TestDatabase): Promise<Record<string, number>> {
  const { rows } = await db.knex.raw(`select tableoid::regclass::text as part, count(*)::int as n from payment_vouchers group by 1 order by 1`);
  return Object.fromEntries(rows.map((r: { part: string; n: number }) => [r.part, r.n]));
}

describe('first delivery of a feed: rows COPY straight into the table', () => {
  let fresh: TestDatabase;
  let held: TestDatabase;
  beforeAll(async () => {
    [fresh, held] = await Promise.all([createTestDatabase(), createTestDatabase()]);
  });
  afterAll(async () => {
    await Promise.all([fresh.drop(), held.drop()]);
  });

  it('gives the same rows, quarantine and counts as the stage-and-merge path a later delivery takes', async () => {
    const inbox = tempInbox();
    const direct = await loadBundle(fresh.knex, writeBundle(inbox, '411100', '2026-11-20', { 'agencies.csv': AGENCIES_CSV, 'payment_vouchers.csv': VOUCHERS }), { today: TODAY });

    // The same file as a second delivery: the region already holds a voucher, so it is staged and merged.
    await loadBundle(held.knex, writeBundle(inbox, '411100', '2026-11-19', {
      'agencies.csv': AGENCIES_CSV, 'payment_vouchers.csv': csv([VOUCHER_HEADER, voucher('PZ0', '1.00')]),
    }), { today: TODAY });
    const merged = await loadBundle(held.knex, writeBundle(inbox, '411100', '2026-11-21', { 'payment_vouchers.csv': VOUCHERS }), { today: TODAY });

    for (const r of [direct, merged]) expect(r.outcome).toBe('committed');
    const pick = (r: typeof direct) => r.files.filter((f) => f.feed === 'payment_vouchers').map(({ rowsRead, inserted, updated, quarantined, amountSum }) => ({ rowsRead, inserted, updated, quarantined, amountSum }));
    expect(direct.files.map((f) => [f.feed, f.direct])).toEqual([['agencies', true], ['payment_vouchers', true]]);
    expect(merged.files.map((f) => [f.feed, f.direct])).toEqual([['payment_vouchers', false]]);
    expect(pick(direct)).toEqual([{ rowsRead: 6, inserted: 3, updated: 0, quarantined: 3, amountSum: '1226.51' }]);
    expect(pick(merged)).toEqual(pick(direct));

    const rows = await vouchersOf(fresh, direct.batchId!);
    expect(rows.map((v) => [v.voucher_no, v.dept_code, v.amount])).toEqual([['PZ1', '411100101', '1234.50'], ['PZ3', '411100102', '-20.00'], ['PZ6', '411100101', '0.01']]);
    expect(rows[1].purpose).toBe('退回\n多付款\t含制表符\\反斜杠');
    expect(rows[2]).toMatchObject({ indicator_no: null, payee_account: null });
    expect(await vouchersOf(held, merged.batchId!)).toEqual(rows);
    // Both loads put the region's vouchers in its own partition, none in the default one.
    for (const db of [fresh, held]) expect(await partitionCounts(db)).toEqual({ payment_vouchers_411100: 3 + (db === held ? 1 : 0) });

    const q = await quarantineOf(fresh, direct.batchId!);
    expect(q.map((x) => [x.line_no, x.column_name, x.reason_code])).toEqual([[3, 'amount', 'BAD_AMOUNT'], [6, 'agency_code', 'UNKNOWN_AGENCY'], [7, 'pay_date', 'BAD_DATE']]);
    expect(q[1].reason).toBe('未知的单位代码（本批及库中预算单位均无此单位）：999'); // the one check of this kind's Chinese text
    expect(await quarantineOf(held, merged.batchId!)).toEqual(q);
  });

  it('sends a first delivery that repeats a key through the stage: the repeat is quarantined naming the first line', async () => {
    const db = await createTestDatabase();
    try {
      const dir = writeBundle(tempInbox(), '411100', '2026-11-20', {
        'agencies.csv': AGENCIES_CSV,
        'payment_vouchers.csv': csv([VOUCHER_HEADER, voucher('PZ1', '1.00'), voucher('PZ2', '2.00'), voucher('PZ1', '3.00')]),
      });
      const r = await loadBundle(db.knex, dir, { today: TODAY });
      expect(r.outcome).toBe('committed');
      expect(r.files.map((f) => [f.feed, f.direct, f.inserted, f.quarantined])).toEqual([['agencies', true, 3, 0], ['payment_vouchers', false, 2, 1]]);
      expect(await db.knex('payment_vouchers').orderBy('voucher_no').pluck('amount')).toEqual(['1.00', '2.00']);
      expect(await partitionCounts(db)).toEqual({ payment_vouchers_411100: 2 });
      const q = await quarantineOf(db, r.batchId!);
      expect(q.map((x) => [x.line_no, x.column_name, x.reason_code])).toEqual([[4, 'voucher_no', 'DUPLICATE_KEY']]);
      expect(q[0].reason).toContain('第 2 行');
    } finally {
      await db.drop();
    }
  });

  it('leaves nothing behind when the bundle is rejected after the rows went in', async () => {
    const inbox = tempInbox();
    const dir = writeBundle(inbox, '411100', '2026-11-20', {
      'agencies.csv': AGENCIES_CSV,
      'payment_vouchers.csv': VOUCHERS,
      // The manifest contradicts the file only once every row has been read and copied.
      '_manifest.json': JSON.stringify({ feeds: { payment_vouchers: { rows: 7 } } }),
    });
    const db = await createTestDatabase();
    try {
      const r = await loadBundle(db.knex, dir, { today: TODAY });
      expect(r).toMatchObject({ outcome: 'rejected', code: 'MANIFEST_ROWS_MISMATCH' });
      for (const table of ['payment_vouchers', 'agencies', 'quarantine']) {
        expect(await db.knex(table).count({ n: '*' }).first(), table).toEqual({ n: '0' });
      }
    } finally {
      await db.drop();
    }
  });
});
