import type { RawRow } from '../readers/table.js';

/** A row whose first non-empty cell is 合计 or 总计 (spaces and case ignored). */
export function isTotalRow(cells: readonly string[]): boolean {
  const first = cells.find((c) => c.trim() !== '');
  // Checked on every row of a file: most rows leave at the first test.
  if (first === undefined || first.indexOf('计') < 0) return false;
  const label = first.replace(/\s+/g, '').toLowerCase();
  return label === '合计' || label === '总计';
}

const blank = (cells: readonly string[]) => cells.every((c) => c.trim() === '');

/**
 * The file's rows without a trailing total row (DATA-INTERFACE.md: a control total, not a
 * data row). A total row anywhere but last is an ordinary row, so a total row is held back
 * (with any all-empty rows after it, as spreadsheets export `,,,,`) until a later row shows
 * it was not the last. `total()` is the trailing one once the batches are read to the end;
 * the empty rows held after it still go out as rows, as they would without it.
 */
export function splitTrailingTotal(batches: AsyncIterable<RawRow[]>): { batches: AsyncIterable<RawRow[]>; total: () => RawRow | null } {
  let trailing: RawRow | null = null;
  async function* rows(): AsyncGenerator<RawRow[]> {
    let held: RawRow[] = [];
    for await (const batch of batches) {
      const out: RawRow[] = [];
      for (const row of batch) {
        if (held.length && blank(row.cells)) {
          held.push(row);
          continue;
        }
        if (held.length) {
          out.push(...held);
          held = [];
        }
        if (isTotalRow(row.cells)) held = [row];
        else out.push(row);
      }
      if (out.length) yield out;
    }
    if (held.length) {
      trailing = held[0];
      if (held.length > 1) yield held.slice(1);
    }
  }
  return { batches: rows(), total: () => trailing };
}
