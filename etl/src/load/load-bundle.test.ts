import iconv from 'iconv-lite';
import ExcelJS from 'exceljs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase, AGENCIES_CSV, csv, feedTablesHash, tempInbox, VOUCHER_HEADER, voucher, writeBundle } from '../../../api/src/testing/index.js';
import { loadBundle } from './load-bundle.js';

const TODAY = '2026-11-23';

describe('loadBundle', () => {
  let db: TestDatabase;
  let inbox: string;
  beforeAll(async () => {
    db = await createTestDatabase();
    inbox = tempInbox();
  });
  afterAll(async () => {
    await db.drop();
  });

  it('loads good rows, quarantines bad ones with line/column/reason, resolves dept_code', async () => {
    const dir = writeBundle(inbox, '411100', '2026-11-20', {
      'agencies.csv': AGENCIES_CSV,
      'payment_vouchers.csv': csv([
        VOUCHER_HEADER,
        voucher('PZ1', '1,234.50'),
        voucher('PZ2', '12.345'),
        voucher('PZ3', '-20.00', { agency_code: '411100102', purpose: '退回\n多付款' }),
        voucher('PZ4', '5', { agency_code: '999' }),
        voucher('PZ5', '7', { pay_date: '2026-02-30' }),
        voucher('PZ1', '9.99'),
      ]),
    });
    const r = await loadBundle(db.knex, dir, { today: TODAY });
    expect(r.outcome).toBe('committed');
    const pv = r.files.find((f) => f.feed === 'payment_vouchers')!;
    expect(pv).toMatchObject({ rowsRead: 6, inserted: 2, quarantined: 4 });
    // Legal amounts only: 1234.50 - 20 + 5 + 7 + 9.99 (12.345 is not legal).
    expect(pv.amountSum).toBe('1236.49');

    const rows = await db.knex('payment_vouchers').orderBy('voucher_no').select('voucher_no', 'amount', 'dept_code', 'source_line', 'purpose');
    expect(rows).toEqual([
      { voucher_no: 'PZ1', amount: '1234.50', dept_code: '411100101', source_line: 2, purpose: '办公用品' },
      { voucher_no: 'PZ3', amount: '-20.00', dept_code: '411100102', source_line: 4, purpose: '退回\n多付款' },
    ]);
    const q = await db.knex('quarantine').where({ batch_id: r.batchId }).orderBy('line_no').select('line_no', 'column_name', 'reason_code', 'reason', 'raw');
    expect(q.map((x) => [x.line_no, x.column_name, x.reason_code])).toEqual([
      [3, 'amount', 'BAD_AMOUNT'], [6, 'agency_code', 'UNKNOWN_AGENCY'], [7, 'pay_date', 'BAD_DATE'], [8, 'voucher_no', 'DUPLICATE_KEY'],
    ]);
    expect(q[0].raw.amount).toBe('12.345');
    expect(q[3].reason).toContain('第 2 行'); // a repeated key names the line of its first occurrence
  });

  it('is idempotent: the same bundle twice leaves the tables identical and is recorded as unchanged', async () => {
    const dir = path.join(inbox, '411100', '2026-11-20');
    const before = await feedTablesHash(db.knex);
    const batches = await db.knex('batches').count({ n: '*' });
    const again = await loadBundle(db.knex, dir, { today: TODAY });
    expect(again).toMatchObject({ outcome: 'unchanged', code: 'SAME_DELIVERY' });
    expect(await feedTablesHash(db.knex)).toBe(before);
    expect(await db.knex('batches').count({ n: '*' })).toEqual(batches);
    // Even forced (etl rerun), identical rows are left untouched, lineage included.
    const forced = await loadBundle(db.knex, dir, { today: TODAY, force: true });
    expect(forced.outcome).toBe('committed');
    expect(forced.rowsLoaded).toBe(0);
    expect(await feedTablesHash(db.knex)).toBe(before);
  });

  it('a later bundle that repeats a key corrects it and keeps the old version', async () => {
    const first = await db.knex('payment_vouchers').where({ voucher_no: 'PZ1' }).first();
    const dir = writeBundle(inbox, '411100', '2026-11-21', {
      'payment_vouchers.csv': csv([VOUCHER_HEADER, voucher('PZ1', '1234.56'), voucher('PZ9', '1.00')]),
    });
    const r = await loadBundle(db.knex, dir, { today: TODAY });
    expect(r.files[0]).toMatchObject({ inserted: 1, updated: 1 });
    const now = await db.knex('payment_vouchers').where({ voucher_no: 'PZ1' }).first();
    expect(now.amount).toBe('1234.56');
    expect(now.batch_id).toBe(r.batchId);
    const hist = await db.knex('superseded_rows').where({ feed: 'payment_vouchers', natural_key: 'PZ1' });
    expect(hist).toHaveLength(1);
    expect(hist[0].row.amount).toBe('1234.50');
    expect(hist[0].batch_id).toBe(first.batch_id);
    expect(hist[0].superseded_by_batch_id).toBe(r.batchId);
  });

  it('rejects the whole bundle on a manifest contradiction and keeps the previous state', async () => {
    const before = await feedTablesHash(db.knex);
    const dir = writeBundle(inbox, '411100', '2026-11-22', {
      'agencies.csv': AGENCIES_CSV,
      'payment_vouchers.csv': csv([VOUCHER_HEADER, voucher('PZ1', '1.00'), voucher('PZ20', '2.00')]),
      '_manifest.json': JSON.stringify({ feeds: { payment_vouchers: { rows: 2, amount_sum: '3.01' } } }),
    });
    const r = await loadBundle(db.knex, dir, { today: TODAY });
    expect(r).toMatchObject({ outcome: 'rejected', code: 'MANIFEST_AMOUNT_MISMATCH' });
    expect(await feedTablesHash(db.knex)).toBe(before);
    const b = await db.knex('batches').where({ id: r.batchId }).first();
    expect(b).toMatchObject({ status: 'rejected', reject_code: 'MANIFEST_AMOUNT_MISMATCH', reject_reason: r.reason });
    expect(await db.knex('batch_files').where({ batch_id: r.batchId })).toHaveLength(0);
    expect(await db.knex('quarantine').where({ batch_id: r.batchId })).toHaveLength(0);
  });

  it('rejects a file missing a required column, naming it', async () => {
    const header = VOUCHER_HEADER.filter((h) => h !== 'payee_name');
    const dir = writeBundle(inbox, '411100', '2026-11-19', {
      'payment_vouchers.csv': csv([header, header.map(() => 'x')]),
    });
    const r = await loadBundle(db.knex, dir, { today: TODAY });
    expect(r).toMatchObject({ outcome: 'rejected', code: 'MISSING_COLUMN' });
    expect(r.reason).toContain('payee_name');
  });

  it('rejects a bundle for a future business date', async () => {
    const dir = writeBundle(inbox, '411100', '2026-11-24', { 'agencies.csv': AGENCIES_CSV });
    const r = await loadBundle(db.knex, dir, { today: TODAY });
    expect(r).toMatchObject({ outcome: 'rejected', code: 'FUTURE_DATE' });
    expect(await db.knex('batches').where({ id: r.batchId }).first()).toMatchObject({ reject_code: 'FUTURE_DATE', reject_reason: r.reason });
  });

  it('reads GB18030 with Chinese headers, and CRLF', async () => {
    const text = csv(
      [
        ['凭证号', '预算年度', '支付日期', '单位代码', '指标编号', '功能分类科目', '经济分类科目', '资金性质', '收款人', '金额', '多余的列'],
        ['GB1', '2026', '2026/11/18', '411100101001', '', '2050202', '30201', '1', '河南联创建设工程有限公司', '100.10', '忽略'],
      ],
      '\r\n',
    );
    const dir = writeBundle(inbox, '411102', '2026-11-18', {
      'agencies.csv': iconv.encode(AGENCIES_CSV, 'gbk'),
      'payment_vouchers.csv': iconv.encode(text, 'gb18030'),
    });
    const r = await loadBundle(db.knex, dir, { today: TODAY });
    expect(r.outcome).toBe('committed');
    expect(r.files.map((f) => f.encoding)).toEqual(['gb18030', 'gb18030']);
    const v = await db.knex('payment_vouchers').where({ region_code: '411102', voucher_no: 'GB1' }).first();
    expect(v).toMatchObject({ payee_name: '河南联创建设工程有限公司', pay_date: '2026-11-18', amount: '100.10', indicator_no: null });
  });


  it('records GB18030 for a file whose first Chinese bytes come after 256 KB of ASCII rows', async () => {
    const rows = [VOUCHER_HEADER];
    for (let i = 0; i < 3000; i++) rows.push(voucher(`A${i}`, '1.00', { payee_name: `ACME Trading Co ${i}`, purpose: 'office supplies', pay_method: '' }));
    rows.push(voucher('Z1', '2.00', { payee_name: '河南联创建设工程有限公司' }));
    const bytes = iconv.encode(csv(rows), 'gb18030');
    expect(bytes.findIndex((b) => b >= 0x80)).toBeGreaterThan(256 * 1024);
    const dir = writeBundle(inbox, '411103', '2026-11-18', { 'agencies.csv': AGENCIES_CSV, 'payment_vouchers.csv': bytes });
    const r = await loadBundle(db.knex, dir, { today: TODAY });
    expect(r.outcome).toBe('committed');
    const pv = r.files.find((f) => f.feed === 'payment_vouchers')!;
    expect(pv).toMatchObject({ encoding: 'gb18030', inserted: 3001, quarantined: 0 });
    expect(await db.knex('batch_files').where({ batch_id: r.batchId, feed: 'payment_vouchers' }).first('encoding')).toEqual({ encoding: 'gb18030' });
    const z = await db.knex('payment_vouchers').where({ region_code: '411103', voucher_no: 'Z1' }).first();
    expect(z).toMatchObject({ payee_name: '河南联创建设工程有限公司', source_line: 3002 });
  });
  it('reads XLSX: first sheet, Excel date cells, numeric cells without float noise', async () => {
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('指标');
    ws.addRow(['指标编号', '预算年度', '单位代码', '功能分类科目', '资金性质', '指标类型', '金额', '下达日期']);
    ws.addRow(['ZB-X1', 2026, '411100101001', '2050202', '1', '年初预算', 0.1 + 0.2, new Date(Date.UTC(2026, 0, 10))]);
    ws.addRow(['ZB-X2', 2026, '411100101001', '2050202', '1', '追加', 12.345, new Date(Date.UTC(2026, 5, 1))]);
    ws.getColumn(8).numFmt = 'yyyy-mm-dd';
    wb.addWorksheet('other').addRow(['ignored']);
    const dir = writeBundle(inbox, '411102', '2026-11-19', {});
    await wb.xlsx.writeFile(path.join(dir, 'budget_indicators.xlsx'));
    const r = await loadBundle(db.knex, dir, { today: TODAY });
    expect(r.outcome).toBe('committed');
    expect(r.files[0]).toMatchObject({ encoding: 'xlsx', rowsRead: 2, inserted: 1, quarantined: 1 });
    const row = await db.knex('budget_indicators').where({ region_code: '411102', indicator_no: 'ZB-X1' }).first();
    expect(row).toMatchObject({ amount: '0.30', issued_on: '2026-01-10', dept_code: '411100101', fiscal_year: 2026 });
  });
});
