import Decimal from 'decimal.js';
import { BATCH_ROWS, FileError, type RawRow, type RawTable } from './table.js';
import { attr, type XmlHandler } from './xml-scan.js';
import { formatCode, isDateFormat, serialToDate } from './xlsx-formats.js';
import { Zip } from './xlsx-zip.js';

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

// What a number cell usually holds, taken as written (no float round trip for 1M rows).
const PLAIN_NUMBER = /^-?\d{1,15}(\.\d{1,2})?$/;

/** Excel's escape for characters XML cannot carry (`_x000D_` = CR). */
const unescapeX = (s: string) => (s.includes('_x') ? s.replace(/_x([0-9A-Fa-f]{4})_/g, (_, h: string) => String.fromCharCode(parseInt(h, 16))) : s);

/** 'AB12' → 27 (0-based column); -1 without letters. */
function columnIndex(ref: string): number {
  let col = 0;
  let i = 0;
  for (; i < ref.length; i++) {
    const c = ref.charCodeAt(i) | 0x20; // lower-case
    if (c < 97 || c > 122) break;
    col = col * 26 + (c - 96);
  }
  return i === 0 ? -1 : col - 1;
}

const rowOf = (ref: string) => Number(ref.replace(/^[A-Za-z]+/, ''));

/** Part names inside the zip: `target` of a relationship, relative to the part `from`. */
function resolvePart(from: string, target: string): string {
  if (target.startsWith('/')) return target.slice(1);
  const parts = from.split('/').slice(0, -1);
  for (const seg of target.split('/')) {
    if (seg === '..') parts.pop();
    else if (seg !== '.' && seg !== '') parts.push(seg);
  }
  return parts.join('/');
}

const relsOf = (part: string) => {
  const i = part.lastIndexOf('/');
  return `${part.slice(0, i + 1)}_rels/${part.slice(i + 1)}.rels`;
};

interface Relationship {
  id: string;
  type: string;
  target: string;
}

async function readRels(zip: Zip, part: string): Promise<Relationship[]> {
  const rels: Relationship[] = [];
  if (!zip.has(relsOf(part))) return rels;
  await zip.read(relsOf(part), {
    open(name, inner) {
      if (name === 'Relationship') rels.push({ id: attr(inner, 'Id') ?? '', type: attr(inner, 'Type') ?? '', target: attr(inner, 'Target') ?? '' });
    },
    close() {},
    text() {},
  });
  return rels;
}

interface Book {
  sheetPart: string;
  sheetName: string;
  date1904: boolean;
  stylesPart: string | null;
  stringsPart: string | null;
}

/**
 * The workbook's first tab in tab order: the first `<sheet>` of workbook.xml that is not
 * hidden, resolved through the workbook's relationships — not whichever sheet file is
 * named sheet1.xml (a moved, added or deleted sheet changes that).
 */
async function readBook(zip: Zip): Promise<Book> {
  const office = (await readRels(zip, '')).find((r) => r.type.endsWith('/officeDocument'));
  const bookPart = office ? resolvePart('', office.target) : 'xl/workbook.xml';
  if (!zip.has(bookPart)) throw new Error(`缺少工作簿 ${bookPart}（不是 Excel 工作簿）`);
  const sheets: { name: string; rid: string }[] = [];
  let date1904 = false;
  await zip.read(bookPart, {
    open(name, inner) {
      if (name === 'sheet' && !/^(hidden|veryHidden)$/.test(attr(inner, 'state') ?? '')) {
        sheets.push({ name: attr(inner, 'name') ?? '', rid: attr(inner, 'id') ?? '' });
      } else if (name === 'workbookPr') {
        date1904 = /^(1|true)$/.test(attr(inner, 'date1904') ?? '');
      }
    },
    close() {},
    text() {},
  });
  const rels = await readRels(zip, bookPart);
  const first = sheets[0];
  if (!first) throw new Error('工作簿中没有可见的工作表');
  const rel = rels.find((r) => r.id === first.rid);
  if (!rel) throw new Error(`工作表“${first.name}”的关系 ${first.rid} 缺失`);
  const part = (suffix: string) => {
    const r = rels.find((x) => x.type.endsWith(suffix));
    return r ? resolvePart(bookPart, r.target) : null;
  };
  return { sheetPart: resolvePart(bookPart, rel.target), sheetName: first.name, date1904, stylesPart: part('/styles'), stringsPart: part('/sharedStrings') };
}

