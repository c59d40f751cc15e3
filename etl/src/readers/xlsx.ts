import Decimal from 'decimal.js';
import ExcelJS from 'exceljs';
import { BATCH_ROWS, FileError, type RawRow, type RawTable } from './table.js';

/** 'YYYY-MM-DD' of an Excel date cell (exceljs builds it in UTC from the serial number). */
function dateText(d: Date): string {
  if (Number.isNaN(d.getTime())) return '';
  return d.toISOString().slice(0, 10);
}

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

function cellText(v: ExcelJS.CellValue): string {
  if (v === null || v === undefined) return '';
  if (typeof v === 'string') return v;
  if (typeof v === 'number') return numberText(v);
  if (typeof v === 'boolean') return v ? 'TRUE' : 'FALSE';
  if (v instanceof Date) return dateText(v);
  if (typeof v === 'object') {
    if ('richText' in v) return v.richText.map((r) => r.text).join('');
    if ('formula' in v || 'sharedFormula' in v) return cellText((v as ExcelJS.CellFormulaValue).result as ExcelJS.CellValue);
    if ('text' in v) return String((v as ExcelJS.CellHyperlinkValue).text);
    if ('error' in v) return '';
  }
  return String(v);
}

function rowCells(row: ExcelJS.Row): string[] {
  // row.values is 1-based with holes for empty cells.
  const values = row.values as ExcelJS.CellValue[];
  const cells: string[] = [];
  for (let i = 1; i < values.length; i++) cells.push(cellText(values[i]));
  return cells;
}

/** Stream the first sheet of an .xlsx; its first non-empty row is the header. */
export async function readXlsx(path: string, file: string): Promise<RawTable> {
  let reader: ExcelJS.stream.xlsx.WorkbookReader;
  const rowsIt = (async function* () {
    reader = new ExcelJS.stream.xlsx.WorkbookReader(path, {
      worksheets: 'emit', sharedStrings: 'cache', styles: 'cache', hyperlinks: 'ignore', entries: 'ignore',
    });
    for await (const sheet of reader) {
      for await (const row of sheet as AsyncIterable<ExcelJS.Row>) {
        const cells = rowCells(row);
        if (cells.every((c) => c.trim() === '')) continue;
        yield { line: row.number, cells } as RawRow;
      }
      return; // first sheet only
    }
  })();
  let first: IteratorResult<RawRow>;
  try {
    first = await rowsIt.next();
  } catch (err) {
    throw new FileError(file, `无法读取 Excel 文件：${(err as Error).message}`);
  }
  if (first.done) throw new FileError(file, '工作表为空（没有表头行）');
  async function* batches(): AsyncGenerator<RawRow[]> {
    let batch: RawRow[] = [];
    try {
      for await (const row of rowsIt) {
        batch.push(row);
        if (batch.length >= BATCH_ROWS) {
          yield batch;
          batch = [];
        }
      }
    } catch (err) {
      throw new FileError(file, `无法读取 Excel 文件：${(err as Error).message}`);
    }
    if (batch.length) yield batch;
  }
  return { encoding: 'xlsx', header: first.value.cells, headerLine: first.value.line, fixedWidth: false, batches: batches() };
}
