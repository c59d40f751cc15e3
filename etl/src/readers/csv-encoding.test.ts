import { Readable } from 'node:stream';
import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import { readCsv } from './csv.js';

/** Mixed and unsupported encodings are rejected naming what was found, never loaded garbled. */
function streamOf(bytes: Buffer, chunk: number): Readable {
  const pieces: Buffer[] = [];
  for (let i = 0; i < bytes.length; i += chunk) pieces.push(bytes.subarray(i, i + chunk));
  return Readable.from(pieces, { objectMode: false });
}

async function readAll(bytes: Buffer, chunk = 256 * 1024) {
  const table = await readCsv(streamOf(bytes, chunk), 'payment_vouchers.csv');
  const rows: { line: number; cells: string[] }[] = [];
  for await (const batch of table.batches) rows.push(...batch);
  return { table, rows };
}

const HEADER = 'voucher_no,payee_name,purpose\n';
const utf8Row = (i: number) => Buffer.from(`U${i},漯河市第${i}建筑公司,办公楼维修\n`);
const gbRow = (i: number) => iconv.encode(`G${i},源汇区供电公司,电费\n`, 'gb18030');
const ascii = (n: number) => Buffer.from(Array.from({ length: n }, (_, i) => `A${String(i).padStart(6, '0')},ACME Supplies Ltd,office paper and toner\n`).join(''));

describe('mixed encodings in one CSV', () => {
  it.each([256 * 1024, 1000])('rejects UTF-8 rows with one GB18030 row in the first sample, naming its line (chunks of %i bytes)', async (chunk) => {
    const bytes = Buffer.concat([Buffer.from(HEADER), utf8Row(1), utf8Row(2), utf8Row(3), gbRow(4), utf8Row(5), utf8Row(6)]);
    await expect(readAll(bytes, chunk)).rejects.toThrow(/第 5 行不是 UTF-8/);
  });

  it('rejects a GB18030 row that comes first among UTF-8 rows', async () => {
    const bytes = Buffer.concat([Buffer.from(HEADER), gbRow(1), utf8Row(2), utf8Row(3), utf8Row(4)]);
    await expect(readAll(bytes)).rejects.toThrow(/第 2 行不是 UTF-8/);
  });

  it('rejects a GB18030 row far after the first 256 KB of UTF-8, with its line', async () => {
    const rows = Array.from({ length: 7000 }, (_, i) => utf8Row(i));
    const bytes = Buffer.concat([Buffer.from(HEADER), ...rows, gbRow(9), utf8Row(9)]);
    expect(bytes.length).toBeGreaterThan(300 * 1024);
    await expect(readAll(bytes)).rejects.toThrow(/第 7002 行不是 UTF-8/);
  });

  it('rejects the same after an ASCII start', async () => {
    const bytes = Buffer.concat([Buffer.from(HEADER), ascii(10), utf8Row(1), gbRow(2)]);
    await expect(readAll(bytes, 100)).rejects.toThrow(/第 13 行不是 UTF-8/);
  });

  it('rejects UTF-8 rows of Chinese text in a GB18030 file', async () => {
    const bytes = Buffer.concat([Buffer.from(HEADER), gbRow(1), gbRow(2), gbRow(3), utf8Row(4), gbRow(5)]);
    await expect(readAll(bytes)).rejects.toThrow(/第 5 行.*UTF-8/);
  });

  it('still reads a whole GB18030 file and a whole UTF-8 file', async () => {
    const gb = await readAll(Buffer.concat([Buffer.from(HEADER), gbRow(1), gbRow(2), gbRow(3)]));
    expect(gb.table.encoding).toBe('gb18030');
    expect(gb.rows.map((r) => r.cells[1])).toEqual(['源汇区供电公司', '源汇区供电公司', '源汇区供电公司']);
    const u = await readAll(Buffer.concat([Buffer.from(HEADER), utf8Row(1), utf8Row(2)]), 7);
    expect(u.table.encoding).toBe('utf-8');
    expect(u.rows.map((r) => r.cells[1])).toEqual(['漯河市第1建筑公司', '漯河市第2建筑公司']);
  });
});

describe('UTF-16', () => {
  it.each([
    ['utf-16le with BOM', Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(HEADER + 'V1,某公司,用途\n', 'utf16le')]), /UTF-16LE/],
    ['utf-16be with BOM', Buffer.concat([Buffer.from([0xfe, 0xff]), Buffer.from(HEADER + 'V1,某公司,用途\n', 'utf16le').swap16()]), /UTF-16BE/],
    ['utf-16le without BOM', Buffer.from(HEADER + 'V1,某公司,用途\n', 'utf16le'), /UTF-16LE/],
  ])('is rejected naming the encoding (%s), not as missing columns', async (_name, bytes, re) => {
    await expect(readAll(bytes)).rejects.toThrow(re);
  });
});