/** Per cell style (`s` index into cellXfs): does its number format show a date? */
async function readDateStyles(zip: Zip, part: string | null): Promise<boolean[]> {
  if (!part || !zip.has(part)) return [];
  const custom = new Map<number, string>();
  const xfs: number[] = [];
  let inCellXfs = false;
  await zip.read(part, {
    open(name, inner) {
      if (name === 'numFmt') custom.set(Number(attr(inner, 'numFmtId')), attr(inner, 'formatCode') ?? '');
      else if (name === 'cellXfs') inCellXfs = true;
      else if (name === 'xf' && inCellXfs) xfs.push(Number(attr(inner, 'numFmtId') ?? 0));
    },
    close(name) {
      if (name === 'cellXfs') inCellXfs = false;
    },
    text() {},
  });
  return xfs.map((id) => isDateFormat(formatCode(id, custom)));
}

/** The shared string table; rich text is its runs joined, phonetic guides (rPh) left out. */
async function readSharedStrings(zip: Zip, part: string | null): Promise<string[]> {
  if (!part || !zip.has(part)) return [];
  const out: string[] = [];
  let cur = '';
  let inT = false;
  let inPhonetic = false;
  await zip.read(part, {
    open(name) {
      if (name === 'si') cur = '';
      else if (name === 't') inT = !inPhonetic;
      else if (name === 'rPh') inPhonetic = true;
    },
    close(name) {
      if (name === 't') inT = false;
      else if (name === 'rPh') inPhonetic = false;
      else if (name === 'si') out.push(unescapeX(cur));
    },
    text(t) {
      if (inT) cur += t;
    },
  });
  return out;
}

/** Streams the sheet's rows; collects the merged ranges (written after sheetData). */
class SheetHandler implements XmlHandler {
  rows: RawRow[] = [];
  merges: string[] = [];
  /** Sheet row of the header (the first non-empty row); 0 until seen. */
  headerLine = 0;
  private cells: string[] = [];
  private line = 0;
  private col = 0;
  private type = '';
  private style = 0;
  private value = '';
  private capture = false;
  private inInline = false;
  private inPhonetic = false;

  constructor(
    private readonly strings: string[],
    private readonly dateStyles: boolean[],
    private readonly date1904: boolean,
  ) {}

  open(name: string, inner: string): void {
    switch (name) {
      case 'c': {
        const ref = attr(inner, 'r');
        const col = ref ? columnIndex(ref) : -1;
        if (col >= 0) this.col = col;
        this.type = attr(inner, 't') ?? '';
        const s = attr(inner, 's');
        this.style = s ? Number(s) : 0;
        this.value = '';
        return;
      }
      case 'v':
        this.capture = true;
        return;
      case 't':
        this.capture = this.inInline && !this.inPhonetic;
        return;
      case 'row': {
        const r = attr(inner, 'r');
        this.line = r ? Number(r) : this.line + 1;
        this.cells = [];
        this.col = 0;
        return;
      }
      case 'is':
        this.inInline = true;
        return;
      case 'rPh':
        this.inPhonetic = true;
        return;
      case 'mergeCell': {
        const ref = attr(inner, 'ref');
        if (ref) this.merges.push(ref);
      }
    }
  }

  close(name: string): void {
    switch (name) {
      case 'v':
      case 't':
        this.capture = false;
        return;
      case 'c': {
        const text = this.cellText();
        if (text !== '') {
          const cells = this.cells;
          while (cells.length < this.col) cells.push('');
          cells[this.col] = text;
        }
        this.col++;
        return;
      }
      case 'row':
        if (this.cells.some((c) => c.trim() !== '')) {
          this.headerLine ||= this.line;
          this.rows.push({ line: this.line, cells: this.cells });
        }
        return;
      case 'is':
        this.inInline = false;
        return;
      case 'rPh':
        this.inPhonetic = false;
    }
  }

