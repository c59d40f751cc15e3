import { z } from 'zod';
import { envelope, isoDate, isoInstant, money, regionCode, regionId } from '../../contract/common.js';

/** The Data page (数据): runs, delivery batches, feed counts, freshness, quarantined rows. */

/** `{ limit, offset }` paging of the delivery lists (they page by offset, not by page). */
const offsetMeta = z.strictObject({ limit: z.number().int(), offset: z.number().int() });

/** One ETL run (装载运行); over the whole inbox a run names no region and lists a bundle per region. */
export const EtlRun = z.strictObject({
  id: z.string(),
  trigger: z.string(),
  regionCode: regionCode.nullable(),
  businessDate: isoDate.nullable(),
  status: z.enum(['running', 'succeeded', 'failed']),
  /**
   * The run's summary as the loader recorded it (bundles, counts, skipped entries, post-load
   * outcome): its shape grew over time and old runs keep theirs, so it is not pinned here.
   */
  summary: z.unknown(),
  error: z.string().nullable(),
  startedBy: z.string().nullable(),
  startedAt: isoInstant,
  finishedAt: isoInstant.nullable(),
});
export type EtlRun = z.infer<typeof EtlRun>;

/** One file of a batch with its row counts and control total. */
export const BatchFile = z.strictObject({
  id: z.string(),
  /** The batch's public id, region and id (`411100-42`). */
  batchId: regionId('批次'),
  feed: z.string(),
  fileName: z.string(),
  encoding: z.string().nullable(),
  rowsRead: z.number().int(),
  rowsLoaded: z.number().int(),
  rowsQuarantined: z.number().int(),
  amountSum: money.nullable(),
});
export type BatchFile = z.infer<typeof BatchFile>;

/** One delivery (一个数据包 = 一个批次): where it came from, whether it was taken, its files. */
export const Batch = z.strictObject({
  /** Region and id, `411100-42`, as the database keys it: what /data/quarantine?batchId= takes. */
  id: regionId('批次'),
  etlRunId: z.string().nullable(),
  regionCode,
  regionName: z.string().nullable(),
  businessDate: isoDate,
  source: z.string(),
  /** The folder or source name; null for roles that may not see server paths. */
  location: z.string().nullable(),
  contentHash: z.string().nullable(),
  /** The bundle's _manifest.json as delivered, if it had one. */
  manifest: z.unknown(),
  status: z.enum(['loading', 'committed', 'rejected']),
  /** Why a bundle was rejected: a stable code (etl/src/codes.ts) and the Chinese text. */
  rejectCode: z.string().nullable(),
  rejectReason: z.string().nullable(),
  receivedAt: isoInstant,
  committedAt: isoInstant.nullable(),
  files: z.array(BatchFile),
});
export type Batch = z.infer<typeof Batch>;

export const FeedStatus = z.strictObject({
  regionCode,
  regionName: z.string(),
  feed: z.string(),
  title: z.string().optional(),
  latestBusinessDate: isoDate.nullable(),
  lastBatchId: z.string().nullable(),
  lastLoadedAt: isoInstant.nullable(),
  lastRowsRead: z.number().int(),
  lastRowsLoaded: z.number().int(),
  lastRowsQuarantined: z.number().int(),
  quarantinedTotal: z.number().int(),
  /** Rows and control total in the feed's table now. */
  tableRows: z.number().int(),
  tableAmountSum: money.nullable(),
});
export type FeedStatus = z.infer<typeof FeedStatus>;

export const Freshness = z.strictObject({
  regionCode,
  regionName: z.string(),
  feed: z.string(),
  latestBusinessDate: isoDate.nullable(),
  lastLoadedAt: isoInstant.nullable(),
  /** Days from the latest business date to the expected one (T+1); null = never delivered. */
  daysBehind: z.number().int().nullable(),
});
export type Freshness = z.infer<typeof Freshness>;

export const FreshnessMeta = z.strictObject({ today: isoDate, expectedBusinessDate: isoDate, dataAsOf: isoDate.nullable() });
export type FreshnessMeta = z.infer<typeof FreshnessMeta>;

/** A row the loader would not take: file, line, column, reason (code and text), the row as read. */
export const QuarantineRow = z.strictObject({
  id: z.string(),
  /** The batch's public id, region and id (`411100-42`). */
  batchId: regionId('批次'),
  regionCode,
  businessDate: isoDate,
  feed: z.string(),
  fileName: z.string(),
  lineNo: z.number().int(),
  columnName: z.string().nullable(),
  reasonCode: z.string().nullable(),
  reason: z.string(),
  /** The row as read (payee accounts masked for deputies). */
  raw: z.record(z.string(), z.unknown()),
  createdAt: isoInstant,
});
export type QuarantineRow = z.infer<typeof QuarantineRow>;

export const QuarantineMeta = offsetMeta.extend({ total: z.number().int() });
export type QuarantineMeta = z.infer<typeof QuarantineMeta>;

/** One file of a bundle as the loader reports it after loading it. */
export const LoadedFile = z.strictObject({
  feed: z.string(),
  fileName: z.string(),
  encoding: z.string(),
  rowsRead: z.number().int(),
  /** Inserted + updated. */
  rowsLoaded: z.number().int(),
  inserted: z.number().int(),
  updated: z.number().int(),
  unchanged: z.number().int(),
  quarantined: z.number().int(),
  amountSum: money.nullable(),
  removed: z.number().int(),
  keptReferenced: z.number().int(),
  direct: z.boolean(),
  stageSeconds: z.number(),
  mergeSeconds: z.number(),
});

/** One bundle as the loader reports it (staff and admins only: `dir` is a server path). */
export const LoadedBundle = z.strictObject({
  regionCode,
  businessDate: isoDate,
  dir: z.string(),
  /** unchanged = this exact delivery was loaded (or rejected) before: nothing done. */
  outcome: z.enum(['committed', 'rejected', 'unchanged']),
  batchId: z.string().nullable(),
  /** Why it was rejected or not loaded again: a stable code and the Chinese text; null when committed. */
  code: z.string().nullable(),
  reason: z.string().nullable(),
  files: z.array(LoadedFile),
  ignoredFiles: z.array(z.string()),
  rowsRead: z.number().int(),
  rowsLoaded: z.number().int(),
  rowsQuarantined: z.number().int(),
  seconds: z.number(),
});

/** A re-run of one region's date: the run, its bundles' results, the post-load hooks' errors. */
export const Rerun = z.strictObject({
  runId: z.string(),
  results: z.array(LoadedBundle),
  postLoadErrors: z.array(z.string()),
});
export type Rerun = z.infer<typeof Rerun>;

export const dataResponses = {
  'GET /data/runs': z.strictObject({ data: z.array(EtlRun), meta: offsetMeta }),
  'GET /data/batches': z.strictObject({ data: z.array(Batch), meta: offsetMeta }),
  'GET /data/feeds': envelope(z.array(FeedStatus)),
  'GET /data/freshness': z.strictObject({ data: z.array(Freshness), meta: FreshnessMeta }),
  'GET /data/quarantine': z.strictObject({ data: z.array(QuarantineRow), meta: QuarantineMeta }),
  'POST /data/rerun': envelope(Rerun),
};
