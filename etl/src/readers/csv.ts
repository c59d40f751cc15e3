import { isAscii } from 'node:buffer';
import type { Readable } from 'node:stream';
import iconv from 'iconv-lite';
import { CsvRecordSplitter, CsvSyntaxError, type CsvRecord } from './csv-records.js';
import { BATCH_ROWS, FileError, type RawRow, type RawTable } from './table.js';

const SAMPLE_BYTES = 256 * 1024;

export type CsvEncoding = 'utf-8' | 'utf-8-bom' | 'gb18030';

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

function countNewlines(b: Buffer, end = b.length): number {
  let n = 0;
  for (let i = b.indexOf(10); i >= 0 && i < end; i = b.indexOf(10, i + 1)) n++;
  return n;
}

/**
 * Offset of the first byte that is not valid UTF-8, or -1. Up to 3 continuation bytes at the
 * start finish a character begun in the previous chunk; a character cut at the end is not an
 * error (the next chunk finishes it). Only called once a strict decode has failed.
 */
function firstInvalidUtf8(b: Buffer): number {
  let i = 0;
  while (i < 3 && i < b.length && (b[i] & 0xc0) === 0x80) i++;
  while (i < b.length) {
    const c = b[i];
    if (c < 0x80) {
      i++;
      continue;
    }
    const n = c >= 0xc2 && c <= 0xdf ? 1 : c >= 0xe0 && c <= 0xef ? 2 : c >= 0xf0 && c <= 0xf4 ? 3 : -1;
    if (n < 0) return i;
    for (let k = 1; k <= n; k++) {
      if (i + k >= b.length) return -1;
      if ((b[i + k] & 0xc0) !== 0x80) return i;
    }
    i += n + 1;
  }
  return -1;
}

/** Characters of U+0800 and above (CJK: three bytes in UTF-8). */
const wideChars = (text: string) => {
  let n = 0;
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) >= 0x800) n++;
  return n;
};

/**
 * A sample that is not all UTF-8, line by line: lines with non-ASCII bytes that do or do not
 * decode as UTF-8, the first of each kind (0-based line within the sample).
 */
function linesByEncoding(sample: Buffer) {
  const out = { utf8: 0, other: 0, firstOther: -1, firstUtf8Text: -1 };
  let lineNo = 0;
  for (let start = 0; start < sample.length; lineNo++) {
    const nl = sample.indexOf(10, start);
    const end = nl < 0 ? sample.length : nl + 1;
    const line = sample.subarray(start, end);
    start = end;
    if (isAscii(line)) continue;
    if (decodesAsUtf8(line)) {
      out.utf8++;
      // A line of Chinese text that is valid UTF-8: in GB18030 bytes, three or more such
      // characters in a row that all happen to form UTF-8 does not occur in practice.
      if (out.firstUtf8Text < 0 && wideChars(new TextDecoder().decode(line)) >= 3) out.firstUtf8Text = lineNo;
    } else {
      out.other++;
      if (out.firstOther < 0) out.firstOther = lineNo;
    }
  }
  return out;
}

const MIXED_HINT = '同一文件中编码不一致，请整个文件统一使用 UTF-8 或 GB18030 另存后重新投递';

/** UTF-16 (what "Unicode text" exports write) has a BOM or a NUL byte beside every ASCII one. */
function utf16Of(first: Buffer): string | null {
  if (first.length >= 2 && first[0] === 0xff && first[1] === 0xfe) return 'UTF-16LE';
  if (first.length >= 2 && first[0] === 0xfe && first[1] === 0xff) return 'UTF-16BE';
  const head = first.subarray(0, 4096);
  if (!head.includes(0)) return null;
  let even = 0;
  let odd = 0;
  for (let i = 0; i < head.length; i++) if (head[i] === 0) (i % 2 ? odd++ : even++);
  if (odd > head.length / 4) return 'UTF-16LE';
  if (even > head.length / 4) return 'UTF-16BE';
  return 'NUL';
}

