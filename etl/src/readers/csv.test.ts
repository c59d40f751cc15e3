import { isAscii } from 'node:buffer';
import { Readable } from 'node:stream';
import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import { readCsv } from './csv.js';
import { FileError, type RawTable } from './table.js';

/** The bytes as a stream of `chunk`-byte pieces (the loader reads 256 KB pieces). */
function streamOf(bytes: Buffer, chunk: number): Readable {
  const pieces: Buffer[] = [];
  for (let i = 0; i < bytes.length; i += chunk) pieces.push(bytes.subarray(i, i + chunk));
  return Readable.from(pieces, { objectMode: false });
}

async function readAll(bytes: Buffer, chunk: number) {
  const table = await readCsv(streamOf(bytes, chunk), 'payment_vouchers.csv');
  const rows: { line: number; cells: string[] }[] = [];
  for await (const batch of table.batches) rows.push(...batch);
  return { table, rows };
}

const HEADER = 'voucher_no,payee_name,purpose\n';
/** ASCII rows that add up to more than 256 KB (the old detection sample). */
const asciiRows = (n: number) => Array.from({ length: n }, (_, i) => `V${String(i).padStart(6, '0')},ACME Supplies Ltd,office paper and toner\n`).join('');
const ASCII_COUNT = 6000; // ~270 KB
const chineseRows = ['C1,漯河市第一建筑公司,办公楼维修\n', 'C2,"郑州,某某有限公司","多行\n用途"\n', 'C3,源汇区供电公司,电费\n'].join('');

describe('readCsv encoding detection', () => {
  const text = HEADER + asciiRows(ASCII_COUNT) + chineseRows;

  it.each([256 * 1024, 4096])('reads a GB18030 file whose first 256 KB are ASCII (chunks of %i bytes)', async (chunk) => {
    const bytes = iconv.encode(text, 'gb18030');
    expect(isAscii(bytes.subarray(0, 256 * 1024))).toBe(true);
    const { table, rows } = await readAll(bytes, chunk);
    expect(table.header).toEqual(['voucher_no', 'payee_name', 'purpose']);
    expect(table.encoding).toBe('gb18030');
    expect(rows).toHaveLength(ASCII_COUNT + 3);
    expect(rows[0]).toEqual({ line: 2, cells: ['V000000', 'ACME Supplies Ltd', 'office paper and toner'] });
    // header on line 1, ASCII rows on 2..ASCII_COUNT+1, then the Chinese rows (one spans two lines)
    expect(rows.slice(-3).map((r) => [r.line, ...r.cells])).toEqual([
      [ASCII_COUNT + 2, 'C1', '漯河市第一建筑公司', '办公楼维修'],
      [ASCII_COUNT + 3, 'C2', '郑州,某某有限公司', '多行\n用途'],
      [ASCII_COUNT + 5, 'C3', '源汇区供电公司', '电费'],
    ]);
  });

  it('decides GB18030 when a character is split across one-byte chunks', async () => {
    const { table, rows } = await readAll(iconv.encode(HEADER + asciiRows(50) + chineseRows, 'gb18030'), 1);
    expect(table.encoding).toBe('gb18030');
    expect(rows.slice(-3).map((r) => [r.line, ...r.cells])).toEqual([
      [52, 'C1', '漯河市第一建筑公司', '办公楼维修'],
      [53, 'C2', '郑州,某某有限公司', '多行\n用途'],
      [55, 'C3', '源汇区供电公司', '电费'],
    ]);
  });

  it('reads the same text as UTF-8 when its first non-ASCII bytes are UTF-8', async () => {
    const { table, rows } = await readAll(Buffer.from(text, 'utf8'), 256 * 1024);
    expect(table.encoding).toBe('utf-8');
    expect(rows.at(-1)).toEqual({ line: ASCII_COUNT + 5, cells: ['C3', '源汇区供电公司', '电费'] });
  });

  it('decides on a Chinese header at once, and a BOM still means UTF-8', async () => {
    const gb = await readAll(iconv.encode('凭证号,收款人\nV1,张三\n', 'gb18030'), 256 * 1024);
    expect(gb.table.encoding).toBe('gb18030');
    expect([gb.table.header, gb.rows[0].cells]).toEqual([['凭证号', '收款人'], ['V1', '张三']]);
    const bom = await readCsv(streamOf(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('voucher_no,payee_name\nV1,x\n')]), 2), 'f.csv');
    expect(bom.encoding).toBe('utf-8-bom');
    expect(bom.header).toEqual(['voucher_no', 'payee_name']);
  });

  it('reads a pure ASCII file as UTF-8', async () => {
    const { table, rows } = await readAll(Buffer.from(HEADER + asciiRows(3)), 16);
    expect(table.encoding).toBe('utf-8');
    expect(rows.map((r) => r.line)).toEqual([2, 3, 4]);
  });

  it('still rejects a file whose early text is UTF-8 and later bytes are not', async () => {
    const early = Buffer.from(HEADER + 'U1,漯河市财政局,办公\n' + asciiRows(ASCII_COUNT), 'utf8');
    const late = iconv.encode('G1,源汇区供电公司,电费\n', 'gb18030');
    const err = await readAll(Buffer.concat([early, late]), 256 * 1024).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(FileError);
    expect((err as FileError).message).toContain('第 6003 行不是 UTF-8');
  });

  it('reports the encoding through the table once its rows are read', async () => {
    const table: RawTable = await readCsv(streamOf(iconv.encode(text, 'gb18030'), 256 * 1024), 'f.csv');
    expect(table.encoding).toBe('utf-8'); // undecided: only ASCII read so far
    for await (const batch of table.batches) void batch;
    expect(table.encoding).toBe('gb18030');
  });
});
