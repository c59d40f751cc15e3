import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { excelWorkbook, zip, type Cell, type WorkbookSpec, tempInbox } from '../../../api/src/testing/index.js';
import { FileError } from './table.js';
import { isDateFormat, serialToDate } from './xlsx-formats.js';
import { readXlsx } from './xlsx.js';
import { RowDecoder, SheetScanner } from './xlsx-sheet.js';
import { StringsScanner } from './xlsx-strings.js';
import { attr, XmlScanner } from './xml-scan.js';

const dir = tempInbox('bw-xlsx-');
let n = 0;
function write(spec: WorkbookSpec | Buffer): string {
  const file = path.join(dir, `t${n++}.xlsx`);
  fs.writeFileSync(file, Buffer.isBuffer(spec) ? spec : excelWorkbook(spec));
  return file;
}

async function read(file: string, opts: { worker?: boolean } = {}): Promise<{ header: string[]; rows: string[][]; lines: number[] }> {
  const t = await readXlsx(file, path.basename(file), opts);
  const rows: string[][] = [];
  const lines: number[] = [];
  for await (const batch of t.batches) {
    for (const r of batch) {
      rows.push(r.cells);
      lines.push(r.line);
    }
  }
  return { header: t.header, rows, lines };
}

async function failure(file: string, opts: { worker?: boolean } = {}): Promise<string> {
  try {
    await read(file, opts);
  } catch (err) {
    expect(err).toBeInstanceOf(FileError);
    return (err as Error).message;
  }
  throw new Error('expected the read to fail');
}

// 2025-01-15 is serial 45672 in the 1900 date system.
const JAN15 = 45672;

