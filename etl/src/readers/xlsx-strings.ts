import { isUtf8 } from 'node:buffer';
import { GT, indexOfByte, isLocal, LT, nameEnd, SLASH, tagEnd, utf8 } from './xml-bytes.js';
import { XmlScanner } from './xml-scan.js';
import type { Zip } from './xlsx-zip.js';

/**
 * The shared string table as one string and the offsets of its entries (UTF-16 units): a
 * 1,000,000-row sheet of Excel's has a million or more shared strings, and one string plus
 * an Int32Array is two objects for the garbage collector to trace instead of a million.
 * An entry is cut out when a cell asks for it (String.prototype.slice: no copy for long ones).
 */
export class SharedStrings {
  constructor(
    private readonly text: string,
    /** Entry i is text[ends[i], ends[i + 1]); count + 1 items. */
    private readonly ends: Int32Array,
  ) {}

  static readonly EMPTY = new SharedStrings('', new Int32Array(1));

  get count(): number {
    return this.ends.length - 1;
  }

  /** Entry `i`; undefined when the table has no such entry. */
  at(i: number): string | undefined {
    return i >= 0 && i < this.ends.length - 1 ? this.text.slice(this.ends[i], this.ends[i + 1]) : undefined;
  }
}

/** Excel's escape for characters XML cannot carry (`_x000D_` = CR). */
export const unescapeX = (s: string) => (s.includes('_x') ? s.replace(/_x([0-9A-Fa-f]{4})_/g, (_, h: string) => String.fromCharCode(parseInt(h, 16))) : s);

/**
 * Text of a string item (`<si>` of the table, `<is>` of an inline cell): its `<t>` runs
 * joined, phonetic guides (`<rPh>`) left out, entities and Excel's `_xHHHH_` decoded.
 */
export function richText(xml: string): string {
  let out = '';
  let inT = false;
  let phonetic = false;
  const s = new XmlScanner({
    open(name) {
      if (name === 't') inT = !phonetic;
      else if (name === 'rPh') phonetic = true;
    },
    close(name) {
      if (name === 't') inT = false;
      else if (name === 'rPh') phonetic = false;
    },
    text(t) {
      if (inT) out += t;
    },
  });
  s.write(xml);
  s.end();
  return unescapeX(out);
}

/**
 * sharedStrings.xml read from its bytes as it inflates. Almost every entry is
 * `<si><t>text</t></si>` with no entity or `_x` escape: its bytes are copied as they are,
 * and the UTF-16 length counted from them; anything else (rich text, phonetic guides,
 * entities, escapes) goes through richText. The whole table is decoded once at the end.
 */
export class StringsScanner {
  private rest: Uint8Array | null = null;
  private out = Buffer.allocUnsafe(1 << 16);
  private outLen = 0;
  private units = 0;
  // Offsets of each entry's end: in UTF-16 units, and in bytes (for the invalid-UTF-8 fallback).
  private ends = new Int32Array(1 << 12);
  private byteEnds = new Int32Array(1 << 12);
  private count = 0;

  write(chunk: Uint8Array): void {
    const buf = this.rest ? Buffer.concat([this.rest, chunk]) : chunk;
    const pos = this.scan(buf);
    this.rest = pos < buf.length ? buf.subarray(pos) : null;
  }

  end(): SharedStrings {
    if (this.rest && Buffer.from(this.rest).toString('latin1').trim() !== '') throw new Error('sharedStrings.xml 不完整（文件可能被截断）');
    const bytes = this.out.subarray(0, this.outLen);
    const ends = new Int32Array(this.count + 1);
    if (isUtf8(bytes)) {
      ends.set(this.ends.subarray(0, this.count), 1);
      return new SharedStrings(bytes.toString('utf8'), ends);
    }
    // Bytes that are not UTF-8 decode to U+FFFD, which changes lengths: decode entry by entry.
    let text = '';
    for (let i = 0, from = 0; i < this.count; i++) {
      text += bytes.toString('utf8', from, this.byteEnds[i]);
      from = this.byteEnds[i];
      ends[i + 1] = text.length;
    }
    return new SharedStrings(text, ends);
  }

