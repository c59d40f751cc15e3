import Decimal from 'decimal.js';
import type { RawRow } from './table.js';
import { BATCH_ROWS } from './table.js';
import { bytesAt, GT, indexOfByte, isWs, LT, SLASH, tagEnd, utf8 } from './xml-bytes.js';
import { attr, decodeXml, XmlScanner } from './xml-scan.js';
import { serialToDate } from './xlsx-formats.js';
import { richText, unescapeX, type SharedStrings } from './xlsx-strings.js';
import type { Zip } from './xlsx-zip.js';

/**
 * Rows of a sheet, encoded for the trip from the scanner (on a worker thread for a large
 * sheet) to the loader: two transferable arrays instead of thousands of small strings.
 */
export interface RowBatch {
  /** UTF-8 of the cells' own texts (numbers, dates, inline strings), one after another. */
  bytes: Uint8Array;
  /**
   * Per row: its line, its cell count n, then n pairs — [from, to) in the decoded `bytes`
   * (UTF-16 units; from = to is an empty cell), or [-1 - i, 0] for shared string i.
   */
  cells: Int32Array;
}

/** What the worker thread of a large sheet (xlsx-worker.ts) is given, and what it sends back. */
export interface SheetJob {
  path: string;
  part: string;
  dateStyles: boolean[];
  date1904: boolean;
}

export type SheetMessage = { kind: 'rows'; batch: RowBatch } | { kind: 'end'; merges: string[] } | { kind: 'error'; message: string };

// Cell types (the `t` attribute).
const NUM = 0;
const SST = 1;
const STR = 2;
const INLINE = 3;
const BOOL = 4;
const ERR = 5;
const DATE = 6;

const MORE = -1; // the bytes run out before the element ends: scan it again with the next chunk
const NOT = -2; // not the element asked for
const BAD = -3; // malformed markup

const ascii = (s: string) => Uint8Array.from(s, (c) => c.charCodeAt(0));

/** Bytes a usual cell (SheetScanner.usualCell) fits in: a long number or reference falls back to the general path. */
const USUAL_CELL = 96;
const COMMENT = ascii('<!--');

/**
 * The worksheet's rows, read from the XML's bytes as they inflate. A 1,000,000-row sheet is
 * ~500 MB of XML, almost all of it `<row r="2"><c r="A2" t="s"><v>17</v></c>…</row>`: the
 * bytes are scanned where they lie, a shared string's index is parsed from its digits and
 * sent as a number, a number cell's digits are copied as they are — no text decoding and
 * no string per cell. What is rare (inline strings, rich text, formula strings, numbers
 * with float noise) is decoded cell by cell; everything after `</sheetData>` (the merged
 * ranges) goes through the general XmlScanner.
 */
export class SheetScanner {
  merges: string[] = [];
  /** Complete rows in the current batch. */
  rows = 0;
  private phase: 'head' | 'rows' | 'tail' = 'head';
  private rest: Uint8Array | null = null;
  private line = 0;
  private tail: XmlScanner | null = null;
  private readonly tailText = new TextDecoder('utf-8');
  // Element names with the writer's namespace prefix, set at <sheetData>.
  private ROW = ascii('row');
  private C = ascii('c');
  private V = ascii('v');
  private SHEET_DATA = ascii('sheetData');
  private V_END = ascii('</v></c>');
  // Dates by serial: few distinct days in a file, each converted once.
  private readonly dayOf = new Map<number, string>();
  private readonly dayOfText = new Map<string, string>();
  // The batch being built.
  private out = Buffer.allocUnsafe(1 << 18);
  private outLen = 0;
  private units = 0;
  private desc = new Int32Array(1 << 16);
  private descLen = 0;
  // The row being read: a [from, to) pair per column, and how many columns it has so far.
  private pairs = new Int32Array(64);
  private width = 0;
  // Attribute values of the last tag read: [start, end) byte ranges, -1 when absent.
  private r0 = -1;
  private r1 = -1;
  private t0 = -1;
  private t1 = -1;
  private s0 = -1;
  private s1 = -1;
  private selfClosing = false;
  /** Column (0-based) of the last cell usualCell read. */
  private usualColumn = 0;