describe('readXlsx: workbooks as Excel and WPS write them', () => {
  it('reads shared strings and styles stored after the worksheet (Excel’s entry order)', async () => {
    const spec: WorkbookSpec = {
      sheets: [{ name: 'Sheet1', rows: [['凭证号', '金额', '支付日期'], ['ZF001', 1234.5, { n: JAN15, fmt: 14 }], ['ZF002', 0.1, { n: JAN15 + 1, fmt: 14 }]] }],
    };
    for (const order of ['excel', 'strings-first'] as const) {
      const r = await read(write({ ...spec, order }));
      expect(r.header).toEqual(['凭证号', '金额', '支付日期']);
      expect(r.rows).toEqual([
        ['ZF001', '1234.5', '2025-01-15'],
        ['ZF002', '0.1', '2025-01-16'],
      ]);
      expect(r.lines).toEqual([2, 3]);
    }
  });

  it.each([14, 15, 16, 17, 18, 19, 20, 21, 22, 27, 28, 29, 30, 31, 32, 33, 34, 35, 36, 45, 46, 47, 50, 51, 52, 53, 54, 55, 56, 57, 58])(
    'built-in number format %i is read as a date',
    async (id) => {
      const r = await read(write({ sheets: [{ name: 'S', rows: [['d'], [{ n: JAN15 + 0.75, fmt: id }]] }] }));
      expect(r.rows).toEqual([['2025-01-15']]);
    },
  );

  it.each(['yyyy"年"m"月"d"日"', '[$-804]yyyy/m/d;@', 'yyyy-mm-dd', 'e/m/d', '[DBNum1][$-804]yyyy"年"m"月"d"日"', 'dd/mm/yyyy hh:mm:ss', 'mmm d, yyyy'])(
    'custom date format %s is read as a date',
    async (code) => {
      const r = await read(write({ sheets: [{ name: 'S', rows: [['d'], [{ n: JAN15, fmt: code }]] }] }));
      expect(r.rows).toEqual([['2025-01-15']]);
    },
  );

  it.each([0, 1, 2, 3, 4, 10, 11, 37, 40, 49, '#,##0.00_);[Red](#,##0.00)', '"￥"#,##0.00', '0.00"元"', '[Red]0.00', '_-* #,##0.00_-;-* #,##0.00_-'])(
    'number format %s keeps the number',
    async (fmt) => {
      const r = await read(write({ sheets: [{ name: 'S', rows: [['n'], [{ n: 45672.5, fmt }]] }] }));
      expect(r.rows).toEqual([['45672.5']]);
    },
  );

  it('counts from 1904 when the workbook says so', async () => {
    const r = await read(write({ date1904: true, sheets: [{ name: 'S', rows: [['d'], [{ n: JAN15 - 1462, fmt: 14 }]] }] }));
    expect(r.rows).toEqual([['2025-01-15']]);
  });

  it('reads the first tab in the workbook’s order, not sheet1.xml', async () => {
    const r = await read(
      write({
        sheets: [
          { name: '说明', rows: [['本表为说明，不是数据']] },
          { name: '支付凭证', rows: [['voucher_no', 'amount'], ['ZF9', '9.99']] },
        ],
        tabs: [1, 0],
      }),
    );
    expect(r.header).toEqual(['voucher_no', 'amount']);
    expect(r.rows).toEqual([['ZF9', '9.99']]);
  });

  it('reads inline strings, rich text without its phonetic guide, formulas by their cached value, and leaves holes empty', async () => {
    const r = await read(
      write({
        sheets: [
          {
            name: 'S',
            firstRow: 3,
            rows: [
              ['a', 'b', 'c', 'd', 'e'],
              [{ inline: '内联 & <文本>' }, { rich: ['漯河', '市'], phonetic: 'luo' }, { f: 'SUM(1,2)', v: 3 }, { f: 'A4&"x"', v: '文本x' }, null],
              [null, null, 'only c', null, { f: '1/0', v: 0.30000000000000004 }],
            ],
          },
        ],
      }),
    );
    expect(r.header).toEqual(['a', 'b', 'c', 'd', 'e']);
    expect(r.rows).toEqual([
      ['内联 & <文本>', '漯河市', '3', '文本x'],
      ['', '', 'only c', '', '0.3'],
    ]);
    expect(r.lines).toEqual([4, 5]);
  });

  it('reads a workbook written with prefixed elements, single quotes, spaced attributes and cells without references (OpenXML SDK style)', async () => {
    const M = 'http://schemas.openxmlformats.org/spreadsheetml/2006/main';
    const R = 'http://schemas.openxmlformats.org/officeDocument/2006/relationships';
    const parts: [string, string][] = [
      ['xl/worksheets/data.xml', `<x:worksheet xmlns:x="${M}"><x:sheetData><x:row r='1'><x:c t='inlineStr'><x:is><x:t>a</x:t></x:is></x:c><x:c t = 'inlineStr'><x:is><x:t>b</x:t></x:is></x:c></x:row><x:row><x:c s = '1'><x:v>45672</x:v></x:c><x:c><x:v>1.5</x:v></x:c></x:row></x:sheetData></x:worksheet>`],
      ['xl/workbook.xml', `<x:workbook xmlns:x="${M}" xmlns:r="${R}"><x:sheets><x:sheet name='S' sheetId='1' r:id='R9'/></x:sheets></x:workbook>`],
      ['xl/_rels/workbook.xml.rels', `<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="R9" Type="${R}/worksheet" Target="/xl/worksheets/data.xml"/><Relationship Id="R8" Type="${R}/styles" Target="styles.xml"/></Relationships>`],
      ['xl/styles.xml', `<x:styleSheet xmlns:x="${M}"><x:cellXfs><x:xf numFmtId='0'/><x:xf numFmtId='31'/></x:cellXfs></x:styleSheet>`],
      ['_rels/.rels', `<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="r1" Type="${R}/officeDocument" Target="xl/workbook.xml"/></Relationships>`],
    ];
    const r = await read(write(zip(parts.map(([n, t]) => [n, Buffer.from(t)]))));
    expect(r.header).toEqual(['a', 'b']);
    expect(r.rows).toEqual([['2025-01-15', '1.5']]);
    expect(r.lines).toEqual([2]);
  });

  it('rejects merged header cells, naming the range', async () => {
    const message = await failure(write({ sheets: [{ name: '支付凭证', rows: [['支付信息', null, '金额'], ['ZF1', '', '1']], merges: ['A1:B1'] }] }));
    expect(message).toContain('表头有合并单元格 A1:B1');
    // A long sheet: the header is handed out before the merge list (after the rows) is read.
    const rows = [['支付信息', null], ...Array.from({ length: 5000 }, (_, i) => [`x${i}`, 'y'])];
    const t = await readXlsx(write({ sheets: [{ name: 'S', rows, merges: ['A1:B1'] }] }), 'm.xlsx');
    expect(t.header).toEqual(['支付信息']);
    expect((await t.headerProblem!())?.message).toContain('A1:B1');
  });

  it('accepts merged cells below the header', async () => {
    const r = await read(write({ sheets: [{ name: 'S', rows: [['a', 'b'], ['x', null]], merges: ['A2:B2'] }] }));
    expect(r.rows).toEqual([['x']]);
  });

  it('fails at once, with a clear reason, on a truncated or malformed file', async () => {
    const full = excelWorkbook({ sheets: [{ name: 'S', rows: [['a'], ...Array.from({ length: 3000 }, (_, i) => [`row ${i} ${'x'.repeat(i % 50)}`])] }] });
    for (const cut of [100, Math.floor(full.length / 2), full.length - 30]) {
      const t0 = performance.now();
      expect(await failure(write(full.subarray(0, cut)))).toMatch(/无法读取 Excel 文件（文件可能被截断或损坏）/);
      expect(performance.now() - t0).toBeLessThan(5000);
    }
    expect(await failure(write(Buffer.from('voucher_no,amount\nZF1,1\n')))).toMatch(/无法读取 Excel 文件/);
    // A damaged byte in the sheet's compressed data: the CRC or inflate check fails.
    const damaged = Buffer.from(full);
    damaged[Math.floor(full.length / 3)] ^= 0xff;
    expect(await failure(write(damaged))).toMatch(/无法读取 Excel 文件/);
  });

  it('never emits a shared-string index as a value when the string table is missing', async () => {
    const message = await failure(write({ sheets: [{ name: 'S', rows: [['a'], ['b']] }], omit: ['xl/sharedStrings.xml'] }));
    expect(message).toContain('共享字符串编号 0 不存在');
  });
});

