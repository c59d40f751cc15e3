import type { BundleCode } from '../codes.js';

/** What every reader produces: a header and rows of raw text cells with their source line. */
export interface RawRow {
  /** 1-based line (CSV: physical line where the record starts; XLSX: sheet row number). */
  line: number;
  cells: string[];
}

export interface RawTable {
  /**
   * 'utf-8', 'utf-8-bom', 'gb18030' or 'xlsx'. Final once `batches` is read to the end: a CSV
   * that is pure ASCII so far reads as 'utf-8' until its first non-ASCII bytes decide.
   */
  readonly encoding: string;
  header: string[];
  headerLine: number;
  /** True when every row must have exactly as many cells as the header (CSV). */
  fixedWidth: boolean;
  /** Rows in batches, so the loader's per-row work is not dominated by awaits. */
  batches: AsyncIterable<RawRow[]>;
  /**
   * Why a header that does not map may be malformed in a way the header row cannot show
   * (XLSX: merged header cells, listed after the rows); reads the rest of the file.
   */
  headerProblem?: () => Promise<FileError | null>;
}

/** A file the loader cannot read at all: rejects its bundle with this code and reason. */
export class FileError extends Error {
  constructor(
    readonly code: BundleCode,
    readonly file: string,
    message: string,
  ) {
    super(message);
  }
}

export const BATCH_ROWS = 2000;