  constructor(
    private readonly dateStyles: boolean[],
    private readonly date1904: boolean,
  ) {}

  write(chunk: Uint8Array): void {
    let buf = this.rest ? Buffer.concat([this.rest, chunk]) : chunk;
    this.rest = null;
    if (this.phase === 'tail') return this.tailWrite(buf);
    if (this.phase === 'head') {
      const at = this.head(buf);
      if (at < 0) {
        this.rest = buf;
        return;
      }
      buf = buf.subarray(at);
      if (this.tail) return this.tailWrite(buf); // <sheetData/>
    }
    const pos = this.body(buf);
    if (this.phase === 'rows') this.rest = pos < buf.length ? buf.subarray(pos) : null;
  }

  end(): void {
    if (this.phase === 'tail') {
      this.tail!.write(this.tailText.decode());
      return this.tail!.end();
    }
    const rest = this.rest ? utf8(this.rest, 0, this.rest.length) : '';
    if (this.phase === 'head' && rest.replace(/^\uFEFF/, '').trim() === '') throw new Error('工作表 XML 为空');
    throw new Error('工作表 XML 不完整（缺少 </sheetData>，文件可能被截断）');
  }

  /** The rows read since the last take, encoded; the batch starts afresh. */
  take(): RowBatch {
    const batch = { bytes: new Uint8Array(this.out.subarray(0, this.outLen)), cells: this.desc.slice(0, this.descLen) };
    this.outLen = this.units = this.descLen = this.rows = 0;
    return batch;
  }

  /** Up to the `<sheetData>` tag: learn the namespace prefix the writer uses. Where the rows start, or -1. */
  private head(buf: Uint8Array): number {
    // latin1 keeps one character per byte, so the match's index is a byte offset.
    const m = /<([A-Za-z_][\w.-]*:)?sheetData(\s[^>]*)?(\/?)>/.exec(Buffer.from(buf.buffer, buf.byteOffset, buf.length).toString('latin1'));
    if (!m) return -1;
    const p = m[1] ?? '';
    [this.ROW, this.C, this.V, this.SHEET_DATA] = [ascii(`${p}row`), ascii(`${p}c`), ascii(`${p}v`), ascii(`${p}sheetData`)];
    this.V_END = ascii(`</${p}v></${p}c>`);
    if (m[3] === '/') this.toTail();
    else this.phase = 'rows';
    return m.index + m[0].length;
  }

  private toTail(): void {
    this.phase = 'tail';
    this.tail = new XmlScanner({
      open: (name, inner) => {
        if (name === 'mergeCell') {
          const ref = attr(inner, 'ref');
          if (ref) this.merges.push(ref);
        }
      },
      close() {},
      text() {},
    });
  }

  private tailWrite(buf: Uint8Array): void {
    this.tail!.write(this.tailText.decode(buf, { stream: true }));
  }

  /** Rows until the bytes run out or `</sheetData>`; the index of the first byte not consumed. */
  private body(buf: Uint8Array): number {
    const n = buf.length;
    let pos = 0;
    for (;;) {
      const lt = indexOfByte(buf, LT, pos);
      if (lt < 0) return n;
      const end = this.row(buf, lt);
      if (end >= 0) {
        pos = end;
        continue;
      }
      if (end === MORE) return lt;
      const close = this.closeTag(buf, lt, this.SHEET_DATA);
      if (close === MORE) return lt;
      if (close >= 0) {
        this.toTail();
        this.tailWrite(buf.subarray(close));
        return n;
      }
      const comment = bytesAt(buf, lt, COMMENT);
      if (comment < 0) return lt;
      if (comment === 1) {
        const e = Buffer.from(buf.buffer, buf.byteOffset, n).indexOf('-->', lt + 4);
        if (e < 0) return lt;
        pos = e + 3;
        continue;
      }
      throw new Error(`工作表 XML 中有无法识别的内容：${utf8(buf, lt, Math.min(n, lt + 40))}`);
    }
  }