describe('number formats and serials', () => {
  it('tells date formats by their tokens', () => {
    expect(isDateFormat('yyyy"年"m"月"d"日"')).toBe(true);
    expect(isDateFormat('h:mm AM/PM')).toBe(true);
    expect(isDateFormat('[h]:mm:ss')).toBe(true);
    expect(isDateFormat('0.00"天"')).toBe(false);
    expect(isDateFormat('#,##0.00;[Red]-#,##0.00')).toBe(false);
    expect(isDateFormat('0.00E+00')).toBe(false);
    expect(isDateFormat('General')).toBe(false);
    expect(isDateFormat('"d"0.00')).toBe(false);
    expect(isDateFormat('\\d0')).toBe(false);
  });

  it('converts serials around Excel’s phantom 1900-02-29', () => {
    expect(serialToDate(1, false)).toBe('1900-01-01');
    expect(serialToDate(59, false)).toBe('1900-02-28');
    expect(serialToDate(61, false)).toBe('1900-03-01');
    expect(serialToDate(45672.99999999999, false)).toBe('2025-01-16');
    expect(serialToDate(45672.999, false)).toBe('2025-01-15');
    expect(serialToDate(0, true)).toBe('1904-01-01');
  });
});

describe('XmlScanner', () => {
  it('gives the same events whatever the chunk boundaries', () => {
    const xml = `<?xml version="1.0"?><!-- c --><x:row r="7" a='1>2'><x:c r="B7" t="s"><v>12</v></x:c><is><t>a &amp; b&#x4E2D;&#25991;</t></is><![CDATA[<raw>]]><e/></x:row>`;
    const run = (size: number) => {
      const ev: string[] = [];
      const s = new XmlScanner({
        open: (name, inner, self) => ev.push(`<${name}${self ? '/' : ''} r=${attr(inner, 'r') ?? ''} a=${attr(inner, 'a') ?? ''}`),
        close: (name) => ev.push(`</${name}`),
        text: (t) => ev.push(`t:${t}`),
      });
      for (let i = 0; i < xml.length; i += size) s.write(xml.slice(i, i + size));
      s.end();
      // Text may arrive in pieces: join neighbours before comparing.
      return ev.join('|').replace(/\|t:/g, 't:');
    };
    const whole = run(xml.length);
    expect(whole).toContain('t:a & b中文');
    expect(whole).toContain('t:<raw>');
    expect(whole).toContain('<row r=7 a=1>2');
    for (const size of [1, 2, 3, 7]) expect(run(size)).toBe(whole);
  });

  it('says so when the XML ends inside a tag', () => {
    const s = new XmlScanner({ open() {}, close() {}, text() {} });
    s.write('<row><c r="A1');
    expect(() => s.end()).toThrow(/XML 不完整/);
  });
});

