import path from 'node:path';
import type { Knex } from 'knex';
import type { PoolClient } from 'pg';
import { DEFAULT_REGION, outsideDeployment, regionWithin, today as clockToday } from '../../../api/src/core.js';
import { isCalendarDate, REGION_CODE } from '../dates.js';
import { FileError } from '../readers/table.js';
import { centsToAmount, amountToCents, normaliseAmount } from '../readers/values.js';
import { bundleIdentity, listBundle, type BundleFile, type BundleListing } from './bundle-files.js';
import type { BundleCode } from '../codes.js';
import { BundleRejected } from './errors.js';
import { lockBundle, withRunLock } from './lock.js';
import { BULK_ROWS, dropIndexesForBulk } from './bulk-indexes.js';
import { directTarget, expectedRows, regionIsNew } from './direct.js';
import { ensureRegionPartition, freshRegionPartition, isPartitioned, partitionName, sqlOf } from './region-partition.js';
import { markUnknownAgencies, mergeStage, quarantineBadRows, updateFeedTotals, type MergeCounts } from './merge.js';
import { finishRun, findSameDelivery, recordRejected, regionExists, startRun, type RunTrigger } from './runs.js';
import { loadLimits } from './limits.js';
import { createStage, stageFile, type StageContext, type StagedFile } from './stage.js';
import { recordTouchedDays } from './touched-days.js';
import { etlTimeouts, transactionTimeoutsSql, type EtlTimeouts } from './timeouts.js';

export interface LoadProgress {
  regionCode: string;
  businessDate: string;
  feed: string;
  rowsRead: number;
}

export interface LoadOptions {
  /** Default: the folder names `<region>/<date>`. */
  regionCode?: string;
  businessDate?: string;
  source?: 'inbox' | 'sql' | 'demo';
  /** Shown on the Data page; default the folder path. */
  location?: string;
  trigger?: RunTrigger;
  startedBy?: string;
  /** Load even when this exact delivery was recorded before (`etl rerun`). */
  force?: boolean;
  /** BW_REGION: a bundle for a region outside it (not it, not below it) is rejected. Default 411100. */
  deploymentRegion?: string;
  /** "Today" for the future-date check; default the clock's. */
  today?: string;
  /** Run this load inside the caller's etl_run (caller holds the run lock). */
  runId?: string;
  onProgress?: (p: LoadProgress) => void;
  /** No file is read whose real path is outside this folder (default: the bundle folder). */
  inboxRoot?: string;
  /** Override BW_ETL_*_TIMEOUT (timeouts.ts). */
  timeouts?: Partial<EtlTimeouts>;
}

export interface FileResult {
  feed: string;
  fileName: string;
  encoding: string;
  rowsRead: number;
  /** Inserted + updated. */
  rowsLoaded: number;
  inserted: number;
  updated: number;
  /** Good rows identical to what the table already held. */
  unchanged: number;
  quarantined: number;
  /** Exact sum of the legal amounts read (the manifest's control total). */
  amountSum: string | null;
  /** Full-state feeds: rows the file no longer lists, removed; agencies kept because still referenced. */
  removed: number;
  keptReferenced: number;
  /** True when the good rows were COPied straight into the table (the region's first delivery of the feed). */
  direct: boolean;
  /** Where the time went: read + validate + COPY into the stage; quarantine + history + upsert. */
  stageSeconds: number;
  mergeSeconds: number;
}

export interface BundleResult {
  regionCode: string;
  businessDate: string;
  dir: string;
  /** unchanged = this exact delivery was loaded (or rejected) before: nothing done. */
  outcome: 'committed' | 'rejected' | 'unchanged';
  batchId: string | null;
  /** Why the bundle was rejected or not loaded again (codes.ts), and the Chinese text; null when committed. */
  code: BundleCode | null;
  reason: string | null;
  files: FileResult[];
  ignoredFiles: string[];
  rowsRead: number;
  rowsLoaded: number;
  rowsQuarantined: number;
  seconds: number;
}

/**
 * Load one delivery bundle folder: the whole bundle in one transaction (all good rows or
 * nothing), bad rows quarantined, the manifest reconciled, old versions kept in history.
 */
export async function loadBundle(knex: Knex, dir: string, opts: LoadOptions = {}): Promise<BundleResult> {
  if (opts.runId) return loadInRun(knex, dir, opts, opts.runId);
  const id = bundleIdentity(dir, opts);
  return withRunLock(knex, { wait: true }, async () => {
    const runId = await startRun(knex, {
      trigger: opts.trigger ?? 'cli', startedBy: opts.startedBy,
      regionCode: id.regionCode,
      businessDate: isCalendarDate(id.businessDate) ? id.businessDate : undefined,
    });
    try {
      const result = await loadInRun(knex, dir, opts, runId);
      await finishRun(knex, runId, 'succeeded', summarise([result]));
      return result;
    } catch (err) {
      await finishRun(knex, runId, 'failed', null, (err as Error).message);
      throw err;
    }
  });
}

