import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../../api/src/db/test-database.js';
import { AGENCIES_CSV, csv, feedTablesHash, tempInbox, VOUCHER_HEADER, voucher, writeBundle } from '../testing/bundles.js';
import { loadBundle } from './load-bundle.js';

/**
 * Hand-made bad inputs, one test each: the outcome (committed with quarantined rows, or the
 * whole bundle rejected with nothing kept) and the reason. The fixtures engineer's
 * fixtures/bad cases run in bad-fixtures.test.ts.
 */
const TODAY = '2026-11-23';
const good = (no: string) => voucher(no, '1.00');

type Case = {
  name: string;
  files: Record<string, string | Buffer>;
  region?: string;
  date?: string;
  rejected?: RegExp;
  quarantined?: { line: number; column: string | null; reason: RegExp }[];
};

const CASES: Case[] = [
  { name: 'unclosed quote', files: { 'payment_vouchers.csv': `${VOUCHER_HEADER.join(',')}\n${good('A').join(',')}\nB,"open\n` }, rejected: /引号没有闭合/ },
  { name: 'empty file', files: { 'payment_vouchers.csv': '' }, rejected: /文件为空/ },
  { name: 'header only is fine', files: { 'payment_vouchers.csv': `${VOUCHER_HEADER.join(',')}\n` }, quarantined: [] },
  { name: 'manifest not JSON', files: { 'agencies.csv': AGENCIES_CSV, '_manifest.json': '{feeds:' }, rejected: /不是合法的 JSON/ },
  { name: 'manifest names a missing file', files: { 'agencies.csv': AGENCIES_CSV, '_manifest.json': '{"feeds":{"revenues":{"rows":1}}}' }, rejected: /revenues 文件缺失/ },
  {
    name: 'truncated file (manifest rows)',
    files: { 'payment_vouchers.csv': csv([VOUCHER_HEADER, good('A')]), '_manifest.json': '{"feeds":{"payment_vouchers":{"rows":2,"amount_sum":"2.00"}}}' },
    rejected: /清单行数（rows）2，实际读到 1 行/,
  },
  {
    name: 'manifest amount_sum as a JSON number, matching',
    files: { 'payment_vouchers.csv': csv([VOUCHER_HEADER, good('A'), voucher('B', 'x')]), '_manifest.json': '{"feeds":{"payment_vouchers":{"rows":2,"amount_sum":1.00}}}' },
    quarantined: [{ line: 3, column: 'amount', reason: /金额格式不正确/ }],
  },
  { name: 'two files for one feed', files: { 'agencies.csv': AGENCIES_CSV, 'agencies.xlsx': 'x' }, rejected: /多个文件/ },
  { name: 'no recognisable file', files: { 'readme.txt': 'hello' }, rejected: /没有可识别的数据文件/ },
  { name: 'unknown region', region: '419999', files: { 'agencies.csv': AGENCIES_CSV }, rejected: /未知的地区代码/ },
  { name: 'not an xlsx', files: { 'agencies.xlsx': 'not a zip' }, rejected: /无法读取 Excel/ },
  {
    name: 'column given twice',
    files: { 'agencies.csv': 'agency_code,单位代码,agency_name\n1,1,x\n' },
    rejected: /表头重复/,
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
      { line: 2, column: null, reason: /列数 15 与表头 14 列不一致/ },
      { line: 3, column: 'func_code', reason: /代码格式不正确/ },
      { line: 4, column: 'fund_type', reason: /取值不在允许范围/ },
      { line: 5, column: 'fiscal_year', reason: /超出范围/ },
      { line: 6, column: 'pay_date', reason: /日期不合法/ },
      { line: 7, column: 'payee_name', reason: /必填字段为空/ },
      { line: 8, column: 'amount', reason: /金额格式不正确/ },
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
        expect(r.reason).toMatch(c.rejected);
        expect(await feedTablesHash(db.knex)).toBe(before);
        if (r.batchId) {
          expect(await db.knex('batches').where({ id: r.batchId }).first()).toMatchObject({ status: 'rejected' });
          expect(await db.knex('quarantine').where({ batch_id: r.batchId })).toHaveLength(0);
        }
        return;
      }
      expect(r.outcome).toBe('committed');
      const q = await db.knex('quarantine').where({ batch_id: r.batchId }).orderBy('line_no').select('line_no', 'column_name', 'reason');
      expect(q.map((x) => [x.line_no, x.column_name])).toEqual(c.quarantined!.map((x) => [x.line, x.column]));
      q.forEach((x, k) => expect(x.reason).toMatch(c.quarantined![k].reason));
    });
  });
});