describe('readXlsx on a worker thread (what a large sheet gets)', () => {
  const worker = { worker: true };

  it('gives the same rows, lines and header', async () => {
    const rows = [['凭证号', '金额', '支付日期', '说明'], ...Array.from({ length: 4500 }, (_, i) => [`ZF${i}`, i + 0.5, { n: JAN15 + (i % 9), fmt: 31 }, i % 3 ? { inline: `第${i}行 & x` } : null])] as Cell[][];
    const file = write({ sheets: [{ name: 'S', firstRow: 2, rows }] });
    const inProcess = await read(file, { worker: false });
    const threaded = await read(file, worker);
    expect(threaded).toEqual(inProcess);
    expect(threaded.rows.length).toBe(4500);
    expect(threaded.rows[4]).toEqual(['ZF4', '4.5', '2025-01-19', '第4行 & x']);
    expect(threaded.lines[0]).toBe(3);
  });

  it('rejects merged header cells, a truncated file and a missing string table as in the loader', async () => {
    const rows = [['支付信息', null], ...Array.from({ length: 5000 }, (_, i) => [`x${i}`, 'y'])];
    const t = await readXlsx(write({ sheets: [{ name: 'S', rows, merges: ['A1:B1'] }] }), 'm.xlsx', worker);
    expect(t.header).toEqual(['支付信息']);
    expect((await t.headerProblem!())?.message).toContain('A1:B1');
    const full = excelWorkbook({ sheets: [{ name: 'S', rows: [['a'], ...Array.from({ length: 3000 }, (_, i) => [`row ${i} ${'x'.repeat(i % 50)}`])] }] });
    expect(await failure(write(full.subarray(0, Math.floor(full.length / 2))), worker)).toMatch(/无法读取 Excel 文件/);
    expect(await failure(write({ sheets: [{ name: 'S', rows: [['a'], ['b']] }], omit: ['xl/sharedStrings.xml'] }), worker)).toContain('共享字符串编号 0 不存在');
  });

  it('stops the worker when the rows are abandoned', async () => {
    const rows = [['a'], ...Array.from({ length: 20000 }, (_, i) => [`r${i}`])];
    const t = await readXlsx(write({ sheets: [{ name: 'S', rows }] }), 'a.xlsx', worker);
    const it = t.batches[Symbol.asyncIterator]();
    expect((await it.next()).done).toBe(false);
    await it.return?.();
    expect((await it.next()).done).toBe(true);
  });
});

