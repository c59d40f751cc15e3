import ExcelJS from 'exceljs';
import type { Response } from 'express';

export type ColumnType = 'text' | 'money' | 'int' | 'date' | 'percent2dp' | 'decimal4';

export interface TableColumn {
  key: string;
  /** Chinese header, as the committee's staff read it. */
  header: string;
  type: ColumnType;
  width?: number;
}

export type TableRow = Record<string, unknown>;

/** Excel's sheet limit minus the header row. */
export const XLSX_MAX_ROWS = 1_048_575;

const NUM_FMT: Partial<Record<ColumnType, string>> = { money: '#,##0.00', int: '0', percent2dp: '0.00', decimal4: '0.0000' };

/**
 * The one place an amount becomes a JS number: the decimal string is handed to Excel as a
 * number cell (so it sums and sorts), formatted '#,##0.00'. A numeric(18,2) string has at
 * most 16 significant digits, which a double holds exactly enough for Excel's 15-digit display.
 */
function cellValue(type: ColumnType, v: unknown): string | number | null {
  if (v === null || v === undefined || v === '') return null;
  if (type !== 'text' && type !== 'date') return Number(v);
  return textCell(type, v);
}

/**
 * A text cell a spreadsheet could take for a formula (= + - @, or a leading tab / CR that Excel
 * skips) gets a leading single quote, as OWASP recommends against CSV injection. Only text
 * columns: amounts are typed columns, so a refund "-1234.50" stays a number.
 */
export function textCell(type: ColumnType, v: unknown): string {
  const s = String(v);
  return type === 'text' && /^[=+\-@\t\r]/.test(s) ? `'${s}` : s;
}

/** Stream a table as .xlsx (exceljs WorkbookWriter: rows are committed as they come, never all in memory). */
export async function writeXlsx(res: Response, fileName: string, sheetName: string, columns: TableColumn[], rows: AsyncIterable<TableRow>): Promise<void> {
  res.status(200);
  res.attachment(`${fileName}.xlsx`);
  res.type('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
  const wb = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: res, useStyles: true, useSharedStrings: false });
  const ws = wb.addWorksheet(sheetName, { views: [{ state: 'frozen', ySplit: 1 }] });
  ws.columns = columns.map((c) => ({
    key: c.key,
    header: c.header,
    width: c.width ?? (c.type === 'money' ? 18 : c.type === 'text' ? 24 : 12),
    ...(NUM_FMT[c.type] ? { style: { numFmt: NUM_FMT[c.type] } } : {}),
  }));
  ws.getRow(1).font = { bold: true };
  ws.getRow(1).commit();
  let n = 0;
  for await (const row of rows) {
    if (n >= XLSX_MAX_ROWS - 1) {
      ws.addRow([`超出 Excel 行数上限，已截断于第 ${n} 行；请使用 CSV 导出全部数据`]).commit();
      break;
    }
    const r = ws.addRow(Object.fromEntries(columns.map((c) => [c.key, cellValue(c.type, row[c.key])])));
    columns.forEach((c, i) => {
      const f = NUM_FMT[c.type];
      if (f) r.getCell(i + 1).numFmt = f;
    });
    r.commit();
    n++;
  }
  ws.commit();
  await wb.commit();
}

const csvField = (v: unknown, type: ColumnType = 'text') => {
  if (v === null || v === undefined) return '';
  const s = textCell(type, v);
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
};

/** Stream a table as CSV: UTF-8 with a BOM so Excel opens the Chinese correctly; amounts stay exact decimal strings. */
export async function writeCsv(res: Response, fileName: string, columns: TableColumn[], rows: AsyncIterable<TableRow>): Promise<void> {
  res.status(200);
  res.attachment(`${fileName}.csv`);
  res.type('text/csv; charset=utf-8');
  const write = (s: string) => (res.write(s) ? Promise.resolve() : new Promise<void>((r) => res.once('drain', () => r())));
  await write(`\uFEFF${columns.map((c) => csvField(c.header)).join(',')}\r\n`);
  let buf = '';
  for await (const row of rows) {
    buf += `${columns.map((c) => csvField(row[c.key], c.type)).join(',')}\r\n`;
    if (buf.length > 64 * 1024) {
      await write(buf);
      buf = '';
    }
  }
  if (buf) await write(buf);
  res.end();
}

export async function* fromArray<T extends TableRow>(rows: T[]): AsyncIterable<TableRow> {
  yield* rows;
}