  /** At buf[lt] = '<': the index after `</name>`, NOT when it is something else, MORE when undecided. */
  private closeTag(buf: Uint8Array, lt: number, name: Uint8Array): number {
    if (lt + 1 >= buf.length) return MORE;
    if (buf[lt + 1] !== SLASH) return NOT;
    const m = bytesAt(buf, lt + 2, name);
    if (m <= 0) return m < 0 ? MORE : NOT;
    const k = lt + 2 + name.length;
    if (k >= buf.length) return MORE;
    return buf[k] === GT ? k + 1 : NOT;
  }

  /** At buf[lt] = '<': the index after the tag named `name`'s name when it is one (then a space, '>' or '/'), else NOT or MORE. */
  private openTag(buf: Uint8Array, lt: number, name: Uint8Array): number {
    const m = bytesAt(buf, lt + 1, name);
    if (m <= 0) return m < 0 ? MORE : NOT;
    const k = lt + 1 + name.length;
    if (k >= buf.length) return MORE;
    const b = buf[k];
    return isWs(b) || b === GT || b === SLASH ? k : NOT;
  }

  /**
   * A tag's attributes from i (after its name) to its end: r, t and s are all a reader
   * needs (a million rows × 14 cells makes every allocation count). The index after the tag.
   */
  private attrs(buf: Uint8Array, i: number): number {
    const n = buf.length;
    this.r0 = this.t0 = this.s0 = -1;
    this.selfClosing = false;
    for (;;) {
      while (i < n && isWs(buf[i])) i++;
      if (i >= n) return MORE;
      const b = buf[i];
      if (b === GT) return i + 1;
      if (b === SLASH) {
        if (i + 1 >= n) return MORE;
        if (buf[i + 1] !== GT) return BAD;
        this.selfClosing = true;
        return i + 2;
      }
      const ns = i;
      while (i < n && buf[i] !== 61 && buf[i] !== GT && buf[i] !== SLASH && !isWs(buf[i])) i++;
      const ne = i;
      while (i < n && isWs(buf[i])) i++;
      if (i >= n) return MORE;
      if (buf[i] !== 61 /* = */) return BAD;
      i++;
      while (i < n && isWs(buf[i])) i++;
      if (i >= n) return MORE;
      const q = buf[i];
      if (q !== 34 && q !== 39) return BAD;
      const v0 = i + 1;
      const v1 = indexOfByte(buf, q, v0);
      if (v1 < 0) return MORE;
      if (ne - ns === 1) {
        const a = buf[ns];
        if (a === 114 /* r */) {
          this.r0 = v0;
          this.r1 = v1;
        } else if (a === 116 /* t */) {
          this.t0 = v0;
          this.t1 = v1;
        } else if (a === 115 /* s */) {
          this.s0 = v0;
          this.s1 = v1;
        }
      }
      i = v1 + 1;
    }
  }