describe('byte scanners: the same rows whatever the inflated chunks’ boundaries', () => {
  const sheetXml = (p: string) =>
    `\uFEFF<?xml version="1.0" encoding="UTF-8"?>\r\n<${p}worksheet xmlns${p ? `:${p.slice(0, -1)}` : ''}="m"><${p}dimension ref="A1"/><${p}sheetData>` +
    `<${p}row r="1" spans="1:6"><${p}c r="A1" t="s"><${p}v>0</${p}v></${p}c><${p}c r="B1" t="s"><${p}v>1</${p}v></${p}c><${p}c r="C1" t="inlineStr"><${p}is><${p}r><${p}t>内联 &amp; </${p}t></${p}r><${p}r><${p}t>𠮷_x000D_</${p}t></${p}r><${p}rPh><${p}t>ph</${p}t></${p}rPh></${p}is></${p}c></${p}row>` +
    `<!-- a comment <row> --><${p}row r="3"/>` +
    `<${p}row r="4"><${p}c r="A4" s="1"><${p}v>45672.75</${p}v></${p}c><${p}c r="B4"><${p}v>0.30000000000000004</${p}v></${p}c><${p}c r="D4" t="b"><${p}v>1</${p}v></${p}c><${p}c r="E4" t="e"><${p}v>#DIV/0!</${p}v></${p}c>` +
    `<${p}c r="F4" t="str"><${p}f>A1&amp;"x"</${p}f><${p}v>a&lt;b</${p}v></${p}c><${p}c r="G4" t = 'd' ><${p}v>2025-01-15T00:00:00</${p}v></${p}c><${p}c r="H4" s="1"><${p}v>45673</${p}v></${p}c><${p}c r="I4"><${p}v>-12.5</${p}v></${p}c></${p}row>` +
    `<${p}row><${p}c><${p}v>7</${p}v></${p}c><${p}c/><${p}c t="s"><${p}v>2</${p}v></${p}c><${p}c t="s"><${p}v>3</${p}v></${p}c></${p}row>` +
    `<${p}row r="9"><${p}c r="B9" t="s"><${p}v>3</${p}v></${p}c><${p}c r="C9" t="s"><${p}v>4</${p}v></${p}c></${p}row>` +
    `</${p}sheetData><${p}mergeCells count="1"><${p}mergeCell ref="A9:B9"/></${p}mergeCells></${p}worksheet>`;
  const stringsXml = (p: string) =>
    `<?xml version="1.0"?><${p}sst count="5"><${p}si><${p}t>凭证号</${p}t></${p}si><${p}si><${p}t xml:space="preserve"> 金额 </${p}t></${p}si>` +
    `<${p}si><${p}r><${p}t>漯河</${p}t></${p}r><${p}r><${p}rPr><${p}b/></${p}rPr><${p}t>市</${p}t></${p}r><${p}rPh sb="0" eb="1"><${p}t>luo</${p}t></${p}rPh></${p}si>` +
    `<${p}si><${p}t></${p}t></${p}si><${p}si><${p}t>a &amp; b_x0009_𠮷</${p}t></${p}si></${p}sst>`;

  function scan(xml: string, strings: string, size: number) {
    const ss = new StringsScanner();
    const sb = Buffer.from(strings, 'utf8');
    for (let i = 0; i < sb.length; i += size) ss.write(sb.subarray(i, i + size));
    const decoder = new RowDecoder(ss.end());
    const sheet = new SheetScanner([false, true], false);
    const b = Buffer.from(xml, 'utf8');
    for (let i = 0; i < b.length; i += size) sheet.write(b.subarray(i, i + size));
    sheet.end();
    return { rows: decoder.decode(sheet.take()), merges: sheet.merges, header: decoder.headerLine };
  }

  it.each(['', 'x:'])('reads every kind of cell, prefix %j, in chunks of 1 byte to the whole', (p) => {
    const whole = scan(sheetXml(p), stringsXml(p), 1 << 20);
    expect(whole.rows).toEqual([
      { line: 1, cells: ['凭证号', ' 金额 ', '内联 & 𠮷\r'] },
      { line: 4, cells: ['2025-01-15', '0.3', '', 'TRUE', '', 'a<b', '2025-01-15', '2025-01-16', '-12.5'] },
      { line: 5, cells: ['7', '', '漯河市'] },
      { line: 9, cells: ['', '', 'a & b\t𠮷'] },
    ]);
    expect(whole.merges).toEqual(['A9:B9']);
    expect(whole.header).toBe(1);
    for (const size of [1, 2, 3, 7, 64]) expect(scan(sheetXml(p), stringsXml(p), size)).toEqual(whole);
  });

  // The one-pass reader of Excel's usual cell (SheetScanner.usualCell) never reads a sheet whose
  // elements carry a namespace prefix: the same sheet with one is read by the general path alone.
  const prefixed = (xml: string) => xml.replace(/<(\/?)(worksheet|sheetData|row|c|v|f|is|t)(?=[ >/])/g, '<$1x:$2').replace('<x:worksheet', '<x:worksheet xmlns:x="m"');
  const table = '<sst><si><t>a</t></si><si><t>b</t></si><si><t>c</t></si><si><t>d</t></si><si><t>e</t></si></sst>';

  it('reads Excel’s usual cells in one pass exactly as the general path does', () => {
    const long = `1${'0'.repeat(120)}`;
    const row =
      '<row r="2" spans="1:20"><c r="A2" t="s"><v>1</v></c><c r="B2" s="1" t="s"><v>0</v></c><c r="C2" t="s" s="1"><v>00004</v></c>' +
      '<c r="D2" s="1"><v>45672</v></c><c r="E2" s="1" t="n"><v>45672.5</v></c><c r="F2" t="n"><v>-0.5</v></c><c r="G2"><v>1.5E-3</v></c>' +
      '<c r="H2"><v>12.345</v></c><c r="I2"><v>0.30000000000000004</v></c><c r="J2" cm="1"><v>9</v></c><c r="K2"  t="s"><v>1</v></c>' +
      `<c r="l2" t="s"><v>1</v></c><c r="M2"><v>${long}</v></c><c r="N2" t="s"/><c t="s"><v>4</v></c><c r="P2" s="0"><f>1+1</f><v>2</v></c>` +
      '<c r="AA2" t="s"><v>4</v></c><c><v>8</v></c><c r="AC2" t="str"><v>x</v></c><c r="AD2" s="1"><v></v></c></row>';
    const xml = `<worksheet><sheetData>${row}</sheetData></worksheet>`;
    const whole = scan(xml, table, 1 << 20);
    const cells = ['b', 'a', 'e', '2025-01-15', '2025-01-15', '-0.5', '0.0015', '12.345', '0.3', '9', 'b', 'b', String(BigInt(long)), '', 'e', '2'];
    expect(whole.rows).toEqual([{ line: 2, cells: [...cells, ...Array(10).fill(''), 'e', '8', 'x'] }]);
    for (const size of [1 << 20, 1, 5, 64]) expect(scan(prefixed(xml), table, size)).toEqual(whole);
  });

  it('reads 300 rows of cells of every shape, generated, as the general path does, whatever the chunks', () => {
    let seed = 20261207;
    const rand = (n: number) => {
      seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
      return (seed >>> 8) % n;
    };
    const pick = <T,>(xs: T[]) => xs[rand(xs.length)];
    const ref = (col: number, line: number) => {
      let s = '';
      for (let c = col + 1; c > 0; c = Math.floor((c - 1) / 26)) s = String.fromCharCode(65 + ((c - 1) % 26)) + s;
      return `${s}${line}`;
    };
    const numbers = ['0', '7', '-3', '12.5', '12.34', '12.345', '1.5E-3', '2E+20', '0.30000000000000004', '123456789012345', '12345678901234567890', '-0.01'];
    const shapes: ((r: string) => string)[] = [
      (r) => `<c r="${r}" t="s"><v>${rand(5)}</v></c>`,
      (r) => `<c r="${r}" s="${rand(2)}" t="s"><v>${rand(5)}</v></c>`,
      (r) => `<c r="${r}" t="s" s="1"><v>${rand(5)}</v></c>`,
      (r) => `<c r="${r}"><v>${pick(numbers)}</v></c>`,
      (r) => `<c r="${r}" t="n"><v>${pick(numbers)}</v></c>`,
      (r) => `<c r="${r}" s="1"><v>${40000 + rand(10000)}${pick(['', '.5', '.25'])}</v></c>`,
      (r) => `<c r="${r}" s="0" t="n"><v>${pick(numbers)}</v></c>`,
      (r) => `<c r="${r}" t="str"><v>文本${rand(9)}</v></c>`,
      (r) => `<c r="${r}" t="b"><v>${rand(2)}</v></c>`,
      (r) => `<c r="${r}" t="inlineStr"><is><t>内联${rand(9)}</t></is></c>`,
      (r) => `<c r="${r}"/>`,
      (r) => `<c r="${r}" t="s"><f>A1</f><v>${rand(5)}</v></c>`,
      (r) => `<c r="${r}"  s="1"><v>${rand(99)}</v></c>`,
      (r) => `<c r="${r}" t="s"><v></v></c>`,
      () => `<c><v>${rand(99)}</v></c>`,
    ];
    let rows = '';
    for (let line = 1; line <= 300; line++) {
      rows += `<row r="${line}">`;
      for (let col = rand(3), k = rand(30); k > 0; k--, col += 1 + (rand(10) === 0 ? rand(800) : 0)) rows += pick(shapes)(ref(col, line));
      rows += '</row>';
    }
    const xml = `<worksheet><sheetData>${rows}</sheetData></worksheet>`;
    const general = scan(prefixed(xml), table, 1 << 20);
    expect(general.rows.length).toBeGreaterThan(250);
    for (const size of [1 << 20, 4096, 97, 13]) expect(scan(xml, table, size)).toEqual(general);
  });

  it('keeps the table’s offsets right around bytes that are not UTF-8', () => {
    const s = new StringsScanner();
    s.write(Buffer.concat([Buffer.from('<sst><si><t>a'), Buffer.from([0xff]), Buffer.from('b</t></si><si><t>中文</t></si></sst>')]));
    const table = s.end();
    expect([table.at(0), table.at(1), table.at(2)]).toEqual(['a\uFFFDb', '中文', undefined]);
  });
});
