import { BATCH_ROWS, FileError, type RawRow, type RawTable } from './table.js';
import { attr } from './xml-scan.js';
import { formatCode, isDateFormat } from './xlsx-formats.js';
import { SheetReader, unescapeX } from './xlsx-sheet.js';
import { Zip } from './xlsx-zip.js';

export { numberText } from './xlsx-sheet.js';

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

const mergeError = (file: string, ref: string, sheet: string) =>
  new FileError('MERGED_HEADER', file, `工作表“${sheet}”的表头有合并单元格 ${ref}：表头每列应是一个单独的单元格，请取消合并后重新导出`);

/**
 * Stream the workbook's first tab; its first non-empty row is the header. Shared strings
 * and styles are read first whatever the zip's entry order; the sheet itself is never held
 * in memory (rows go out in batches as its XML inflates).
 */
export async function readXlsx(path: string, file: string): Promise<RawTable> {
  const fail = (err: unknown) =>
    err instanceof FileError ? err : new FileError('FILE_UNREADABLE', file, `无法读取 Excel 文件（文件可能被截断或损坏）：${(err as Error).message}`);
  let zip: Zip;
  try {
    zip = await Zip.open(path);
  } catch (err) {
    throw fail(err);
  }
  let handler: SheetReader;
  let book: Book;
  try {
    book = await readBook(zip);
    const dateStyles = await readDateStyles(zip, book.stylesPart);
    const strings = await readSharedStrings(zip, book.stringsPart);
    if (!zip.has(book.sheetPart)) throw new Error(`缺少工作表文件 ${book.sheetPart}`);
    handler = new SheetReader(strings, dateStyles, book.date1904);
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
  if (first.done) throw new FileError('FILE_EMPTY', file, `工作表“${book.sheetName}”为空（没有表头行）`);
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