  /** At buf[lt] = '<': one whole `<row>` read into the batch; the index after it, NOT or MORE. */
  private row(buf: Uint8Array, lt: number): number {
    let i = this.openTag(buf, lt, this.ROW);
    if (i < 0) return i;
    i = this.attrs(buf, i);
    if (i === MORE) return MORE;
    const line = i === BAD ? this.line + 1 : this.r0 >= 0 && this.r1 > this.r0 ? numberAt(buf, this.r0, this.r1) : this.line + 1;
    if (i === BAD) throw new Error(`第 ${line} 行的行标记不完整`);
    if (this.selfClosing) {
      this.line = line; // <row r="7"/>: an empty row
      return i;
    }
    const outLen = this.outLen;
    const units = this.units;
    this.width = 0;
    let col = 0;
    for (;;) {
      const at = indexOfByte(buf, LT, i);
      if (at < 0 || at + 1 >= buf.length) return this.undo(outLen, units);
      if (buf[at + 1] === SLASH) {
        const end = this.closeTag(buf, at, this.ROW);
        if (end === MORE) return this.undo(outLen, units);
        if (end >= 0) {
          i = end;
          break;
        }
        i = at + 2;
        continue;
      }
      if (this.C.length === 1) {
        const usual = this.usualCell(buf, at);
        if (usual >= 0) {
          i = usual;
          col = this.usualColumn + 1; // a next cell without r="…" is the one after it
          continue;
        }
      }
      let k = this.openTag(buf, at, this.C);
      if (k === MORE) return this.undo(outLen, units);
      if (k === NOT) {
        i = at + 1;
        continue;
      }
      k = this.attrs(buf, k);
      if (k === MORE) return this.undo(outLen, units);
      if (k === BAD) throw new Error(`第 ${line} 行的单元格标记不完整`);
      if (this.r0 >= 0) col = columnAt(buf, this.r0);
      if (this.selfClosing) {
        i = k;
      } else {
        i = this.cell(buf, k, col, line);
        if (i === MORE) return this.undo(outLen, units);
      }
      col++;
    }
    this.line = line;
    if (this.width === 0) return i;
    const need = this.descLen + 2 + 2 * this.width;
    if (need > this.desc.length) {
      const grown = new Int32Array(Math.max(need, this.desc.length * 2));
      grown.set(this.desc.subarray(0, this.descLen));
      this.desc = grown;
    }
    const d = this.desc;
    let p = this.descLen;
    d[p++] = line;
    d[p++] = this.width;
    d.set(this.pairs.subarray(0, 2 * this.width), p);
    this.descLen = p + 2 * this.width;
    this.rows++;
    return i;
  }

  /**
   * At buf[at] = '<': the cell as Excel writes nearly all of a large sheet's, read in one
   * pass — `<c r="B2"[ s="1"][ t="s"|t="n"]><v>…</v></c>` without a namespace prefix — into
   * its column; the index after it, or NOT for anything else, which the general path reads.
   * Only where USUAL_CELL bytes are buffered: every read is then in bounds (an out-of-bounds
   * read would make V8 treat each byte as "number or undefined" from then on).
   */
  private usualCell(buf: Uint8Array, at: number): number {
    const end = at + USUAL_CELL;
    if (end > buf.length) return NOT;
    if (buf[at + 1] !== 99 /* c */ || buf[at + 2] !== 32 || buf[at + 3] !== 114 /* r */ || buf[at + 4] !== 61 || buf[at + 5] !== 34) return NOT;
    let p = at + 6;
    let col = 0;
    let c = buf[p];
    while (c >= 65 && c <= 90 && p < at + 9) {
      col = col * 26 + (c - 64);
      c = buf[++p];
    }
    if (col === 0) return NOT;
    this.usualColumn = --col;
    while (c >= 48 && c <= 57 && p < at + 16) c = buf[++p];
    if (c !== 34) return NOT;
    c = buf[++p];
    let style = 0;
    let sst = false;
    while (c === 32 && p < at + 40) {
      const name = buf[p + 1];
      if (buf[p + 2] !== 61 || buf[p + 3] !== 34) return NOT;
      p += 4;
      c = buf[p];
      if (name === 115 /* s */) {
        style = 0;
        for (let digits = 0; c >= 48 && c <= 57; c = buf[++p]) {
          if (++digits > 6) return NOT;
          style = style * 10 + (c - 48);
        }
      } else if (name === 116 /* t */ && (c === 115 /* s */ || c === 110 /* n */)) {
        sst = c === 115;
        c = buf[++p];
      } else {
        return NOT;
      }
      if (c !== 34) return NOT;
      c = buf[++p];
    }
    if (c !== GT || buf[p + 1] !== LT || buf[p + 2] !== 118 /* v */ || buf[p + 3] !== GT) return NOT;
    const v0 = p + 4;
    let v1 = v0;
    const last = end - 8; // room for `</v></c>`
    let index = 0;
    if (sst) {
      for (c = buf[v1]; c >= 48 && c <= 57 && v1 < v0 + 9; c = buf[++v1]) index = index * 10 + (c - 48);
      if (v1 === v0 || c !== LT) return NOT;
    } else {
      while (v1 < last && buf[v1] !== LT) v1++;
    }
    if (v1 >= last || buf[v1 + 1] !== SLASH || buf[v1 + 2] !== 118 || buf[v1 + 3] !== GT || buf[v1 + 4] !== LT || buf[v1 + 5] !== SLASH || buf[v1 + 6] !== 99 || buf[v1 + 7] !== GT) {
      return NOT;
    }
    // Nothing is written before the whole cell is known to be usual.
    if (sst) this.pair(col, -1 - index, 0);
    else this.number(col, buf, v0, v1, style);
    return v1 + 8;
  }