  /** Scan complete elements of buf; the index of the first byte not consumed. */
  private scan(buf: Uint8Array): number {
    let pos = 0;
    const n = buf.length;
    for (;;) {
      const lt = indexOfByte(buf, LT, pos);
      if (lt < 0) return n;
      const c1 = lt + 1 < n ? buf[lt + 1] : -1;
      if (c1 < 0) return lt;
      if (c1 === 33 /* ! */ && n - lt >= 4 && buf[lt + 2] === 45 && buf[lt + 3] === 45) {
        const end = Buffer.from(buf.buffer, buf.byteOffset, n).indexOf('-->', lt + 4);
        if (end < 0) return lt;
        pos = end + 3;
        continue;
      }
      if (c1 === 33 && n - lt < 4) return lt;
      const ne = nameEnd(buf, lt + 1);
      if (ne < 0) return lt;
      if (c1 === SLASH || c1 === 33 || c1 === 63 || !isLocal(buf, lt + 1, ne, 'si')) {
        const gt = tagEnd(buf, ne);
        if (gt < 0) return lt;
        pos = gt + 1;
        continue;
      }
      const gt = tagEnd(buf, ne);
      if (gt < 0) return lt;
      if (buf[gt - 1] === SLASH) {
        this.push(''); // <si/>
        pos = gt + 1;
        continue;
      }
      // The item's end: the next </…si>.
      let close = gt;
      let closeEnd = -1;
      for (;;) {
        close = indexOfByte(buf, LT, close + 1);
        if (close < 0 || close + 1 >= n) return lt;
        if (buf[close + 1] !== SLASH) continue;
        const e = nameEnd(buf, close + 2);
        if (e < 0) return lt;
        if (isLocal(buf, close + 2, e, 'si')) {
          closeEnd = tagEnd(buf, e);
          if (closeEnd < 0) return lt;
          break;
        }
      }
      if (!this.plain(buf, gt + 1, close)) this.push(richText(utf8(buf, gt + 1, close)));
      pos = closeEnd + 1;
    }
  }

  /** An item that is one `<t>` of plain text, copied as bytes; false when it is anything else. */
  private plain(buf: Uint8Array, from: number, to: number): boolean {
    if (buf[from] !== LT) return false;
    const ne = nameEnd(buf, from + 1);
    if (ne < 0 || ne > to || !isLocal(buf, from + 1, ne, 't')) return false;
    const gt = tagEnd(buf, ne);
    if (gt < 0 || gt > to || buf[gt - 1] === SLASH) return false;
    const textEnd = indexOfByte(buf, LT, gt + 1);
    if (textEnd < 0 || textEnd >= to) return false;
    // What follows the text must be its </t> and then the item's end.
    if (buf[textEnd + 1] !== SLASH) return false;
    const ce = nameEnd(buf, textEnd + 2);
    if (ce < 0 || !isLocal(buf, textEnd + 2, ce, 't') || buf[ce] !== GT || ce + 1 !== to) return false;
    let units = 0;
    for (let i = gt + 1; i < textEnd; i++) {
      const b = buf[i];
      if (b === 38 /* & */ || b === 95 /* _ */) return false;
      // UTF-16 length from UTF-8: one unit per lead byte, two for a 4-byte sequence.
      if ((b & 0xc0) !== 0x80) units += b >= 0xf0 ? 2 : 1;
    }
    const len = textEnd - gt - 1;
    this.reserve(len);
    this.out.set(buf.subarray(gt + 1, textEnd), this.outLen);
    this.outLen += len;
    this.units += units;
    this.close();
    return true;
  }

  private push(s: string): void {
    this.reserve(s.length * 3);
    this.outLen += this.out.write(s, this.outLen);
    this.units += s.length;
    this.close();
  }

  private close(): void {
    if (this.count === this.ends.length) {
      const grow = (a: Int32Array) => {
        const b = new Int32Array(a.length * 2);
        b.set(a);
        return b;
      };
      this.ends = grow(this.ends);
      this.byteEnds = grow(this.byteEnds);
    }
    this.ends[this.count] = this.units;
    this.byteEnds[this.count++] = this.outLen;
  }

  private reserve(more: number): void {
    if (this.outLen + more <= this.out.length) return;
    const next = Buffer.allocUnsafe(Math.max(this.out.length * 2, this.outLen + more));
    this.out.copy(next, 0, 0, this.outLen);
    this.out = next;
  }
}

/** The workbook's shared string table (empty when it has none). */
export async function readSharedStrings(zip: Zip, part: string | null): Promise<SharedStrings> {
  if (!part || !zip.has(part)) return SharedStrings.EMPTY;
  const scanner = new StringsScanner();
  for await (const chunk of zip.bytes(part)) scanner.write(chunk);
  return scanner.end();
}
