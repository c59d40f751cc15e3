import type { Readable } from 'node:stream';
import iconv from 'iconv-lite';
import { CsvRecordSplitter, CsvSyntaxError, type CsvRecord } from './csv-records.js';
import { BATCH_ROWS, FileError, type RawRow, type RawTable } from './table.js';

const SAMPLE_BYTES = 256 * 1024;

/**
 * Decide the encoding from the first chunks: strict UTF-8 (with or without BOM) if they
 * decode, else GB18030 (a superset of GBK, what Chinese office software exports).
 */
export function detectEncoding(sample: Buffer): 'utf-8' | 'utf-8-bom' | 'gb18030' {
  if (sample.length >= 3 && sample[0] === 0xef && sample[1] === 0xbb && sample[2] === 0xbf) return 'utf-8-bom';
  try {
    // stream: true tolerates a multi-byte character cut at the end of the sample.
    new TextDecoder('utf-8', { fatal: true }).decode(sample, { stream: true });
    return 'utf-8';
  } catch {
    return 'gb18030';
  }
}

async function* chunksOf(input: Readable): AsyncGenerator<Buffer> {
  for await (const chunk of input) yield typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer);
}

/** Text of the file in its detected encoding (BOM removed); UTF-8 stays strict past the sample too. */
async function* decoded(head: Buffer[], rest: AsyncIterator<Buffer>, encoding: string, file: string): AsyncGenerator<string> {
  const decoder =
    encoding === 'gb18030' ? iconv.getDecoder('gb18030') : null;
  const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false });
  const decode = (b: Buffer, last: boolean): string => {
    if (decoder) return last ? decoder.write(b) + (decoder.end() ?? '') : decoder.write(b);
    try {
      return utf8.decode(b, { stream: !last });
    } catch {
      throw new FileError(file, '文件编码无法识别：前部为 UTF-8，后部含有非 UTF-8 字节（请统一使用 UTF-8 或 GB18030）');
    }
  };
  for (const b of head) yield decode(b, false);
  for (;;) {
    const { value, done } = await rest.next();
    if (done) break;
    yield decode(value, false);
  }
  const tail = decode(Buffer.alloc(0), true);
  if (tail) yield tail;
}

/**
 * Stream a delivery CSV: RFC 4180 quoting (newlines inside quotes), CRLF or LF, UTF-8 ± BOM
 * or GB18030/GBK. Blank lines are skipped but counted, so `line` is the physical line a
 * record starts on — what a person opening the file sees.
 */
export async function readCsv(input: Readable, file: string): Promise<RawTable> {
  const it = chunksOf(input)[Symbol.asyncIterator]();
  const head: Buffer[] = [];
  let size = 0;
  while (size < SAMPLE_BYTES) {
    const { value, done } = await it.next();
    if (done) break;
    head.push(value);
    size += value.length;
  }
  const sample = Buffer.concat(head);
  if (sample.length === 0) throw new FileError(file, '文件为空（没有表头行）');
  const encoding = detectEncoding(sample);
  const text = decoded([encoding === 'utf-8-bom' ? sample.subarray(3) : sample], it, encoding, file)[Symbol.asyncIterator]();
  const splitter = new CsvRecordSplitter();

  let pending: CsvRecord[] = [];
  let ended = false;
  /** Next batch of non-blank records, or null at the end. */
  const nextBatch = async (): Promise<RawRow[] | null> => {
    while (pending.length < BATCH_ROWS && !ended) {
      const { value, done } = await text.next();
      try {
        splitter.push(done ? '' : value, !!done, pending);
      } catch (err) {
        if (err instanceof CsvSyntaxError) throw new FileError(file, `CSV 格式错误：${err.message}`);
        throw err;
      }
      if (done) ended = true;
    }
    if (pending.length === 0) return null;
    const batch = pending.filter((r) => !(r.cells.length === 1 && r.cells[0].trim() === ''));
    pending = [];
    return batch;
  };

  let first: RawRow[] | null;
  do first = await nextBatch();
  while (first && first.length === 0);
  if (!first) throw new FileError(file, '文件为空（没有表头行）');
  const header = first[0];
  const rest = first.slice(1);
  async function* batches(): AsyncGenerator<RawRow[]> {
    if (rest.length) yield rest;
    for (let b = await nextBatch(); b; b = await nextBatch()) if (b.length) yield b;
  }
  return { encoding, header: header.cells, headerLine: header.line, fixedWidth: true, batches: batches() };
}