  /** A row cut by the chunk's end: forget what it wrote; it is read again whole. */
  private undo(outLen: number, units: number): number {
    this.outLen = outLen;
    this.units = units;
    return MORE;
  }

  /**
   * A cell's content from k (after its tag) to `</c>`, put in column `col`; the index after
   * the cell, or MORE. Its attributes are still in r0…s1.
   */
  private cell(buf: Uint8Array, k: number, col: number, line: number): number {
    const type = typeAt(buf, this.t0, this.t1);
    const style = this.s0 >= 0 ? intAt(buf, this.s0, this.s1) : 0;
    let v0 = -1;
    let v1 = -1;
    let end = -1;
    let j = k;
    for (;;) {
      const at = indexOfByte(buf, LT, j);
      if (at < 0 || at + 1 >= buf.length) return MORE;
      if (buf[at + 1] === SLASH) {
        const close = this.closeTag(buf, at, this.C);
        if (close === MORE) return MORE;
        if (close >= 0) {
          end = at;
          j = close;
          break;
        }
        const rowEnd = this.closeTag(buf, at, this.ROW);
        if (rowEnd === MORE) return MORE;
        if (rowEnd >= 0) throw new Error(`第 ${line} 行有没有闭合的单元格`);
        j = at + 2;
        continue;
      }
      // The first <v> (after any <f>) holds the value; `<v>` or `<v …>`.
      if (v0 < 0 && type !== INLINE) {
        const m = bytesAt(buf, at + 1, this.V);
        if (m < 0) return MORE;
        const q = at + 1 + this.V.length;
        if (m === 1 && q >= buf.length) return MORE;
        if (m === 1 && (buf[q] === GT || buf[q] === 32)) {
          const gt = tagEnd(buf, q);
          if (gt < 0) return MORE;
          if (buf[gt - 1] === SLASH) {
            v0 = v1 = gt;
          } else {
            v0 = gt + 1;
            v1 = indexOfByte(buf, LT, v0);
            if (v1 < 0) return MORE;
            // The usual end, `</v></c>`, at once.
            const usual = bytesAt(buf, v1, this.V_END);
            if (usual < 0) return MORE;
            if (usual === 1) {
              end = v1 + this.V_END.length - this.C.length - 3;
              j = v1 + this.V_END.length;
              break;
            }
          }
          j = v1;
          continue;
        }
      }
      j = at + 1;
    }
    if (type === INLINE) {
      this.text(col, richText(utf8(buf, k, end)));
      return j;
    }
    if (v0 < 0) return j;
    switch (type) {
      case SST: {
        let index = digitsAt(buf, v0, v1);
        if (index < 0) {
          const text = utf8(buf, v0, v1);
          index = Number(text);
          if (!Number.isInteger(index) || index < 0 || index > 0x7ffffffe) throw missingString(line, text);
        }
        this.pair(col, -1 - index, 0);
        break;
      }
      case STR:
        this.text(col, unescapeX(decodeXml(utf8(buf, v0, v1))));
        break;
      case BOOL:
        this.text(col, v1 - v0 === 1 && buf[v0] === 49 ? 'TRUE' : v1 - v0 === 1 && buf[v0] === 48 ? 'FALSE' : utf8(buf, v0, v1));
        break;
      case ERR:
        break;
      case DATE:
        this.text(col, utf8(buf, v0, v1).slice(0, 10));
        break;
      default:
        this.number(col, buf, v0, v1, style);
    }
    return j;
  }

