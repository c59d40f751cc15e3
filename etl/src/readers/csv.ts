import { isAscii } from 'node:buffer';
import type { Readable } from 'node:stream';
import iconv from 'iconv-lite';
import { CsvRecordSplitter, CsvSyntaxError, type CsvRecord } from './csv-records.js';
import { BATCH_ROWS, FileError, type RawRow, type RawTable } from './table.js';

const SAMPLE_BYTES = 256 * 1024;

export type CsvEncoding = 'utf-8' | 'utf-8-bom' | 'gb18030';

/**
 * Decide the encoding from a sample: strict UTF-8 (with or without BOM) if it decodes, else
 * GB18030 (a superset of GBK, what Chinese office software exports).
 */
export function detectEncoding(sample: Buffer): CsvEncoding {
  if (hasBom(sample)) return 'utf-8-bom';
  return decodesAsUtf8(sample) ? 'utf-8' : 'gb18030';
}

function decodesAsUtf8(sample: Buffer): boolean {
  try {
    // stream: true tolerates a multi-byte character cut at the end of the sample.
    new TextDecoder('utf-8', { fatal: true }).decode(sample, { stream: true });
    return true;
  } catch {
    return false;
  }
}

const hasBom = (b: Buffer) => b.length >= 3 && b[0] === 0xef && b[1] === 0xbb && b[2] === 0xbf;

async function* chunksOf(input: Readable): AsyncGenerator<Buffer> {
  for await (const chunk of input) yield typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer);
}

/** The encoding as far as it is known: null while every byte read so far was ASCII. */
interface EncodingState {
  decided: CsvEncoding | null;
}

/**
 * Text of the file (BOM removed). ASCII reads the same in UTF-8 and GB18030, so while every
 * chunk is pure ASCII (one native scan per chunk) the encoding stays undecided; the first
 * chunk holding a byte ≥ 0x80, with what follows it up to SAMPLE_BYTES, decides it. From then
 * on UTF-8 is strict: a file whose first non-ASCII text is UTF-8 and later bytes are not is
 * rejected rather than decoded into replacement characters.
 */
async function* decoded(chunks: AsyncIterator<Buffer>, file: string, state: EncodingState): AsyncGenerator<string> {
  let atStart = true;
  let next = await chunks.next();
  // Undecided: pass ASCII chunks through until one is not ASCII (or a BOM opens the file).
  for (; !next.done; next = await chunks.next()) {
    const b = next.value;
    if (b.length === 0) continue;
    if (!(atStart && hasBom(b)) && isAscii(b)) {
      atStart = false;
      yield b.toString('latin1');
      continue;
    }
    const head = [b];
    let size = b.length;
    while (size < SAMPLE_BYTES) {
      next = await chunks.next();
      if (next.done) break;
      head.push(next.value);
      size += next.value.length;
    }
    const sample = Buffer.concat(head);
    // A BOM counts only at the very start of the file.
    state.decided = atStart ? detectEncoding(sample) : decodesAsUtf8(sample) ? 'utf-8' : 'gb18030';
    yield* decodeRest(state.decided === 'utf-8-bom' ? sample.subarray(3) : sample, next.done ? null : chunks, state.decided, file);
    return;
  }
  state.decided ??= 'utf-8';
}

async function* decodeRest(first: Buffer, rest: AsyncIterator<Buffer> | null, encoding: CsvEncoding, file: string): AsyncGenerator<string> {
  const gb = encoding === 'gb18030' ? iconv.getDecoder('gb18030') : null;
  const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
  const decode = (b: Buffer, last: boolean): string => {
    if (gb) return last ? gb.write(b) + (gb.end() ?? '') : gb.write(b);
    try {
      return utf8.decode(b, { stream: !last });
    } catch {
      throw new FileError(file, '文件编码无法识别：前部为 UTF-8，后部含有非 UTF-8 字节（请统一使用 UTF-8 或 GB18030）');
    }
  };
  yield decode(first, false);
  if (rest) {
    for (let r = await rest.next(); !r.done; r = await rest.next()) yield decode(r.value, false);
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
  const state: EncodingState = { decided: null };
  const text = decoded(chunksOf(input)[Symbol.asyncIterator](), file, state)[Symbol.asyncIterator]();
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
  return {
    // Final once the rows are read: a file that is pure ASCII up to here reads as 'utf-8' until
    // its first non-ASCII chunk decides.
    get encoding() {
      return state.decided ?? 'utf-8';
    },
    header: header.cells, headerLine: header.line, fixedWidth: true, batches: batches(),
  };
}
