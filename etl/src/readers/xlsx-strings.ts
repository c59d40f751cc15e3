import { isUtf8 } from 'node:buffer';
import { bytesAt, GT, indexOfByte, isLocal, LT, nameEnd, SLASH, tagEnd, utf8 } from './xml-bytes.js';
import { XmlScanner } from './xml-scan.js';
import type { Zip } from './xlsx-zip.js';

/**
 * The shared string table as two strings and the offsets of its entries: a 1,000,000-row
 * sheet of Excel's has a million or more shared strings, and a few strings plus typed arrays
 * are objects the garbage collector does not trace one by one. Entries in plain ASCII (voucher
 * numbers, accounts, codes: most of a large table) live in a one-byte string, decoded from
 * their bytes by a copy; the others in a second string, the only part UTF-8 decoding costs
 * anything for. An entry is cut out when a cell asks for it (String.prototype.slice: no copy
 * for long ones).
 */
export class SharedStrings {
  constructor(
    private readonly ascii: string,
    private readonly other: string,
    /** Entry i starts at from[i] in `ascii`, or at ~from[i] in `other` when negative. */
    private readonly from: Int32Array,
    /** …and ends before to[i] (UTF-16 units). */
    private readonly to: Int32Array,
  ) {}

  static readonly EMPTY = new SharedStrings('', '', new Int32Array(0), new Int32Array(0));

  get count(): number {
    return this.from.length;
  }

