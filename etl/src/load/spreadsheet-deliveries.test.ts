import path from 'node:path';
import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase, AGENCIES_CSV, csv, tempInbox, VOUCHER_HEADER, voucher, writeBundle, excelWorkbook, type Cell } from '../../../api/src/testing/index.js';
import { loadBundle } from './load-bundle.js';

/** Deliveries as office software writes them: Excel-layout workbooks and trailing total rows. */
const TODAY = '2026-11-23';
const AMOUNT = VOUCHER_HEADER.indexOf('amount');
const PAY_DATE = VOUCHER_HEADER.indexOf('pay_date');
const totalRow = (label: string, amount: string) => VOUCHER_HEADER.map((_, i) => (i === 0 ? label : i === AMOUNT ? amount : ''));

describe('spreadsheet deliveries', () => {
  let db: TestDatabase;
  let inbox: string;
  let day = 0;
  // Each bundle its own business date, so none is "the same delivery" as another.
  const bundle = (files: Record<string, string | Buffer>, region = '411100') => {
    day++;
    return writeBundle(inbox, region, `2026-0${1 + Math.floor(day / 28)}-${String(1 + (day % 28)).padStart(2, '0')}`, { 'agencies.csv': AGENCIES_CSV, ...files });
  };
  beforeAll(async () => {
    db = await createTestDatabase();
    inbox = tempInbox();
  });
  afterAll(() => db.drop());

  const vouchersOf = (prefix: string) =>
    db.knex('payment_vouchers').where('voucher_no', 'like', `${prefix}%`).orderBy('voucher_no').select('voucher_no', 'pay_date', 'amount', 'payee_name');

  it('a trailing 合计 row that matches the legal amounts loads and is neither a data row nor counted in the manifest', async () => {
    const file = csv([VOUCHER_HEADER, voucher('T1-1', '1,000.50'), voucher('T1-2', '20.25'), voucher('T1-3', 'bad'), totalRow(' 合 计 ', '1020.75')]);
    const r = await loadBundle(db.knex, bundle({ 'payment_vouchers.csv': file, '_manifest.json': '{"feeds":{"payment_vouchers":{"rows":3,"amount_sum":"1020.75"}}}' }), { today: TODAY });
    expect(r.reason).toBeNull();
    expect(r.files.find((f) => f.feed === 'payment_vouchers')).toMatchObject({ rowsRead: 3, rowsLoaded: 2, quarantined: 1, amountSum: '1020.75' });
    expect((await vouchersOf('T1-')).map((v) => v.voucher_no)).toEqual(['T1-1', 'T1-2']);
  });

  it('a trailing 总计 row that does not match rejects the bundle, nothing kept', async () => {
    const file = csv([VOUCHER_HEADER, voucher('T2-1', '10.00'), voucher('T2-2', '5.00'), totalRow('总计', '15.01'), ['', '', '']]);
    const r = await loadBundle(db.knex, bundle({ 'payment_vouchers.csv': file }), { today: TODAY });
    expect(r).toMatchObject({ outcome: 'rejected', code: 'TOTAL_ROW_MISMATCH' });
    expect(r.reason).toBe('合计行不符：payment_vouchers.csv 第 4 行的合计金额 15.01，实际合法金额合计 15.00（文件可能损坏、被截断或被改动）');
    expect(await vouchersOf('T2-')).toEqual([]);
    const empty = await loadBundle(db.knex, bundle({ 'payment_vouchers.csv': csv([VOUCHER_HEADER, voucher('T2-3', '1.00'), totalRow('合计', '')]) }), { today: TODAY });
    expect(empty).toMatchObject({ outcome: 'rejected', code: 'TOTAL_ROW_MISMATCH' });
  });

  it('a 合计 row that is not the last row is an ordinary (here bad) data row', async () => {
    const file = csv([VOUCHER_HEADER, voucher('T3-1', '1.00'), totalRow('合计', '1.00'), voucher('T3-2', '2.00')]);
    const r = await loadBundle(db.knex, bundle({ 'payment_vouchers.csv': file }), { today: TODAY });
    expect(r.files.find((f) => f.feed === 'payment_vouchers')).toMatchObject({ rowsRead: 3, rowsLoaded: 2, quarantined: 1 });
  });

  /** A voucher sheet as Excel writes it: text as shared strings, amounts and years as numbers. */
  const sheetRow = (no: string, amount: number, date: Cell): Cell[] =>
    voucher(no, '0').map((v, i): Cell => (i === AMOUNT ? amount : i === PAY_DATE ? date : i === 1 ? Number(v) : v === '' ? null : v));

  it('loads an Excel-layout workbook with a date cell in every built-in date format, each exactly', async () => {
    const ids = [14, 15, 16, 17, 18, 19, 20, 21, 22, 27, 28, 29, 30, 31, 32, 33, 34, 35, 36, 45, 46, 47, 50, 51, 52, 53, 54, 55, 56, 57, 58];
    for (const id of ids) {
      // 46341 = 2026-11-15; a time of day must not move the day.
      const rows: Cell[][] = [VOUCHER_HEADER, sheetRow(`F${id}-1`, 1234.5, { n: 46341.6, fmt: id }), sheetRow(`F${id}-2`, 0.3, { n: 46342, fmt: id })];
      const r = await loadBundle(db.knex, bundle({ 'payment_vouchers.xlsx': excelWorkbook({ sheets: [{ name: '支付凭证', rows }] }) }), { today: TODAY });
      expect([id, r.outcome, r.rowsQuarantined, r.reason]).toEqual([id, 'committed', 0, null]);
      expect(await vouchersOf(`F${id}-`)).toEqual([
        { voucher_no: `F${id}-1`, pay_date: '2026-11-15', amount: '1234.50', payee_name: '漯河市新华书店' },
        { voucher_no: `F${id}-2`, pay_date: '2026-11-16', amount: '0.30', payee_name: '漯河市新华书店' },
      ]);
    }
  });

  it('loads the first tab in workbook order, with a matching 合计 row, rich text and formulas', async () => {
    const rows: Cell[][] = [
      VOUCHER_HEADER,
      sheetRow('W-1', 100, { n: 46341, fmt: 'yyyy"年"m"月"d"日"' }),
      sheetRow('W-2', 0.1, { n: 46341, fmt: '[$-804]yyyy/m/d;@' }).map((c, i) => (i === VOUCHER_HEADER.indexOf('payee_name') ? { rich: ['漯河市', '图书馆'] } : c)),
      VOUCHER_HEADER.map((_, i): Cell => (i === 0 ? '合计' : i === AMOUNT ? { f: 'SUM(N2:N3)', v: 100.1 } : null)),
    ];
    const xlsx = excelWorkbook({ sheets: [{ name: '旧表', rows: [['这是被移到后面的旧表']] }, { name: '支付凭证', rows }], tabs: [1, 0] });
    const r = await loadBundle(db.knex, bundle({ 'payment_vouchers.xlsx': xlsx }), { today: TODAY });
    expect(r.reason).toBeNull();
    expect(await vouchersOf('W-')).toEqual([
      { voucher_no: 'W-1', pay_date: '2026-11-15', amount: '100.00', payee_name: '漯河市新华书店' },
      { voucher_no: 'W-2', pay_date: '2026-11-15', amount: '0.10', payee_name: '漯河市图书馆' },
    ]);
  });

  it('rejects merged header cells and a truncated workbook, each with its reason', async () => {
    const header: Cell[] = ['支付信息', ...VOUCHER_HEADER.slice(1)];
    const merged = excelWorkbook({ sheets: [{ name: '支付凭证', rows: [header, sheetRow('M-1', 1, '2026-11-15')], merges: ['A1:B1'] }] });
    const r = await loadBundle(db.knex, bundle({ 'payment_vouchers.xlsx': merged }), { today: TODAY });
    expect(r).toMatchObject({ outcome: 'rejected', code: 'MERGED_HEADER' });
    expect(r.reason).toContain('A1:B1');
    const full = excelWorkbook({ sheets: [{ name: 'S', rows: [VOUCHER_HEADER, ...Array.from({ length: 2000 }, (_, i) => sheetRow(`C-${i}`, i, '2026-11-15'))] }] });
    const cut = path.join(tempInbox(), 'cut.xlsx');
    fs.writeFileSync(cut, full.subarray(0, Math.floor(full.length * 0.6)));
    const t0 = performance.now();
    const truncated = await loadBundle(db.knex, bundle({ 'payment_vouchers.xlsx': fs.readFileSync(cut) }), { today: TODAY });
    expect(performance.now() - t0).toBeLessThan(5000);
    expect(truncated).toMatchObject({ outcome: 'rejected', code: 'FILE_UNREADABLE' });
    expect(truncated.reason).toMatch(/^payment_vouchers\.xlsx：/);
  });
});