export function summarise(results: BundleResult[]) {
  return {
    bundles: results.map(({ files, ...b }) => ({ ...b, files })),
    committed: results.filter((r) => r.outcome === 'committed').length,
    rejected: results.filter((r) => r.outcome === 'rejected').length,
    unchanged: results.filter((r) => r.outcome === 'unchanged').length,
    rowsRead: results.reduce((s, r) => s + r.rowsRead, 0),
    rowsLoaded: results.reduce((s, r) => s + r.rowsLoaded, 0),
    rowsQuarantined: results.reduce((s, r) => s + r.rowsQuarantined, 0),
  };
}

const seconds = (ms: number) => Math.round(ms) / 1000;

/** PostgreSQL data errors (class 22 data exception, 23 integrity): the delivery's fault. */
const isDataError = (err: unknown) => /^2[23]/.test(String((err as { code?: string })?.code ?? ''));

/**
 * Read a file into the database: straight into the feed table (or the region's fresh
 * partition of it) when the region holds none of the feed yet (see direct.ts), else into the
 * stage for the merge. A key the file repeats trips the primary key during the direct load;
 * the file then goes through the stage, which quarantines the repeat and names both lines.
 */
async function readFile(
  client: PoolClient, file: BundleFile, regionCode: string, batchId: string, manifestRows: number | undefined, ctx: StageContext, onRows: (n: number) => void,
  where: { newRegion: boolean; partitioned: boolean },
): Promise<{ staged: StagedFile; direct: boolean; indexSeconds: number }> {
  const feed = file.feed;
  const { newRegion, partitioned } = where;
  const direct = await directTarget(client, feed, regionCode, batchId, newRegion);
  if (direct) {
    await client.query('savepoint direct_copy');
    try {
      let buildIndexes: () => Promise<void>;
      if (partitioned) {
        const part = await freshRegionPartition(client, feed.table, regionCode);
        direct.table = part.table;
        buildIndexes = part.attach;
      } else {
        buildIndexes = await dropIndexesForBulk(client, feed, expectedRows(file, manifestRows));
      }
      const staged = await stageFile(client, feed, file, ctx, onRows, direct);
      const t = performance.now();
      await buildIndexes();
      await client.query('release savepoint direct_copy');
      return { staged, direct: true, indexSeconds: seconds(performance.now() - t) };
    } catch (err) {
      if ((err as { code?: string }).code !== UNIQUE_VIOLATION) throw err;
      await client.query('rollback to savepoint direct_copy');
      // Still the region's first rows: give them its partition rather than the default one.
      if (partitioned) await ensureRegionPartition(sqlOf(client), feed.table, regionCode);
    }
  }
  return { staged: await stageFile(client, feed, file, ctx, onRows), direct: false, indexSeconds: 0 };
}

const UNIQUE_VIOLATION = '23505';

/**
 * Whether the bundle may run DDL on a table other regions' bundles write (lockBundle): the
 * region's first rows of a partitioned feed (its partition is replaced, or created through the
 * parent), or a file large enough for a bulk index rebuild (bulk-indexes.ts). Read from the
 * catalog and the region's own partition only, before any lock on the shared tables is taken.
 * A new region's (regionIsNew) first partition is built beside the other bundles and only
 * attached alone (the attach lock, lock.ts): that alone is no reason to run exclusive.
 */
async function changesSharedTables(client: PoolClient, listing: BundleListing, regionCode: string, newRegion: boolean, partitioned: ReadonlySet<string>): Promise<boolean> {
  for (const file of listing.files) {
    if (partitioned.has(file.feed.table)) {
      const part = partitionName(file.feed.table, regionCode);
      const { rows } = await client.query(`select to_regclass($1) is not null as present`, [part]);
      if (!rows[0].present) {
        if (newRegion) continue;
        return true;
      }
      const { rows: held } = await client.query(`select exists (select 1 from ${part}) as any`);
      if (!held[0].any) return true;
    } else if (expectedRows(file, listing.manifest?.feeds[file.feed.name]?.rows) >= BULK_ROWS) {
      return true;
    }
  }
  return false;
}

/** The bundle's feed tables that are partitioned by region, looked up once for the whole bundle. */
async function partitionedTables(knex: Knex, listing: BundleListing): Promise<Set<string>> {
  const out = new Set<string>();
  for (const file of listing.files) if (await isPartitioned((text) => knex.raw(text), file.feed.table)) out.add(file.feed.table);
  return out;
}