  text(t: string): void {
    if (this.capture) this.value += t;
  }

  private cellText(): string {
    const v = this.value;
    switch (this.type) {
      case 's': {
        const s = this.strings[Number(v)];
        if (s === undefined) throw new Error(`第 ${this.line} 行的共享字符串编号 ${v} 不存在（sharedStrings.xml 缺失或不完整）`);
        return s;
      }
      case 'inlineStr':
      case 'str':
        return unescapeX(v);
      case 'b':
        return v === '1' ? 'TRUE' : v === '0' ? 'FALSE' : v;
      case 'e':
        return '';
      case 'd':
        return v.slice(0, 10);
      default: {
        if (v === '') return '';
        if (this.dateStyles[this.style]) return serialToDate(Number(v), this.date1904);
        return PLAIN_NUMBER.test(v) ? v : numberText(Number(v));
      }
    }
  }
}

const mergeError = (file: string, ref: string, sheet: string) =>
  new FileError(file, `工作表“${sheet}”的表头有合并单元格 ${ref}：表头每列应是一个单独的单元格，请取消合并后重新导出`);

/**
 * Stream the workbook's first tab; its first non-empty row is the header. Shared strings
 * and styles are read first whatever the zip's entry order; the sheet itself is never held
 * in memory (rows go out in batches as its XML inflates).
 */
export async function readXlsx(path: string, file: string): Promise<RawTable> {
  const fail = (err: unknown) =>
    err instanceof FileError ? err : new FileError(file, `无法读取 Excel 文件（文件可能被截断或损坏）：${(err as Error).message}`);
  let zip: Zip;
  try {
    zip = await Zip.open(path);
  } catch (err) {
    throw fail(err);
  }
  let handler: SheetHandler;
  let book: Book;
  try {
    book = await readBook(zip);
    const dateStyles = await readDateStyles(zip, book.stylesPart);
    const strings = await readSharedStrings(zip, book.stringsPart);
    if (!zip.has(book.sheetPart)) throw new Error(`缺少工作表文件 ${book.sheetPart}`);
    handler = new SheetHandler(strings, dateStyles, book.date1904);
  } catch (err) {
    zip.close();
    throw fail(err);
  }
  const checkMerges = () => {
    const h = handler.headerLine;
    for (const ref of handler.merges) {
      const [a, b = a] = ref.split(':');
      if (rowOf(a) <= h && h <= rowOf(b)) throw mergeError(file, ref, book.sheetName);
    }
  };
  const batchesOf = async function* (): AsyncGenerator<RawRow[]> {
    try {
      for await (const _ of zip.chunks(book.sheetPart, handler)) {
        void _;
        if (handler.rows.length >= BATCH_ROWS) {
          const batch = handler.rows;
          handler.rows = [];
          yield batch;
        }
      }
      checkMerges();
      if (handler.rows.length) yield handler.rows;
    } catch (err) {
      throw fail(err);
    } finally {
      zip.close();
    }
  };
  const it = batchesOf();
  let first: IteratorResult<RawRow[]>;
  try {
    first = await it.next();
  } catch (err) {
    throw fail(err);
  }
  if (first.done) throw new FileError(file, `工作表“${book.sheetName}”为空（没有表头行）`);
  const [header, ...rest] = first.value;
  async function* batches(): AsyncGenerator<RawRow[]> {
    if (rest.length) yield rest;
    yield* it;
  }
  return {
    encoding: 'xlsx',
    header: header.cells,
    headerLine: header.line,
    fixedWidth: false,
    batches: batches(),
    // A header that does not map may be a merged one: read on to the merge list to say so.
    async headerProblem() {
      try {
        for await (const _ of it) void _;
      } catch (err) {
        return fail(err);
      }
      return null;
    },
  };
}
