import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import type { Knex } from 'knex';
import type { PoolClient } from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { FEEDS, type FeedDef } from '../feeds/index.js';
import type { BundleFile } from './bundle-files.js';
import { DEPT_EXPR } from './agency-rules.js';

/**
 * A region's first delivery of a feed (the initial load of a city, a new county, the demo)
 * has nothing to correct and no history to keep, so its good rows need not pass through the
 * stage and a second INSERT … SELECT: they go into the feed table with one typed COPY while
 * the file is read. Bad rows still go to the stage, for the quarantine. Measured on 1M
 * vouchers: the stage + insert path wrote every row twice (≈ 3.3 s of the merge).
 */
export interface DirectTarget {
  /** The feed table, or the region's fresh partition of it (region-partition.ts). */
  table: string;
  regionCode: string;
  batchId: string;
  /** agency_code → its 主管部门 for feeds whose rows carry an agency (dept_code). */
  deptOf: Map<string, string> | null;
}

/**
 * The direct target when the region holds no row of the feed yet, else null. `regionIsNew`:
 * the caller found the region holding no row of any feed (regionIsNew), so the table is not
 * read again — through a partitioned table that would lock its default partition (lock.ts).
 */
export async function directTarget(client: PoolClient, feed: FeedDef, regionCode: string, batchId: string, regionIsNew = false): Promise<DirectTarget | null> {
  if (!regionIsNew) {
    const { rows: held } = await client.query(`select exists (select 1 from ${feed.table} where region_code = $1) as any`, [regionCode]);
    if (held[0].any) return null;
  }
  let deptOf: Map<string, string> | null = null;
  if (feed.deptFrom) {
    const { rows } = await client.query<{ agency_code: string; dept: string }>(
      `select a.agency_code, ${DEPT_EXPR} as dept from agencies a where a.region_code = $1`,
      [regionCode],
    );
    deptOf = new Map(rows.map((r) => [r.agency_code, r.dept]));
  }
  return { table: feed.table, regionCode, batchId, deptOf };
}

/**
 * Whether the region holds no row of any feed: its first delivery, every file of which goes
 * straight into its table. Asked on a connection of its own before the bundle's transaction
 * starts, so that transaction keeps no lock on payment_vouchers' default partition (lock.ts).
 * The region's lock is not held yet: should the region's rows appear meanwhile (not from this
 * loader, which loads a region's bundles one after another), ATTACH finds them in the default
 * partition and the bundle is rejected whole.
 */
export async function regionIsNew(knex: Knex, regionCode: string): Promise<boolean> {
  const tables = [...new Set(FEEDS.map((f) => f.table))];
  const { rows } = await knex.raw<{ rows: { fresh: boolean }[] }>(
    `select ${tables.map((t) => `not exists (select 1 from ${t} where region_code = ?)`).join(' and ')} as fresh`,
    tables.map(() => regionCode),
  );
  return rows[0].fresh === true;
}

/** COPY into the target table: lineage columns first, dept_code last (as stageFile writes them). */
export function directCopySql(feed: FeedDef, target: DirectTarget): string {
  const cols = ['region_code', 'batch_id', 'source_line', ...feed.columns.map((c) => c.key), ...(feed.deptFrom ? ['dept_code'] : [])];
  return `copy ${target.table} (${cols.map((c) => `"${c}"`).join(', ')}) from stdin`;
}

/**
 * Rows expected from a file before it is read, to decide whether to rebuild the indexes:
 * the manifest's count when given, else a generous guess from the size (a voucher row is
 * ~170 bytes of CSV; an xlsx row compresses to far less).
 */
export function expectedRows(file: BundleFile, manifestRows: number | undefined): number {
  if (manifestRows !== undefined) return manifestRows;
  const bytes = fs.statSync(file.path).size;
  return Math.floor(bytes / (file.kind === 'xlsx' ? 40 : 120));
}

/**
 * Bad rows met while the file streams into the feed table wait in a temporary file (one
 * COPY per connection at a time) and go to the stage afterwards. Usually there are none;
 * a file of nothing but bad rows must still not have to fit in memory.
 */
export class BadRowSpill {
  private fd: number | null = null;
  private file = '';

  write(text: string): void {
    if (!text) return;
    if (this.fd === null) {
      this.file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'bw-bad-rows-')), 'rows.copy');
      this.fd = fs.openSync(this.file, 'w');
    }
    fs.writeSync(this.fd, text);
  }

  /** COPY what was spilled into `table` (the stage). */
  async copyInto(client: PoolClient, table: string): Promise<void> {
    if (this.fd === null) return;
    fs.closeSync(this.fd);
    this.fd = null;
    await pipeline(fs.createReadStream(this.file), client.query(copyFrom(`copy ${table} from stdin`)));
  }

  /** Remove the file (the caller's `finally`). */
  dispose(): void {
    if (this.fd !== null) fs.closeSync(this.fd);
    this.fd = null;
    if (this.file) fs.rmSync(path.dirname(this.file), { recursive: true, force: true });
    this.file = '';
  }
}
