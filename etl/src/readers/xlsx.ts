import { Worker } from 'node:worker_threads';
import { FileError, type RawRow, type RawTable } from './table.js';
import { attr } from './xml-scan.js';
import { formatCode, isDateFormat } from './xlsx-formats.js';
import { RowDecoder, sheetBatches, type RowBatch, type SheetJob, type SheetMessage } from './xlsx-sheet.js';
import { readSharedStrings } from './xlsx-strings.js';
import { Zip } from './xlsx-zip.js';

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

const mergeError = (file: string, ref: string, sheet: string) =>
  new FileError('MERGED_HEADER', file, `工作表“${sheet}”的表头有合并单元格 ${ref}：表头每列应是一个单独的单元格，请取消合并后重新导出`);

/**
 * Sheets whose XML is at least this large are scanned on a worker thread (~16,000 rows):
 * starting one costs a few hundred milliseconds, which a small file would not win back.
 */
const WORKER_FROM = 8 << 20;

/**
 * The sheet's batches from a worker thread (xlsx-worker.ts), started at once so it boots
 * while the shared strings are read here. Each batch taken is acknowledged (the worker runs
 * a few batches ahead, no more). The worker holds the process open only while a batch is
 * awaited: a table abandoned unread never keeps the loader from exiting.
 */
function inWorker(job: SheetJob): SheetSource {
  const worker = new Worker(new URL('./xlsx-worker.mjs', import.meta.url), { workerData: job });
  const stop = () => {
    worker.removeAllListeners();
    void worker.terminate();
  };
  worker.unref();
  const queue: SheetMessage[] = [];
  let notify: (() => void) | null = null;
  const push = (m: SheetMessage) => {
    queue.push(m);
    notify?.();
    notify = null;
  };
  worker.on('message', push);
  worker.on('error', (err: Error) => push({ kind: 'error', message: err.message }));
  worker.on('exit', (code) => push({ kind: 'error', message: `读取线程意外退出（${code}）` }));
  const batches = (async function* () {
    try {
      for (;;) {
        if (!queue.length) {
          worker.ref();
          await new Promise<void>((resolve) => (notify = resolve));
          worker.unref();
        }
        const m = queue.shift()!;
        if (m.kind === 'error') throw new Error(m.message);
        if (m.kind === 'end') return m.merges;
        worker.postMessage(0);
        yield m.batch;
      }
    } finally {
      stop();
    }
  })();
  // A generator returned before its first next() never runs its finally: stop says it.
  return { batches, stop };
}

/** The sheet's batches, and what ends their reading early (the worker thread, when there is one). */
interface SheetSource {
  batches: AsyncGenerator<RowBatch, string[]>;
  stop(): void;
}

/**
 * Stream the workbook's first tab; its first non-empty row is the header. Styles and the
 * shared strings are read first whatever the zip's entry order; the sheet itself is never
 * held in memory (rows go out in batches as its XML inflates). A large sheet is inflated
 * and scanned on a worker thread (`worker` forces either way, for tests).
 */
export async function readXlsx(path: string, file: string, opts: { worker?: boolean } = {}): Promise<RawTable> {
  const fail = (err: unknown) =>
    err instanceof FileError ? err : new FileError('FILE_UNREADABLE', file, `无法读取 Excel 文件（文件可能被截断或损坏）：${(err as Error).message}`);
  let zip: Zip;
  try {
    zip = await Zip.open(path);
  } catch (err) {
    throw fail(err);
  }
  let book: Book;
  let source: SheetSource | null = null;
  let decoder: RowDecoder;
  try {
    book = await readBook(zip);
    const dateStyles = await readDateStyles(zip, book.stylesPart);
    if (!zip.has(book.sheetPart)) throw new Error(`缺少工作表文件 ${book.sheetPart}`);
    const job: SheetJob = { path, part: book.sheetPart, dateStyles, date1904: book.date1904 };
    const worker = opts.worker ?? zip.size(book.sheetPart) >= WORKER_FROM;
    source = worker ? inWorker(job) : { batches: sheetBatches(zip, job.part, dateStyles, job.date1904), stop() {} };
    decoder = new RowDecoder(await readSharedStrings(zip, book.stringsPart));
  } catch (err) {
    source?.stop();
    zip.close();
    throw fail(err);
  }
  const sheet = source.batches;
  const stop = source.stop;
  const checkMerges = (merges: string[]) => {
    const h = decoder.headerLine;
    for (const ref of merges) {
      const [a, b = a] = ref.split(':');
      if (rowOf(a) <= h && h <= rowOf(b)) throw mergeError(file, ref, book.sheetName);
    }
  };
  const batchesOf = async function* (): AsyncGenerator<RawRow[]> {
    try {
      // One batch is held back until the next is read, so merged header cells (listed after
      // the rows) reject a one-batch sheet before any of its rows is handed out.
      let held: RawRow[] | null = null;
      for (;;) {
        const r = await sheet.next();
        if (r.done) {
          checkMerges(r.value);
          break;
        }
        const rows = decoder.decode(r.value);
        if (!rows.length) continue;
        if (held) yield held;
        held = rows;
      }
      if (held) yield held;
    } catch (err) {
      throw fail(err);
    } finally {
      await sheet.return([]);
      stop();
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
