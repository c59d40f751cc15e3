import fs from 'node:fs';
import { once } from 'node:events';
import type { PoolClient } from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import type { QuarantineCode } from '../codes.js';
import type { FeedDef } from '../feeds/index.js';
import { readCsv } from '../readers/csv.js';
import { mapHeader } from '../readers/header.js';
import { FileError, type RawTable } from '../readers/table.js';
import { amountToCents, compileColumn, Invalid } from '../readers/values.js';
import { readXlsx } from '../readers/xlsx.js';
import type { BundleFile } from './bundle-files.js';
import { UNKNOWN_AGENCY, UNKNOWN_AGENCY_CODE } from './agency-rules.js';
import { clipRaw, columnLimits, tooLong, type EtlLimits } from './limits.js';
import { stallGuarded, withinStall } from './timeouts.js';
import { BadRowSpill, directCopySql, type DirectTarget } from './direct.js';
import { splitTrailingTotal } from './total-row.js';

/**
 * Staging: every row of a file goes into a temporary table with text columns — good rows
 * normalised, bad rows as read with the reason — through one COPY FROM STDIN. The merge and
 * the quarantine are then set-based SQL over it (COPY ~200k rows/s against ~20k for inserts).
 */
export const stageTable = (feed: FeedDef) => `etl_stage_${feed.name}`;

export async function createStage(client: PoolClient, feed: FeedDef): Promise<void> {
  const cols = feed.columns.map((c) => `"${c.key}" text`).join(', ');
  await client.query(
    `create temp table ${stageTable(feed)} (source_line integer not null, ${cols}, err_column text, err_code text, err text, raw text) on commit drop`,
  );
}

export interface StagedFile {
  encoding: string;
  rowsRead: number;
  rowsBad: number;
  /** Sum of the legal amounts of the feed's amount column, in cents (for the manifest). */
  amountCents: bigint;
  /** English key → the file's header text for it, for quarantine.raw. */
  sentHeader: Record<string, string>;
  /** A trailing 合计/总计 row (not a data row, not counted): its line and amount cell as sent. */
  total: { line: number; amount: string } | null;
  /**
   * Given a direct target: the good rows COPYed straight into the table and the sum of their
   * amounts in cents (the region's whole holding of the feed, for feed_totals without a scan).
   */
  direct: { rows: number; amountCents: bigint };
}

export async function openTable(file: BundleFile): Promise<RawTable> {
  if (file.kind === 'xlsx') return readXlsx(file.path, file.fileName);
  let stream: fs.ReadStream;
  try {
    stream = fs.createReadStream(file.path, { highWaterMark: 256 * 1024 });
  } catch (err) {
    throw new FileError('FILE_UNREADABLE', file.fileName, `无法打开文件：${(err as Error).message}`);
  }
  return readCsv(stream, file.fileName);
}

/** Whitespace String.prototype.trim removes (ASCII controls and space, NBSP, ideographic space, …). */
function edgeSpace(c: number): boolean {
  return c <= 32 || c === 0xa0 || c === 0x3000 || c === 0xfeff || c === 0x1680 || (c >= 0x2000 && c <= 0x200a) || c === 0x2028 || c === 0x2029 || c === 0x202f || c === 0x205f;
}

// COPY text format: backslash, tab, newline and carriage return must be escaped.
const NEEDS_ESCAPE = /[\\\t\n\r]/;
function esc(v: string): string {
  return NEEDS_ESCAPE.test(v) ? v.replace(/\\/g, '\\\\').replace(/\t/g, '\\t').replace(/\n/g, '\\n').replace(/\r/g, '\\r') : v;
}

/** What a file is checked against beyond its feed's declaration. */
export interface StageContext {
  limits: EtlLimits;
  businessDate: string;
  /** A reader that yields nothing for this long rejects the file (timeouts.ts). */
  stallSeconds: number;
}

/**
 * Read one file, validate every row against the feed and COPY it into the stage table —
 * or, given a direct target, the good rows straight into the feed table and only the bad
 * ones into the stage. Within a file a natural key may appear once; later repeats are bad rows.
 */
