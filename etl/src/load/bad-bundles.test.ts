import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase, AGENCIES_CSV, csv, feedTablesHash, tempInbox, VOUCHER_HEADER, voucher, writeBundle } from '../../../api/src/testing/index.js';
import type { BundleCode, QuarantineCode } from '../codes.js';
import { loadBundle } from './load-bundle.js';

/**
 * Hand-made bad inputs, one test each: the outcome (committed with quarantined rows, or the
 * whole bundle rejected with nothing kept) and the reason's code. The fixtures engineer's
 * fixtures/bad cases run in bad-fixtures.test.ts.
 */
const TODAY = '2026-11-23';
const good = (no: string) => voucher(no, '1.00');

type Case = {
  name: string;
  files: Record<string, string | Buffer>;
  region?: string;
  date?: string;
  rejected?: BundleCode;
  quarantined?: { line: number; column: string | null; code: QuarantineCode }[];
};

const CASES: Case[] = [
  { name: 'unclosed quote', files: { 'payment_vouchers.csv': `${VOUCHER_HEADER.join(',')}\n${good('A').join(',')}\nB,"open\n` }, rejected: 'CSV_SYNTAX' },
  { name: 'empty file', files: { 'payment_vouchers.csv': '' }, rejected: 'FILE_EMPTY' },
  { name: 'header only is fine', files: { 'payment_vouchers.csv': `${VOUCHER_HEADER.join(',')}\n` }, quarantined: [] },
  { name: 'manifest not JSON', files: { 'agencies.csv': AGENCIES_CSV, '_manifest.json': '{feeds:' }, rejected: 'MANIFEST_INVALID' },
  { name: 'manifest names a missing file', files: { 'agencies.csv': AGENCIES_CSV, '_manifest.json': '{"feeds":{"revenues":{"rows":1}}}' }, rejected: 'MANIFEST_FILE_MISSING' },
  {
    name: 'truncated file (manifest rows)',
    files: { 'payment_vouchers.csv': csv([VOUCHER_HEADER, good('A')]), '_manifest.json': '{"feeds":{"payment_vouchers":{"rows":2,"amount_sum":"2.00"}}}' },
    rejected: 'MANIFEST_ROWS_MISMATCH',
  },
  {
    name: 'manifest amount_sum as a JSON number, matching',
    files: { 'payment_vouchers.csv': csv([VOUCHER_HEADER, good('A'), voucher('B', 'x')]), '_manifest.json': '{"feeds":{"payment_vouchers":{"rows":2,"amount_sum":1.00}}}' },
    quarantined: [{ line: 3, column: 'amount', code: 'BAD_AMOUNT' }],
  },
  { name: 'two files for one feed', files: { 'agencies.csv': AGENCIES_CSV, 'agencies.xlsx': 'x' }, rejected: 'DUPLICATE_FEED_FILE' },
  { name: 'no recognisable file', files: { 'readme.txt': 'hello' }, rejected: 'NO_DATA_FILES' },
  { name: 'unknown region', region: '419999', files: { 'agencies.csv': AGENCIES_CSV }, rejected: 'UNKNOWN_REGION' },
  { name: 'not an xlsx', files: { 'agencies.xlsx': 'not a zip' }, rejected: 'FILE_UNREADABLE' },
  {
    name: 'column given twice',
    files: { 'agencies.csv': 'agency_code,单位代码,agency_name\n1,1,x\n' },
    rejected: 'DUPLICATE_COLUMN',
  },
  {
    name: 'wrong column count, bad codes, enums, years, dates',
    files: {
      'agencies.csv': AGENCIES_CSV,
      'payment_vouchers.csv': csv([
        VOUCHER_HEADER,
        [...good('A'), 'extra'],
        voucher('B', '1', { func_code: '20502' + '0' }),
        voucher('C', '1', { fund_type: '5' }),
        voucher('D', '1', { fiscal_year: '26' }),
        voucher('E', '1', { pay_date: '20261131' }),
        voucher('F', '1', { payee_name: '  ' }),
        voucher('G', '1.2e6'),
        good('H'),
      ]),
    },
    quarantined: [
      { line: 2, column: null, code: 'COLUMN_COUNT' },
      { line: 3, column: 'func_code', code: 'BAD_CODE' },
      { line: 4, column: 'fund_type', code: 'BAD_ENUM' },
      { line: 5, column: 'fiscal_year', code: 'OUT_OF_RANGE' },
      { line: 6, column: 'pay_date', code: 'BAD_DATE' },
      { line: 7, column: 'payee_name', code: 'REQUIRED_EMPTY' },
      { line: 8, column: 'amount', code: 'BAD_AMOUNT' },
    ],
  },
];

describe('bad bundles', () => {
  let db: TestDatabase;
  let inbox: string;
  beforeAll(async () => {
    db = await createTestDatabase();
    inbox = tempInbox();
    await loadBundle(db.knex, writeBundle(inbox, '411100', '2026-11-01', { 'agencies.csv': AGENCIES_CSV }), { today: TODAY });
  });
  afterAll(async () => {
    await db.drop();
  });

  CASES.forEach((c, i) => {
    it(c.name, async () => {
      const before = await feedTablesHash(db.knex);
      const date = c.date ?? `2026-10-${String(i + 1).padStart(2, '0')}`;
      const r = await loadBundle(db.knex, writeBundle(inbox, c.region ?? '411100', date, c.files), { today: TODAY });
      if (c.rejected) {
        expect(r.outcome).toBe('rejected');
        expect(r.code).toBe(c.rejected);
        expect(r.reason).toMatch(/\S/);
        expect(await feedTablesHash(db.knex)).toBe(before);
        if (r.batchId) {
          expect(await db.knex('batches').where({ id: r.batchId }).first()).toMatchObject({ status: 'rejected', reject_code: c.rejected, reject_reason: r.reason });
          expect(await db.knex('quarantine').where({ batch_id: r.batchId })).toHaveLength(0);
        }
        return;
      }
      expect(r.outcome).toBe('committed');
      const q = await db.knex('quarantine').where({ batch_id: r.batchId }).orderBy('line_no').select('line_no', 'column_name', 'reason_code', 'reason');
      expect(q.map((x) => [x.line_no, x.column_name, x.reason_code])).toEqual(c.quarantined!.map((x) => [x.line, x.column, x.code]));
      for (const x of q) expect(x.reason).toMatch(/\S/);
    });
  });
});
