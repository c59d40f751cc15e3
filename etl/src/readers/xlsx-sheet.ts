import Decimal from 'decimal.js';
import type { RawRow } from './table.js';
import { attr, decodeXml, XmlScanner } from './xml-scan.js';
import { serialToDate } from './xlsx-formats.js';

/**
 * The worksheet's rows, parsed from its XML text as it inflates. A 1,000,000-row sheet is
 * ~500 MB of XML, almost all of it `<row><c r="A2" t="s"><v>17</v></c>…</row>`, so complete
 * `<row>` elements are cut out of the text and read with indexOf and a small attribute loop;
 * anything unusual inside a cell (inline strings, rich text) and everything after
 * `</sheetData>` (the merged ranges) go through the general XmlScanner.
 */
export class SheetReader {
  rows: RawRow[] = [];
  merges: string[] = [];
  /** Sheet row of the header (the first non-empty row); 0 until seen. */
  headerLine = 0;
  private buf = '';
  private phase: 'head' | 'rows' | 'tail' = 'head';
  private line = 0;
  private tail: XmlScanner | null = null;
  private readonly dates = new Map<string, string>();
  // Tag texts with the writer's namespace prefix, set at <sheetData>.
  private rowOpen = '<row';
  private rowClose = '</row>';
  private dataClose = '</sheetData>';
  private cOpen = '<c';
  private cClose = '</c>';
  private vOpen = '<v';
  private vClose = '</v>';

  constructor(
    private readonly strings: string[],
    private readonly dateStyles: boolean[],
    private readonly date1904: boolean,
  ) {}

  write(text: string): void {
    if (this.phase === 'tail') return this.tail!.write(text);
    this.buf = this.buf.length ? this.buf + text : text;
    if (this.phase === 'head') this.head();
    if (this.phase === 'rows') this.body();
  }

  end(): void {
    if (this.phase === 'tail') return this.tail!.end();
    if (this.phase === 'head' && this.buf.trim() === '') throw new Error('工作表 XML 为空');
    throw new Error('工作表 XML 不完整（缺少 </sheetData>，文件可能被截断）');
  }

  /** Up to the `<sheetData>` tag: learn the namespace prefix the writer uses. */
  private head(): void {
    const m = /<([A-Za-z_][\w.-]*:)?sheetData(\s[^>]*)?(\/?)>/.exec(this.buf);
    if (!m) return;
    const p = m[1] ?? '';
    [this.rowOpen, this.rowClose, this.dataClose] = [`<${p}row`, `</${p}row>`, `</${p}sheetData>`];
    [this.cOpen, this.cClose, this.vOpen, this.vClose] = [`<${p}c`, `</${p}c>`, `<${p}v`, `</${p}v>`];
    const rest = this.buf.slice(m.index + m[0].length);
    this.buf = '';
    if (m[3] === '/') this.toTail(rest);
    else {
      this.phase = 'rows';
      this.buf = rest;
    }
  }

  private toTail(text: string): void {
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
    this.tail.write(text);
  }

  private body(): void {
    const buf = this.buf;
    const { rowOpen, rowClose, dataClose } = this;
    let pos = 0;
    for (;;) {
      const lt = buf.indexOf('<', pos);
      if (lt < 0) break;
      if (buf.startsWith(rowOpen, lt)) {
        const gt = buf.indexOf('>', lt);
        if (gt < 0) break;
        if (buf.charCodeAt(gt - 1) === 47) {
          // <row r="7"/>: an empty row.
          this.line = rowNumber(buf.slice(lt, gt), this.line);
          pos = gt + 1;
          continue;
        }
        const end = buf.indexOf(rowClose, gt);
        if (end < 0) break;
        this.row(buf, lt, gt, end);
        pos = end + rowClose.length;
      } else if (buf.startsWith(dataClose, lt)) {
        this.buf = '';
        this.toTail(buf.slice(lt + dataClose.length));
        return;
      } else if (buf.startsWith('<!--', lt)) {
        const end = buf.indexOf('-->', lt);
        if (end < 0) break;
        pos = end + 3;
      } else {
        if (buf.length - lt < dataClose.length + 1) break; // not enough text to tell
        throw new Error(`工作表 XML 中有无法识别的内容：${buf.slice(lt, lt + 40)}`);
      }
    }
    this.buf = pos === 0 ? buf : buf.slice(pos);
  }

