/**
 * A feed of DATA-INTERFACE.md declared as data: its columns (English key, Chinese header and
 * aliases, type, required), its natural key and how a later delivery merges into the table.
 * The readers, validators, staging tables, merge SQL, exporter and Data page all derive from
 * these declarations, so adding a feed = adding one file here and registering it in index.ts.
 */

export type ColumnType =
  | 'code' // text identifier, trimmed, leading zeros kept; optional `pattern`
  | 'text' // free text, trimmed; empty = null
  | 'int' // integer within `min`..`max`
  | 'amount' // yuan, up to 2 decimals, exact (numeric(18,2))
  | 'rate' // percent with up to 4 decimals (numeric(8,4)), e.g. coupon rate
  | 'score' // a plain number with up to 2 decimals within `min`..`max` (numeric(5,2)), e.g. a self-assessment score
  | 'date' // YYYY-MM-DD, YYYY/MM/DD, YYYYMMDD, YYYY/M/D, YYYY-M-D, YYYY年M月D日 or an Excel date cell → 'YYYY-MM-DD'
  | 'enum'; // one of `values`

export interface ColumnDef {
  /** English key = column of the feed table. */
  key: string;
  /** Chinese header names accepted for this column: the first is the official one. */
  zh: readonly string[];
  type: ColumnType;
  required?: boolean;
  /** For 'enum'. */
  values?: readonly string[];
  /** For 'code': the shape a value must have. */
  pattern?: RegExp;
  /** Human description of `pattern`, used in quarantine reasons. */
  patternHint?: string;
  /** For 'int' and 'score'. */
  min?: number;
  max?: number;
  /** Characters a value may hold (default by type in load/limits.ts: 500 for text, 100 otherwise). */
  maxLength?: number;
  /** For 'date': a scheduled date (maturity, due date, deadline) that may lie decades ahead. */
  schedule?: boolean;
}

/**
 * `upsert` (transaction feeds: a file brings the day's new or corrected rows): a row whose
 * natural key already exists is replaced when any value differs; the replaced version is kept
 * whole in superseded_rows (change 'replaced'). Rows absent from a later file are kept.
 *
 * `full-state` (reference feeds: a file is the whole feed for the region as of its date): the
 * same upsert, then the region's rows whose key appears on no line of the file (good or
 * quarantined) are removed, each kept whole in superseded_rows (change 'removed'). A file
 * without data rows removes nothing, and an agency other rows still refer to is kept.
 */
export type MergeMode = 'upsert' | 'full-state';

export interface FeedDef {
  /** File name stem (`<name>.csv|xlsx`) and key in _manifest.json. */
  name: string;
  /** Chinese title for the CLI, the Data page and error messages. */
  title: string;
  /** Target table (lineage columns region_code, batch_id, source_line come on top). */
  table: string;
  columns: readonly ColumnDef[];
  /** Natural key inside a region; the table's primary key is (region_code, ...key). */
  key: readonly string[];
  merge: MergeMode;
  /**
   * Full-state feeds whose file is the whole state of some groups only (budget_drafts: of the
   * fiscal_year × stage pairs it contains): only rows of those groups are removed when absent.
   */
  fullStateBy?: readonly string[];
  /** The amount column reconciled against _manifest.json's amount_sum, if any. */
  amountColumn?: string;
  /**
   * The row's agency column from which the loader resolves `dept_code` (the unit's
   * 主管部门); a row whose agency is unknown is quarantined.
   */
  deptFrom?: string;
  /** Lower number loads first within a bundle (agencies before the feeds that refer to them). */
  order: number;
  /**
   * What one column's type cannot say: a check across the row's parsed values (null = empty),
   * run only on rows whose every column parsed. A problem quarantines the row like a bad cell.
   */
  checkRow?: (get: (key: string) => string | null) => RowProblem | null;
}

/** A cross-column problem of a row: the column to blame and the Chinese reason. */
export interface RowProblem {
  column: string;
  reason: string;
}

export function defineFeed(def: Omit<FeedDef, 'order'> & { order?: number }): FeedDef {
  const keys = new Set(def.columns.map((c) => c.key));
  for (const k of def.key) {
    if (!keys.has(k)) throw new Error(`feed ${def.name}: key column ${k} is not declared`);
    if (!def.columns.find((c) => c.key === k)!.required) throw new Error(`feed ${def.name}: key column ${k} must be required`);
  }
  if (def.amountColumn && def.columns.find((c) => c.key === def.amountColumn)?.type !== 'amount') {
    throw new Error(`feed ${def.name}: amountColumn ${def.amountColumn} must be an amount column`);
  }
  for (const k of def.fullStateBy ?? []) {
    if (def.merge !== 'full-state' || !def.key.includes(k)) throw new Error(`feed ${def.name}: fullStateBy ${k} must be a key column of a full-state feed`);
  }
  if (def.deptFrom && !keys.has(def.deptFrom)) throw new Error(`feed ${def.name}: deptFrom ${def.deptFrom} is not declared`);
  return { order: 100, ...def };
}

/** Shared column shapes, so the same concept validates the same way in every feed. */
export const FUNC_CODE = /^\d{3}(\d{2}){0,2}$/; // 类/款/项 = 3/5/7 digits
export const ECON_CODE = /^\d{3}(\d{2})?$/; // 类/款 = 3/5 digits
export const FUND_TYPES = ['1', '2', '3', '4'] as const;
export const YEAR = { min: 1990, max: 2100 } as const;