async function loadInRun(knex: Knex, dir: string, opts: LoadOptions, runId: string): Promise<BundleResult> {
  const t0 = performance.now();
  const { regionCode, businessDate } = bundleIdentity(dir, opts);
  const source = opts.source ?? 'inbox';
  const location = opts.location ?? path.resolve(dir);
  const result: BundleResult = {
    regionCode, businessDate, dir: path.resolve(dir), outcome: 'rejected', batchId: null, code: null, reason: null,
    files: [], ignoredFiles: [], rowsRead: 0, rowsLoaded: 0, rowsQuarantined: 0, seconds: 0,
  };
  const done = () => {
    result.seconds = Math.round(performance.now() - t0) / 1000;
    result.rowsRead = result.files.reduce((s, f) => s + f.rowsRead, 0);
    result.rowsLoaded = result.files.reduce((s, f) => s + f.rowsLoaded, 0);
    result.rowsQuarantined = result.files.reduce((s, f) => s + f.quarantined, 0);
    return result;
  };
  const canRecord = REGION_CODE.test(regionCode) && isCalendarDate(businessDate) && (await regionExists(knex, regionCode));
  let listing: BundleListing | undefined;
  const reject = async (code: BundleCode, reason: string) => {
    result.outcome = 'rejected';
    result.code = code;
    result.reason = reason;
    result.files = [];
    if (canRecord) {
      result.batchId = await recordRejected(knex, {
        runId, regionCode, businessDate, source, location, contentHash: listing?.contentHash, manifest: listing?.manifest, code, reason,
      });
    }
    return done();
  };

  if (REGION_CODE.test(regionCode) && !canRecord) return reject('UNKNOWN_REGION', `未知的地区代码：${regionCode}`);
  const home = opts.deploymentRegion ?? DEFAULT_REGION;
  if (canRecord && !(await regionWithin(knex, regionCode, home))) return reject('OUTSIDE_DEPLOYMENT', `${await outsideDeployment(knex, regionCode, home)}：不接受该数据包`);
  try {
    listing = await listBundle(dir, opts);
  } catch (err) {
    if (err instanceof BundleRejected) return reject(err.code, err.message);
    throw err;
  }
  result.ignoredFiles = listing.ignored;
  const today = opts.today ?? clockToday();
  if (businessDate > today) return reject('FUTURE_DATE', `业务日期 ${businessDate} 晚于今天 ${today}：不接受未来日期的数据包`);

  if (!opts.force) {
    const same = await findSameDelivery(knex, regionCode, businessDate, listing.contentHash);
    if (same) {
      result.outcome = 'unchanged';
      result.batchId = same.id;
      result.code = 'SAME_DELIVERY';
      result.reason = same.status === 'committed' ? `与批次 ${same.id} 内容相同，已装载过` : `与批次 ${same.id} 内容相同，该批次已被拒收`;
      return done();
    }
  }

  const timeouts = etlTimeouts(opts.timeouts);
  // Asked before the transaction, on a connection of its own (direct.ts), and only where it
  // matters: a region's first rows of a partitioned feed.
  const partitioned = await partitionedTables(knex, listing);
  const newRegion = partitioned.size > 0 && (await regionIsNew(knex, regionCode));
  const ctx: StageContext = { limits: await loadLimits(knex), businessDate, stallSeconds: timeouts.stallSeconds };
  // What went wrong inside the transaction: when the server has already ended the session
  // (idle or statement timeout), knex reports the failed ROLLBACK instead of the cause.
  let cause: unknown;
  try {
    await knex.transaction(async (trx) => {
      try {
        const client = (await trx.client.acquireConnection()) as PoolClient;
        await lockBundle(client, regionCode, await changesSharedTables(client, listing!, regionCode, newRegion, partitioned));
        // Set after the lock: waiting behind another bundle is not a hang.
        await client.query(transactionTimeoutsSql(timeouts));
        const [{ id }] = await trx('batches')
          .insert({
            etl_run_id: runId, region_code: regionCode, business_date: businessDate, source, location,
            content_hash: listing!.contentHash, manifest: listing!.manifest ? JSON.stringify(listing!.manifest) : null, status: 'loading',
          })
          .returning('id');
        const batchId = String(id);
        result.batchId = batchId;

        for (const file of listing!.files) {
          const feed = file.feed;
          const tStage = performance.now();
          const m = listing!.manifest?.feeds[feed.name];
          await createStage(client, feed);
          const { staged, direct, indexSeconds } = await readFile(client, file, regionCode, batchId, m?.rows, ctx, (rowsRead) =>
            opts.onProgress?.({ regionCode, businessDate, feed: feed.name, rowsRead }), { newRegion, partitioned: partitioned.has(feed.table) },
          );
          if (m?.rows !== undefined && m.rows !== staged.rowsRead) {
            throw new BundleRejected('MANIFEST_ROWS_MISMATCH', `与 _manifest.json 不符：${file.fileName} 清单行数（rows）${m.rows}，实际读到 ${staged.rowsRead} 行（文件可能损坏或被截断）`, file.fileName);
          }
          if (m?.amount_sum !== undefined && feed.amountColumn && amountToCents(m.amount_sum) !== staged.amountCents) {
            throw new BundleRejected(
              'MANIFEST_AMOUNT_MISMATCH',
              `与 _manifest.json 不符：${file.fileName} 清单金额合计（amount_sum）${m.amount_sum}，实际合法金额合计 ${centsToAmount(staged.amountCents)}`,
              file.fileName,
            );
          }
          if (staged.total && feed.amountColumn) {
            const { line, amount } = staged.total;
            const legal = normaliseAmount(amount);
            if (legal === null || amountToCents(legal) !== staged.amountCents) {
              throw new BundleRejected(
                'TOTAL_ROW_MISMATCH',
                `合计行不符：${file.fileName} 第 ${line} 行的合计金额 ${amount || '（空）'}，实际合法金额合计 ${centsToAmount(staged.amountCents)}（文件可能损坏、被截断或被改动）`,
                file.fileName,
              );
            }
          }
          const tMerge = performance.now();
          let merged: MergeCounts;
          let quarantined: number;
          if (direct) {
            // The good rows are in the table already; unknown agencies were found while reading.
            quarantined = staged.rowsBad > 0 ? await quarantineBadRows(client, feed, regionCode, batchId, file.fileName, staged.sentHeader) : 0;
            merged = { inserted: staged.rowsRead - quarantined, updated: 0, superseded: 0, removed: 0, keptReferenced: 0 };
          } else {
            // Statistics matter for the joins of a big stage only; small ones save the round trip.
            if (staged.rowsRead >= 10_000) await client.query(`analyze etl_stage_${feed.name}`);
            const unknown = await markUnknownAgencies(client, feed, regionCode);
            quarantined = staged.rowsBad + unknown > 0 ? await quarantineBadRows(client, feed, regionCode, batchId, file.fileName, staged.sentHeader) : 0;
            merged = await mergeStage(client, feed, regionCode, batchId, staged.rowsRead - quarantined);
          }
          await recordTouchedDays(client, feed, regionCode, batchId, direct);
          await updateFeedTotals(client, feed, regionCode, batchId, direct ? staged.direct : null, merged);
          const fr: FileResult = {
            feed: feed.name, fileName: file.fileName, encoding: staged.encoding, rowsRead: staged.rowsRead,
            rowsLoaded: merged.inserted + merged.updated, inserted: merged.inserted, updated: merged.updated,
            unchanged: staged.rowsRead - quarantined - merged.inserted - merged.updated, quarantined,
            amountSum: feed.amountColumn ? centsToAmount(staged.amountCents) : null, direct,
            removed: merged.removed, keptReferenced: merged.keptReferenced,
            stageSeconds: seconds(tMerge - tStage) - indexSeconds,
            mergeSeconds: seconds(performance.now() - tMerge) + indexSeconds,
          };
          result.files.push(fr);
          await trx('batch_files').insert({
            region_code: regionCode, batch_id: batchId, feed: feed.name, file_name: file.fileName, encoding: fr.encoding,
            rows_read: fr.rowsRead, rows_loaded: fr.rowsLoaded, rows_quarantined: fr.quarantined, amount_sum: fr.amountSum,
          });
        }
        await trx('batches').where({ region_code: regionCode, id: batchId }).update({ status: 'committed', committed_at: trx.fn.now() });
      } catch (err) {
        cause = err;
        throw err;
      }
    });
  } catch (thrown) {
    const err = cause ?? thrown;
    result.batchId = null;
    if (err instanceof BundleRejected || err instanceof FileError) {
      return reject(err.code, err.file && !err.message.includes(err.file) ? `${err.file}：${err.message}` : err.message);
    }
    if (isDataError(err)) return reject('DATABASE_REJECTED', `数据库拒绝了数据：${(err as Error).message}`);
    // Anything else (a reader's own failure, a statement or idle timeout): the transaction
    // rolled back, so the bundle is rejected with what happened and the run goes on.
    return reject('LOAD_INTERRUPTED', `装载中断：${(err as Error).message}`);
  }
  result.outcome = 'committed';
  return done();
}