  /** One `<row …>…</row>`: `open` is the '<' of the row tag, `gt` its '>', `close` the '<' of `</row>`. */
  private row(buf: string, open: number, gt: number, close: number): void {
    this.line = rowNumber(buf.slice(open, gt), this.line);
    const cells: string[] = [];
    const { cOpen, cClose } = this;
    let col = 0;
    let pos = gt + 1;
    for (;;) {
      const at = buf.indexOf(cOpen, pos);
      if (at < 0 || at >= close) break;
      const next = buf.charCodeAt(at + cOpen.length);
      if (next !== 32 && next !== 62 && next !== 47 && next !== 9 && next !== 10 && next !== 13) {
        pos = at + cOpen.length;
        continue;
      }
      const tagEnd = buf.indexOf('>', at);
      const selfClosing = buf.charCodeAt(tagEnd - 1) === 47;
      // Attributes of the cell tag in one pass, without slicing names: r, t and s are all a
      // reader needs (a million rows × 14 cells makes every allocation count).
      let type = '';
      let style = 0;
      let i = at + cOpen.length;
      const stop = selfClosing ? tagEnd - 1 : tagEnd;
      while (i < stop) {
        const eq = buf.indexOf('=', i);
        if (eq < 0 || eq >= stop) break;
        let n = i;
        while (buf.charCodeAt(n) <= 32) n++;
        let nameEnd = eq;
        while (buf.charCodeAt(nameEnd - 1) <= 32) nameEnd--;
        let v0 = eq + 1;
        while (buf.charCodeAt(v0) <= 32) v0++;
        const q = buf[v0++];
        const vEnd = buf.indexOf(q, v0);
        if (vEnd < 0 || (q !== '"' && q !== "'")) throw new Error(`第 ${this.line} 行的单元格标记不完整`);
        if (nameEnd - n === 1) {
          const a = buf.charCodeAt(n);
          if (a === 114 /* r */) col = columnAt(buf, v0);
          else if (a === 116 /* t */) type = vEnd - v0 === 1 ? TYPE_CHARS[buf.charCodeAt(v0)] ?? buf[v0] : buf.slice(v0, vEnd);
          else if (a === 115 /* s */) style = intAt(buf, v0, vEnd);
        }
        i = vEnd + 1;
      }
      let text = '';
      if (selfClosing) {
        pos = tagEnd + 1;
      } else {
        const end = buf.indexOf(cClose, tagEnd);
        if (end < 0 || end > close) throw new Error(`第 ${this.line} 行有没有闭合的单元格`);
        pos = end + cClose.length;
        text = this.cellText(buf, tagEnd + 1, end, type, style);
      }
      if (text !== '') {
        while (cells.length < col) cells.push('');
        cells[col] = text;
      }
      col++;
    }
    for (const c of cells) {
      if (c.trim() !== '') {
        this.headerLine ||= this.line;
        this.rows.push({ line: this.line, cells });
        return;
      }
    }
  }

  /** The `<v>` of a cell's content (after any `<f>`), raw; null when there is none. */
  private valueOf(buf: string, from: number, to: number): string | null {
    const vOpen = this.vOpen;
    let at = buf.indexOf(vOpen, from);
    while (at >= 0 && at < to) {
      const c = buf.charCodeAt(at + vOpen.length);
      if (c === 62 || c === 32) break;
      at = buf.indexOf(vOpen, at + 1);
    }
    if (at < 0 || at >= to) return null;
    const gt = buf.indexOf('>', at);
    if (buf.charCodeAt(gt - 1) === 47) return '';
    const end = buf.indexOf(this.vClose, gt);
    if (end < 0 || end > to) return null;
    return buf.slice(gt + 1, end);
  }

  /** Text of a cell whose content is buf[from, to). */
  private cellText(buf: string, from: number, to: number, type: string, style: number): string {
    if (type === 'inlineStr') return inlineText(buf.slice(from, to));
    const v = this.valueOf(buf, from, to);
    if (v === null) return '';
    switch (type) {
      case 's': {
        const s = this.strings[Number(v)];
        if (s === undefined) throw new Error(`第 ${this.line} 行的共享字符串编号 ${v} 不存在（sharedStrings.xml 缺失或不完整）`);
        return s;
      }
      case 'str':
        return unescapeX(decodeXml(v));
      case 'b':
        return v === '1' ? 'TRUE' : v === '0' ? 'FALSE' : v;
      case 'e':
        return '';
      case 'd':
        return v.slice(0, 10);
      default: {
        if (v === '') return '';
        if (this.dateStyles[style]) {
          // Few distinct days in a file: convert each once.
          let d = this.dates.get(v);
          if (d === undefined) {
            d = serialToDate(Number(v), this.date1904);
            this.dates.set(v, d);
          }
          return d;
        }
        return PLAIN_NUMBER.test(v) ? v : numberText(Number(v));
      }
    }
  }
}

/** `<is>` content: its `<t>` runs joined, phonetic guides (`<rPh>`) left out. */
function inlineText(xml: string): string {
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

function rowNumber(tag: string, previous: number): number {
  const r = attr(tag, 'r');
  return r ? Number(r) : previous + 1;
}

/** Column of the cell reference at buf[from] ('AB12' → 27, 0-based). */
function columnAt(buf: string, from: number): number {
  let col = 0;
  for (let i = from; ; i++) {
    const c = buf.charCodeAt(i) | 0x20;
    if (c < 97 || c > 122) break;
    col = col * 26 + (c - 96);
  }
  return col - 1;
}

function intAt(buf: string, from: number, to: number): number {
  let v = 0;
  for (let i = from; i < to; i++) v = v * 10 + (buf.charCodeAt(i) - 48);
  return v;
}

const TYPE_CHARS: Record<number, string> = { 115: 's', 110: 'n', 98: 'b', 101: 'e', 100: 'd' };

/** Excel's escape for characters XML cannot carry (`_x000D_` = CR). */
export const unescapeX = (s: string) => (s.includes('_x') ? s.replace(/_x([0-9A-Fa-f]{4})_/g, (_, h: string) => String.fromCharCode(parseInt(h, 16))) : s);

// What a number cell usually holds, taken as written (no float round trip for 1M rows).
const PLAIN_NUMBER = /^-?\d{1,15}(\.\d{1,2})?$/;

/**
 * Text of an Excel number. Binary floats carry noise (0.1 + 0.2 → 0.30000000000000004), so
 * start from the shortest representation and round to 2 decimals when the difference is
 * only noise; a real third decimal (12.345) is kept so the amount check rejects it.
 */
export function numberText(n: number): string {
  if (!Number.isFinite(n)) return String(n);
  const shortest = new Decimal(String(n));
  if (shortest.decimalPlaces() <= 2) return shortest.toFixed();
  const rounded = shortest.toDecimalPlaces(2);
  return rounded.minus(shortest).abs().lessThan('1e-9') ? rounded.toFixed() : shortest.toFixed();
}
