import Decimal from 'decimal.js';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type TestDatabase, loginAs, type TestServer, seedDrillData, openApiTest, type ApiTest, expectFieldError } from '../../testing/index.js';

describe('exports', () => {
  let db: TestDatabase;
  let srv: TestServer;
  let staff: string;
  let t: ApiTest;
  beforeAll(async () => {
    t = await openApiTest({ seed: (db) => seedDrillData(db.knex) });
    ({ db, srv, staff } = t);
  });
  afterAll(async () => {
    await t?.close();
  });

  const download = async (path: string, cookie = staff) => {
    const res = await fetch(`${srv.baseUrl}/api/v1${path}`, { headers: { cookie } });
    return { res, buf: Buffer.from(await res.arrayBuffer()) };
  };
  const sheet = async (buf: Buffer) => {
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(buf as unknown as ArrayBuffer);
    return wb.worksheets[0]!;
  };

  it('a voucher list as .xlsx: Chinese headers, every row, money as numbers formatted #,##0.00', async () => {
    const { res, buf } = await download('/exports/vouchers?dept=411100101&sort=amount&order=asc');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('spreadsheetml');
    expect(decodeURIComponent(res.headers.get('content-disposition')!)).toContain('支付凭证');
    const ws = await sheet(buf);
    const headers = (ws.getRow(1).values as unknown[]).slice(1);
    expect(headers).toEqual(expect.arrayContaining(['凭证号', '支付日期', '收款人', '金额（元）']));
    const amountCol = headers.indexOf('金额（元）') + 1;
    const noCol = headers.indexOf('凭证号') + 1;
    const expected = await db.knex('payment_vouchers').where({ region_code: '411100', dept_code: '411100101', fiscal_year: 2025 })
      .andWhere('pay_date', '<=', '2025-09-30').orderBy([{ column: 'amount' }, { column: 'voucher_no' }]).select('voucher_no', 'amount');
    expect(ws.rowCount - 1).toBe(expected.length);
    expected.forEach((v, i) => {
      const row = ws.getRow(i + 2);
      expect(row.getCell(noCol).value).toBe(v.voucher_no);
      const cell = row.getCell(amountCol);
      expect(typeof cell.value).toBe('number');
      // The cell holds exactly the decimal string's value: its shortest text is the amount, no float noise.
      expect(String(cell.value)).toBe(new Decimal(v.amount).toString());
      expect(cell.numFmt).toBe('#,##0.00');
    });
    expect(String(ws.getRow(2).getCell(amountCol).value)).toBe('-300.33');
  });

  it('a deputy’s export masks payee accounts', async () => {
    const deputy = await loginAs(srv.baseUrl, 'deputy');
    const ws = await sheet((await download('/exports/vouchers?payee=测试收款', deputy)).buf);
    const headers = (ws.getRow(1).values as unknown[]).slice(1);
    const col = headers.indexOf('收款账号') + 1;
    expect(ws.rowCount).toBe(5);
    for (let r = 2; r <= ws.rowCount; r++) expect(ws.getRow(r).getCell(col).value).toBe('6222***********3445');
  });

  it('a table view as .xlsx ends with the total row equal to the screen', async () => {
    const api = await (await fetch(`${srv.baseUrl}/api/v1/drill/departments`, { headers: { cookie: staff } })).json();
    const ws = await sheet((await download('/exports/departments')).buf);
    expect((ws.getRow(1).values as unknown[]).slice(1, 5)).toEqual(['代码', '名称', '指标总额（元）', '已支付（元）']);
    expect(ws.rowCount).toBe(api.data.rows.length + 2);
    const last = ws.getRow(ws.rowCount);
    expect(last.getCell(2).value).toBe('合计');
    expect(new Decimal(String(last.getCell(3).value)).toFixed(2)).toBe(api.data.total.budget);
    expect(new Decimal(String(last.getCell(4).value)).toFixed(2)).toBe(api.data.total.paid);
    expect(ws.getRow(2).getCell(1).value).toBe(api.data.rows[0].code);
  });

  it('CSV: UTF-8 with BOM, Chinese headers, exact decimal strings', async () => {
    const { res, buf } = await download('/exports/vouchers?format=csv&payee=测试收款&sort=amount&order=asc');
    expect(res.headers.get('content-type')).toContain('text/csv');
    expect([...buf.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const lines = buf.toString('utf8').slice(1).trim().split('\r\n');
    expect(lines[0]!.split(',')).toContain('金额（元）');
    expect(lines).toHaveLength(5);
    expect(lines[1]!.endsWith(',-300.33')).toBe(true);
    expect(lines[4]!.endsWith(',2500.50')).toBe(true);
  });

  it('module tables export too, and unknown views, bad formats and foreign regions are refused', async () => {
    const ws = await sheet((await download('/exports/debt-bonds')).buf);
    expect(ws.rowCount).toBe(4);
    expect(ws.getRow(2).getCell(8).numFmt).toBe('#,##0.00');
    for (const v of ['debt-maturities', 'debt-repayments', 'asset-reports', 'asset-cards', 'audit-findings', 'audit-repeats', 'units', 'functions', 'economics', 'indicators', 'regions', 'fund-types']) {
      expect([v, (await download(`/exports/${v}?format=csv`)).res.status]).toEqual([v, 200]);
    }
    expect((await download('/exports/nope')).res.status).toBe(404);
    const bad = await download('/exports/vouchers?format=pdf');
    expectFieldError({ status: bad.res.status, body: JSON.parse(bad.buf.toString()) }, 'format');
    expect((await download('/exports/vouchers?region=410000')).res.status).toBe(403);
  });
});