export async function stageFile(
  client: PoolClient,
  feed: FeedDef,
  file: BundleFile,
  ctx: StageContext,
  onRows: (rows: number) => void,
  direct: DirectTarget | null = null,
): Promise<StagedFile> {
  const table = await withinStall(openTable(file), file.fileName, ctx.stallSeconds);
  let mapping: number[];
  try {
    mapping = mapHeader(feed, table.header, file.fileName);
  } catch (err) {
    throw (await table.headerProblem?.()) ?? err;
  }
  const ncol = feed.columns.length;
  const width = table.header.length;
  const keyIdx = feed.key.map((k) => feed.columns.findIndex((c) => c.key === k));
  const amountIdx = feed.amountColumn ? feed.columns.findIndex((c) => c.key === feed.amountColumn) : -1;
  // A direct COPY leaves repeated keys to the primary key (the load then falls back to the
  // stage, which names both lines): 1M keys in a Map cost ~0.7 s, mostly garbage collection.
  const seen = direct ? null : new Map<string, number>();
  const stats: StagedFile = { encoding: table.encoding, rowsRead: 0, rowsBad: 0, amountCents: 0n, total: null, sentHeader: {}, direct: { rows: 0, amountCents: 0n } };
  const rows = splitTrailingTotal(table.batches);

  const deptIdx = direct?.deptOf ? feed.columns.findIndex((c) => c.key === feed.deptFrom) : -1;
  const lineage = direct ? `${direct.regionCode}\t${direct.batchId}\t` : '';
  const spill = direct ? new BadRowSpill() : null;
  const copy = client.query(copyFrom(direct ? directCopySql(feed, direct) : `copy ${stageTable(feed)} from stdin`));
  let copyError: Error | undefined;
  copy.on('error', (err: Error) => (copyError = err));
  const values: (string | null)[] = new Array(ncol);
  // quarantine.raw (quarantineBadRows): the feed's English keys, `_header` = each column's
  // header as sent, and `_extra` = the row's non-empty cells in columns the feed does not have.
  stats.sentHeader = {};
  feed.columns.forEach((c, i) => {
    if (mapping[i] >= 0) stats.sentHeader[c.key] = table.header[mapping[i]];
  });
  const mapped = new Set(mapping);
  const extraCells = (cells: string[]): Record<string, string> | null => {
    let extra: Record<string, string> | null = null;
    for (let i = 0; i < cells.length; i++) {
      if (mapped.has(i) || cells[i] === '') continue;
      extra ??= {};
      extra[(i < width && table.header[i]) || `列${i + 1}`] = clipRaw(cells[i]);
    }
    return extra;
  };
  const parsers = feed.columns.map(compileColumn);
  const checkRow = feed.checkRow;
  const indexOf = new Map(feed.columns.map((c, i) => [c.key, i]));
  const zhOf = new Map(feed.columns.map((c) => [c.key, c.zh[0]]));
  const valueOf = (key: string) => values[indexOf.get(key)!] ?? null;
  const limits = feed.columns.map((c) => columnLimits(c, ctx.limits, ctx.businessDate));
  const maxLength = limits.map((l) => l.maxLength);
  const ranges = limits.map((l) => l.range ?? null);
  // Only free text can carry a tab, newline or backslash past its parser: escape just those columns.
  const free = feed.columns.map((c) => c.type === 'text' || (c.type === 'code' && !c.pattern));

  // The spill file lives as long as this call, whatever ends it.
  try {
    try {
      for await (const batch of stallGuarded(rows.batches, file.fileName, ctx.stallSeconds)) {
        let out = '';
        let bad = '';
        for (const row of batch) {
          stats.rowsRead++;
          const cells = row.cells;
          // The row's column and code are those of its first problem; its reason lists them all.
          let errCol: string | null = null;
          let errCode: QuarantineCode | null = null;
          const errs: string[] = [];
          let rowCents = 0n;
          if (table.fixedWidth && cells.length !== width) {
            errCode = 'COLUMN_COUNT';
            errs.push(`列数 ${cells.length} 与表头 ${width} 列不一致`);
          }
          for (let i = 0; i < ncol; i++) {
            const idx = mapping[i];
            let text = idx >= 0 && idx < cells.length ? cells[idx] : '';
            if (text.length && (edgeSpace(text.charCodeAt(0)) || edgeSpace(text.charCodeAt(text.length - 1)))) text = text.trim();
            let v = text.length > maxLength[i] ? tooLong(text, maxLength[i]) : parsers[i](text);
            const range = ranges[i];
            if (range !== null && v !== null && !(v instanceof Invalid)) v = range(v) ?? v;
            if (v instanceof Invalid) {
              const col = feed.columns[i];
              values[i] = clipRaw(text);
              errCol ??= col.key;
              errCode ??= v.code;
              errs.push(`${col.key}（${col.zh[0]}）${v.reason}`);
            } else {
              values[i] = v;
              if (i === amountIdx && v !== null) {
                rowCents = amountToCents(v);
                stats.amountCents += rowCents;
              }
            }
          }
          if (errs.length === 0 && checkRow) {
            const problem = checkRow(valueOf);
            if (problem) {
              errCol = problem.column;
              errs.push(`${problem.column}（${zhOf.get(problem.column) ?? problem.column}）${problem.reason}`);
            }
          }
          if (errs.length === 0 && seen) {
            const key = keyIdx.length === 1 ? (values[keyIdx[0]] as string) : keyIdx.map((k) => values[k]).join('\u0001');
            const first = seen.get(key);
            if (first !== undefined) {
              errCol = feed.key[0];
              errCode = 'DUPLICATE_KEY';
              errs.push(`主键 ${feed.key.join('+')} 与第 ${first} 行重复`);
            } else {
              seen.set(key, row.line);
            }
          }
          let fields = '';
          for (let i = 0; i < ncol; i++) {
            const v = values[i];
            fields += v === null ? '\t\\N' : free[i] || errs.length ? `\t${esc(v)}` : `\t${v}`;
          }
          if (errs.length) {
            stats.rowsBad++;
            const extra = extraCells(cells);
            const line = `${row.line}${fields}\t${errCol === null ? '\\N' : esc(errCol)}\t${errCode}\t${esc(errs.join('；'))}\t${extra ? esc(JSON.stringify(extra)) : '\\N'}\n`;
            if (direct) bad += line;
            else out += line;
          } else if (!direct) {
            out += `${row.line}${fields}\t\\N\t\\N\t\\N\t\\N\n`;
          } else if (deptIdx < 0) {
            out += `${lineage}${row.line}${fields}\n`;
            stats.direct.rows++;
            stats.direct.amountCents += rowCents;
          } else {
            // The check markUnknownAgencies makes on the stage, made here: the row is good but
            // its agency is in neither this bundle's agencies nor the database.
            const agency = values[deptIdx] as string;
            const dept = direct.deptOf!.get(agency);
            if (dept === undefined) {
              stats.rowsBad++;
              bad += `${row.line}${fields}\t${feed.deptFrom}\t${UNKNOWN_AGENCY_CODE}\t${esc(UNKNOWN_AGENCY + agency)}\t\\N\n`;
            } else {
              out += `${lineage}${row.line}${fields}\t${esc(dept)}\n`;
              stats.direct.rows++;
              stats.direct.amountCents += rowCents;
            }
          }
        }
        spill?.write(bad);
        if (copyError) throw copyError;
        if (!copy.write(out)) await Promise.race([once(copy, 'drain'), once(copy, 'error')]);
        onRows(stats.rowsRead);
      }
    } catch (err) {
      copy.destroy();
      // Let the server end the COPY before the caller rolls back on this connection.
      await new Promise((r) => setImmediate(r));
      throw err;
    }
    await new Promise<void>((resolve, reject) => {
      if (copyError) return reject(copyError);
      copy.once('finish', resolve);
      copy.once('error', reject);
      copy.end();
    });
    await spill?.copyInto(client, stageTable(feed));
  } finally {
    spill?.dispose();
  }
  // Final only now: a file that is ASCII for its first chunks is decided where the first other byte is.
  stats.encoding = table.encoding;
  const total = rows.total();
  const amountCell = amountIdx >= 0 ? mapping[amountIdx] : -1;
  if (total) stats.total = { line: total.line, amount: (amountCell >= 0 ? total.cells[amountCell] : undefined)?.trim() ?? '' };
  return stats;
}