  /** A number cell's value buf[v0, v1) in column `col`: a date by its style, else the number's text; empty stays empty. */
  private number(col: number, buf: Uint8Array, v0: number, v1: number, style: number): void {
    if (v0 === v1) return;
    if (this.dateStyles[style]) this.text(col, this.day(buf, v0, v1));
    else if (plainNumber(buf, v0, v1)) this.bytes(col, buf, v0, v1);
    else this.text(col, numberText(Number(utf8(buf, v0, v1))));
  }

  /** 'YYYY-MM-DD' of the date serial in buf[v0, v1). */
  private day(buf: Uint8Array, v0: number, v1: number): string {
    const whole = digitsAt(buf, v0, v1);
    if (whole >= 0) {
      let d = this.dayOf.get(whole);
      if (d === undefined) this.dayOf.set(whole, (d = serialToDate(whole, this.date1904)));
      return d;
    }
    const text = utf8(buf, v0, v1);
    let d = this.dayOfText.get(text);
    if (d === undefined) this.dayOfText.set(text, (d = serialToDate(Number(text), this.date1904)));
    return d;
  }

  /** What a number cell usually holds, copied as written (no float round trip for 1M rows): ASCII buf[v0, v1). */
  private bytes(col: number, buf: Uint8Array, v0: number, v1: number): void {
    this.reserve(v1 - v0);
    const start = this.units;
    for (let i = v0; i < v1; i++) this.out[this.outLen++] = buf[i];
    this.units += v1 - v0;
    this.pair(col, start, this.units);
  }

  /** Cell text into column `col`; an empty text leaves the column empty. */
  private text(col: number, s: string): void {
    if (s === '') return;
    this.reserve(s.length * 3);
    const start = this.units;
    this.outLen += this.out.write(s, this.outLen);
    this.units += s.length;
    this.pair(col, start, this.units);
  }

  private pair(col: number, from: number, to: number): void {
    if (col < 0) return;
    if (2 * col + 2 > this.pairs.length) {
      const grown = new Int32Array(Math.max(2 * col + 2, this.pairs.length * 2));
      grown.set(this.pairs);
      this.pairs = grown;
    }
    // Columns skipped since the last cell are empty.
    for (let c = this.width; c < col; c++) this.pairs[2 * c] = this.pairs[2 * c + 1] = 0;
    if (col >= this.width) this.width = col + 1;
    this.pairs[2 * col] = from;
    this.pairs[2 * col + 1] = to;
  }

  private reserve(more: number): void {
    if (this.outLen + more <= this.out.length) return;
    const grown = Buffer.allocUnsafe(Math.max(this.out.length * 2, this.outLen + more));
    this.out.copy(grown, 0, 0, this.outLen);
    this.out = grown;
  }
}

const missingString = (line: number, index: string) => new Error(`第 ${line} 行的共享字符串编号 ${index} 不存在（sharedStrings.xml 缺失或不完整）`);

/**
 * A batch back into rows of text cells, on the loader's side: a shared string is cut out
 * of the table, any other cell out of the batch's text. Rows with no text are dropped; the
 * first row kept is the header.
 */
export class RowDecoder {
  /** Sheet row of the header (the first non-empty row); 0 until seen. */
  headerLine = 0;

  constructor(private readonly strings: SharedStrings) {}

  decode(batch: RowBatch): RawRow[] {
    const rows: RawRow[] = [];
    const b = batch.bytes;
    const text = b.length ? Buffer.from(b.buffer, b.byteOffset, b.length).toString('utf8') : '';
    const d = batch.cells;
    for (let k = 0; k < d.length; ) {
      const line = d[k++];
      const n = d[k++];
      const cells: string[] = [];
      for (let c = 0; c < n; c++, k += 2) {
        const from = d[k];
        if (from < 0) {
          const s = this.strings.at(-1 - from);
          if (s === undefined) throw missingString(line, String(-1 - from));
          cells.push(s);
        } else {
          cells.push(from === d[k + 1] ? '' : text.slice(from, d[k + 1]));
        }
      }
      // An empty shared string is no text: the row ends at its last cell with some.
      while (cells.length && cells[cells.length - 1] === '') cells.pop();
      for (const c of cells) {
        if (c.trim() !== '') {
          this.headerLine ||= line;
          rows.push({ line, cells });
          break;
        }
      }
    }
    return rows;
  }
}