/**
 * Text of the file (BOM removed). ASCII reads the same in UTF-8 and GB18030, so while every
 * chunk is pure ASCII (one native scan per chunk) the encoding stays undecided; the first
 * chunk holding a byte ≥ 0x80, with what follows it up to SAMPLE_BYTES, decides it. A sample
 * that is mostly UTF-8 with some lines that are not — or GB18030 with a line of UTF-8 text — is
 * a file of mixed encodings and rejected with the first odd line, and from then on UTF-8 is
 * strict: a later line that does not decode is rejected with its line number, never decoded
 * into replacement characters. UTF-16 and NUL bytes are rejected naming what was found.
 */
async function* decoded(chunks: AsyncIterator<Buffer>, file: string, state: EncodingState): AsyncGenerator<string> {
  let atStart = true;
  /** Newlines before the current chunk: the line numbers of encoding errors. */
  let lines = 0;
  let next = await chunks.next();
  // Undecided: pass ASCII chunks through until one is not ASCII (or a BOM opens the file).
  for (; !next.done; next = await chunks.next()) {
    const b = next.value;
    if (b.length === 0) continue;
    if (atStart) {
      const u16 = utf16Of(b);
      if (u16 === 'NUL') throw new FileError('NOT_TEXT', file, '文件含有 NUL 字节，不是文本 CSV（请另存为 UTF-8 或 GB18030 编码的 CSV）');
      if (u16) throw new FileError('UNSUPPORTED_ENCODING', file, `文件编码为 ${u16}，不受支持：请另存为 UTF-8 或 GB18030 编码的 CSV`);
    }
    if (!(atStart && hasBom(b)) && isAscii(b)) {
      atStart = false;
      lines += countNewlines(b);
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
    let sample = Buffer.concat(head);
    // A BOM counts only at the very start of the file.
    const bom = atStart && hasBom(sample);
    if (bom) sample = sample.subarray(3);
    let encoding: CsvEncoding = bom ? 'utf-8-bom' : 'utf-8';
    if (!bom && !decodesAsUtf8(sample)) {
      const by = linesByEncoding(sample);
      if (by.utf8 >= by.other) {
        throw new FileError('MIXED_ENCODING', file, `第 ${lines + by.firstOther + 1} 行不是 UTF-8（其余各行为 UTF-8，此行像是 GB18030/GBK）：${MIXED_HINT}`);
      }
      if (by.firstUtf8Text >= 0) {
        throw new FileError('MIXED_ENCODING', file, `第 ${lines + by.firstUtf8Text + 1} 行是 UTF-8 编码（其余各行为 GB18030/GBK）：${MIXED_HINT}`);
      }
      encoding = 'gb18030';
    }
    state.decided = encoding;
    yield* decodeRest(sample, next.done ? null : chunks, encoding, file, lines);
    return;
  }
  state.decided ??= 'utf-8';
}

async function* decodeRest(first: Buffer, rest: AsyncIterator<Buffer> | null, encoding: CsvEncoding, file: string, linesBefore: number): AsyncGenerator<string> {
  const gb = encoding === 'gb18030' ? iconv.getDecoder('gb18030') : null;
  const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
  let lines = linesBefore;
  const decode = (b: Buffer, last: boolean): string => {
    if (gb) return last ? gb.write(b) + (gb.end() ?? '') : gb.write(b);
    try {
      const text = utf8.decode(b, { stream: !last });
      lines += countNewlines(b);
      return text;
    } catch {
      const at = firstInvalidUtf8(b);
      const line = lines + countNewlines(b, at < 0 ? b.length : at) + 1;
      throw new FileError('MIXED_ENCODING', file, `第 ${line} 行不是 UTF-8（文件前部为 UTF-8，此行像是 GB18030/GBK）：${MIXED_HINT}`);
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
        if (err instanceof CsvSyntaxError) throw new FileError('CSV_SYNTAX', file, `CSV 格式错误：${err.message}`);
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
  if (!first) throw new FileError('FILE_EMPTY', file, '文件为空（没有表头行）');
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