  /** Entry `i`; undefined when the table has no such entry. */
  at(i: number): string | undefined {
    if (!(i >= 0 && i < this.from.length)) return undefined;
    const f = this.from[i];
    return f >= 0 ? this.ascii.slice(f, this.to[i]) : this.other.slice(~f, this.to[i]);
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
const SI_T = Uint8Array.from('<si><t>', (c) => c.charCodeAt(0));
const T_SI = Uint8Array.from('</t></si>', (c) => c.charCodeAt(0));

export class StringsScanner {
  private rest: Uint8Array | null = null;
  // The two strings' bytes; `otherUnits` is the UTF-16 length of `other` so far.
  private ascii: Buffer;
  private asciiLen = 0;
  private other: Buffer;
  private otherLen = 0;
  private otherUnits = 0;
  private from = new Int32Array(1 << 12);
  private to = new Int32Array(1 << 12);
  // Byte end of each non-ASCII entry in `other`, for the invalid-UTF-8 fallback.
  private otherEnds = new Int32Array(1 << 12);
  private count = 0;

  /** `sizeHint`: the part's uncompressed size, which the texts do not exceed (untouched pages cost no memory). */
  constructor(sizeHint = 1 << 16) {
    this.ascii = Buffer.allocUnsafe(sizeHint);
    this.other = Buffer.allocUnsafe(sizeHint);
  }

  write(chunk: Uint8Array): void {
    const buf = this.rest ? Buffer.concat([this.rest, chunk]) : chunk;
    const pos = this.scan(buf);
    this.rest = pos < buf.length ? buf.subarray(pos) : null;
  }

  end(): SharedStrings {
    if (this.rest && Buffer.from(this.rest).toString('latin1').trim() !== '') throw new Error('sharedStrings.xml 不完整（文件可能被截断）');
    const n = this.count;
    const [from, to] = [this.from.slice(0, n), this.to.slice(0, n)];
    const ascii = this.ascii.toString('latin1', 0, this.asciiLen);
    const bytes = this.other.subarray(0, this.otherLen);
    if (isUtf8(bytes)) return new SharedStrings(ascii, bytes.toString('utf8'), from, to);
    // Bytes that are not UTF-8 decode to U+FFFD, which changes lengths: decode entry by entry.
    let other = '';
    for (let i = 0, b = 0; i < n; i++) {
      if (from[i] >= 0) continue;
      from[i] = ~other.length;
      other += bytes.toString('utf8', b, this.otherEnds[i]);
      b = this.otherEnds[i];
      to[i] = other.length;
    }
    return new SharedStrings(ascii, other, from, to);
  }

  /** Scan complete elements of buf; the index of the first byte not consumed. */
  private scan(buf: Uint8Array): number {
    let pos = 0;
    const n = buf.length;
    for (;;) {
      const lt = indexOfByte(buf, LT, pos);
      if (lt < 0) return n;
      const simple = this.simple(buf, lt);
      if (simple > 0) {
        pos = simple;
        continue;
      }
      if (simple < 0) return lt;
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
    let high = 0;
    for (let i = gt + 1; i < textEnd; i++) {
      const b = buf[i];
      if (b === 38 /* & */ || b === 95 /* _ */) return false;
      high |= b;
    }
    this.copy(buf, gt + 1, textEnd, high);
    return true;
  }

  /**
   * At buf[lt] = '<': an item written exactly `<si><t>text</t></si>` with plain text, in one
   * pass (Excel writes most of them so); the index after it, 0 for any other form, -1 when
   * the bytes run out first.
   */
  private simple(buf: Uint8Array, lt: number): number {
    const m = bytesAt(buf, lt, SI_T);
    if (m <= 0) return m;
    const from = lt + SI_T.length;
    let high = 0;
    let i = from;
    for (; i < buf.length; i++) {
      const b = buf[i];
      if (b === LT) break;
      if (b === 38 /* & */ || b === 95 /* _ */) return 0;
      high |= b;
    }
    if (i >= buf.length) return -1;
    const e = bytesAt(buf, i, T_SI);
    if (e <= 0) return e;
    this.copy(buf, from, i, high);
    return i + T_SI.length;
  }

  /** Entry text buf[from, to) (no entity, no escape); `high` is its bytes OR-ed together. */
  private copy(buf: Uint8Array, from: number, to: number, high: number): void {
    const len = to - from;
    if (high < 0x80) {
      this.reserveAscii(len);
      const out = this.ascii;
      const start = this.asciiLen;
      for (let i = from, o = start; i < to; ) out[o++] = buf[i++];
      this.asciiLen += len;
      this.entry(start, this.asciiLen);
      return;
    }
    this.reserveOther(len);
    const out = this.other;
    const start = this.otherUnits;
    let units = 0;
    for (let i = from, o = this.otherLen; i < to; i++) {
      const b = buf[i];
      out[o++] = b;
      // UTF-16 length from UTF-8: one unit per lead byte, two for a 4-byte sequence.
      if ((b & 0xc0) !== 0x80) units += b >= 0xf0 ? 2 : 1;
    }
    this.otherLen += len;
    this.otherUnits += units;
    this.entry(~start, this.otherUnits);
  }

  private push(s: string): void {
    if (/^[\x00-\x7f]*$/.test(s)) {
      this.reserveAscii(s.length);
      const start = this.asciiLen;
      this.asciiLen += this.ascii.write(s, start, 'latin1');
      this.entry(start, this.asciiLen);
    } else {
      this.reserveOther(s.length * 3);
      const start = this.otherUnits;
      this.otherLen += this.other.write(s, this.otherLen);
      this.otherUnits += s.length;
      this.entry(~start, this.otherUnits);
    }
  }

  private entry(from: number, to: number): void {
    if (this.count === this.from.length) {
      const grow = (a: Int32Array) => {
        const b = new Int32Array(a.length * 2);
        b.set(a);
        return b;
      };
      [this.from, this.to, this.otherEnds] = [grow(this.from), grow(this.to), grow(this.otherEnds)];
    }
    this.from[this.count] = from;
    this.to[this.count] = to;
    this.otherEnds[this.count++] = this.otherLen;
  }

  private reserveAscii(more: number): void {
    if (this.asciiLen + more > this.ascii.length) this.ascii = grown(this.ascii, this.asciiLen, more);
  }

  private reserveOther(more: number): void {
    if (this.otherLen + more > this.other.length) this.other = grown(this.other, this.otherLen, more);
  }
}

function grown(buf: Buffer, used: number, more: number): Buffer {
  const next = Buffer.allocUnsafe(Math.max(buf.length * 2, used + more));
  buf.copy(next, 0, 0, used);
  return next;
}

/** The workbook's shared string table (empty when it has none). */
export async function readSharedStrings(zip: Zip, part: string | null): Promise<SharedStrings> {
  if (!part || !zip.has(part)) return SharedStrings.EMPTY;
  const scanner = new StringsScanner(zip.size(part));
  for await (const chunk of zip.bytes(part)) scanner.write(chunk);
  return scanner.end();
}