/**
 * The sheet part's rows in batches of about BATCH_ROWS, as they inflate; returns the merged
 * ranges (listed after the rows). Runs in the loader or on a worker thread (xlsx-worker.ts).
 */
export async function* sheetBatches(zip: Zip, part: string, dateStyles: boolean[], date1904: boolean): AsyncGenerator<RowBatch, string[]> {
  const scanner = new SheetScanner(dateStyles, date1904);
  for await (const chunk of zip.bytes(part)) {
    scanner.write(chunk);
    if (scanner.rows >= BATCH_ROWS) yield scanner.take();
  }
  scanner.end();
  if (scanner.rows) yield scanner.take();
  return scanner.merges;
}

function typeAt(buf: Uint8Array, t0: number, t1: number): number {
  if (t0 < 0) return NUM;
  const len = t1 - t0;
  if (len === 1) {
    const c = buf[t0];
    return c === 115 ? SST : c === 98 ? BOOL : c === 101 ? ERR : c === 100 ? DATE : NUM;
  }
  if (len === 3 && buf[t0] === 115 && buf[t0 + 1] === 116 && buf[t0 + 2] === 114) return STR;
  if (len === 9 && utf8(buf, t0, t1) === 'inlineStr') return INLINE;
  return NUM;
}

/** Row number r="…"; a non-number as Number() reads it. */
function numberAt(buf: Uint8Array, from: number, to: number): number {
  const v = digitsAt(buf, from, to);
  return v >= 0 ? v : Number(utf8(buf, from, to));
}

/** Value of 1–9 decimal digits, else -1. */
function digitsAt(buf: Uint8Array, from: number, to: number): number {
  if (to <= from || to - from > 9) return -1;
  let v = 0;
  for (let i = from; i < to; i++) {
    const c = buf[i] - 48;
    if (c < 0 || c > 9) return -1;
    v = v * 10 + c;
  }
  return v;
}

/** Column of the cell reference at buf[from] ('AB12' → 27, 0-based). */
function columnAt(buf: Uint8Array, from: number): number {
  let col = 0;
  for (let i = from; i < buf.length; i++) {
    const c = buf[i] | 0x20;
    if (c < 97 || c > 122) break;
    col = col * 26 + (c - 96);
  }
  return col - 1;
}

function intAt(buf: Uint8Array, from: number, to: number): number {
  let v = 0;
  for (let i = from; i < to; i++) v = v * 10 + (buf[i] - 48);
  return v;
}

/** /^-?\d{1,15}(\.\d{1,2})?$/ over bytes. */
function plainNumber(buf: Uint8Array, from: number, to: number): boolean {
  let i = from;
  if (buf[i] === 45) i++;
  const digits = i;
  while (i < to && buf[i] >= 48 && buf[i] <= 57) i++;
  if (i === digits || i - digits > 15) return false;
  if (i === to) return true;
  if (buf[i] !== 46) return false;
  const frac = ++i;
  while (i < to && buf[i] >= 48 && buf[i] <= 57) i++;
  return i === to && i - frac >= 1 && i - frac <= 2;
}

/**
 * Text of an Excel number. Binary floats carry noise (0.1 + 0.2 → 0.30000000000000004), so
 * start from the shortest representation and round to 2 decimals when the difference is
 * only noise; a real third decimal (12.345) is kept so the amount check rejects it.
 */
function numberText(n: number): string {
  if (!Number.isFinite(n)) return String(n);
  const shortest = new Decimal(String(n));
  if (shortest.decimalPlaces() <= 2) return shortest.toFixed();
  const rounded = shortest.toDecimalPlaces(2);
  return rounded.minus(shortest).abs().lessThan('1e-9') ? rounded.toFixed() : shortest.toFixed();
}
