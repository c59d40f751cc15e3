import type { Knex } from 'knex';
import { FEEDS } from './feeds/index.js';
import type { BatchRef } from './post-load.js';

/**
 * What the Data page and `etl status` show: runs, batches, per-feed freshness, control
 * totals and quarantined rows. Every function takes the knex handle first and an optional
 * list of visible regions (a user sees its region and those below).
 */

export interface FeedFreshness {
  regionCode: string;
  regionName: string;
  feed: string;
  /** Latest business date of a committed batch that carried this feed. */
  latestBusinessDate: string | null;
  lastBatchId: string | null;
  lastLoadedAt: string | null;
  lastRowsRead: number;
  lastRowsLoaded: number;
  lastRowsQuarantined: number;
  quarantinedTotal: number;
}

export async function feedFreshness(knex: Knex, regionCodes?: string[]): Promise<FeedFreshness[]> {
  const { rows } = await knex.raw(
    `select r.code as region_code, r.name as region_name, f.feed,
            last.business_date, last.batch_id, last.committed_at, last.rows_read, last.rows_loaded, last.rows_quarantined,
            coalesce(q.total, 0)::int as quarantined_total
       from regions r
       cross join unnest(?::text[]) as f(feed)
       left join lateral (
         select b.business_date, b.id as batch_id, b.committed_at, bf.rows_read, bf.rows_loaded, bf.rows_quarantined
           from batches b join batch_files bf on bf.region_code = b.region_code and bf.batch_id = b.id
          where b.region_code = r.code and b.status = 'committed' and bf.feed = f.feed
            -- A file whose every row was quarantined delivered nothing: it does not count as loaded.
            and (bf.rows_read = 0 or bf.rows_quarantined < bf.rows_read)
          order by b.business_date desc, b.id desc limit 1) last on true
       left join lateral (
         select sum(bf.rows_quarantined) as total from batches b join batch_files bf on bf.region_code = b.region_code and bf.batch_id = b.id
          where b.region_code = r.code and b.status = 'committed' and bf.feed = f.feed) q on true
      where (?::text[] is null or r.code = any(?::text[]))
        and exists (select 1 from batches b where b.region_code = r.code)
      order by r.code, array_position(?::text[], f.feed)`,
    [FEEDS.map((f) => f.name), regionCodes ?? null, regionCodes ?? null, FEEDS.map((f) => f.name)],
  );
  return (rows as Record<string, unknown>[]).map((r) => ({
    regionCode: r.region_code as string,
    regionName: r.region_name as string,
    feed: r.feed as string,
    latestBusinessDate: (r.business_date as string) ?? null,
    lastBatchId: r.batch_id ? String(r.batch_id) : null,
    lastLoadedAt: r.committed_at ? new Date(r.committed_at as string).toISOString() : null,
    lastRowsRead: (r.rows_read as number) ?? 0,
    lastRowsLoaded: (r.rows_loaded as number) ?? 0,
    lastRowsQuarantined: (r.rows_quarantined as number) ?? 0,
    quarantinedTotal: r.quarantined_total as number,
  }));
}

export interface FeedTotals {
  regionCode: string;
  feed: string;
  rows: number;
  /** Exact sum of the feed's control amount column in the table now; null for feeds without one. */
  amountSum: string | null;
}

/**
 * Rows and control totals per region × feed as held in the feed tables now — read from
 * feed_totals, which each bundle's transaction keeps (merge.ts, updateFeedTotals), not counted.
 */
export async function feedTotals(knex: Knex, regionCodes?: string[]): Promise<FeedTotals[]> {
  const q = knex('feed_totals')
    .select('region_code', 'feed', 'rows', knex.raw('amount_sum::numeric(20,2)::text as amount_sum'))
    .where('rows', '>', 0)
    .whereIn('feed', FEEDS.map((f) => f.name));
  if (regionCodes) q.whereIn('region_code', regionCodes);
  const order = new Map(FEEDS.map((f, i) => [f.name, i]));
  const rows = (await q) as { region_code: string; feed: string; rows: string; amount_sum: string | null }[];
  return rows
    .map((r) => ({ regionCode: r.region_code, feed: r.feed, rows: Number(r.rows), amountSum: r.amount_sum }))
    .sort((a, b) => order.get(a.feed)! - order.get(b.feed)! || a.regionCode.localeCompare(b.regionCode));
}

export async function listRuns(knex: Knex, opts: { limit: number; offset: number; regionCodes?: string[] }) {
  const q = knex('etl_runs')
    .select('id', 'trigger', 'region_code', 'business_date', 'status', 'summary', 'error', 'started_by', 'started_at', 'finished_at')
    .orderBy('id', 'desc')
    .limit(opts.limit)
    .offset(opts.offset);
  if (opts.regionCodes) q.where((w) => w.whereNull('region_code').orWhereIn('region_code', opts.regionCodes!));
  return q;
}

export async function listBatches(knex: Knex, opts: { limit: number; offset: number; regionCodes?: string[]; status?: string; regionCode?: string }) {
  const q = knex('batches as b')
    .leftJoin('regions as r', 'r.code', 'b.region_code')
    .select('b.id', 'b.etl_run_id', 'b.region_code', 'r.name as region_name', 'b.business_date', 'b.source', 'b.location', 'b.content_hash',
      'b.manifest', 'b.status', 'b.reject_code', 'b.reject_reason', 'b.received_at', 'b.committed_at')
    .orderBy('b.id', 'desc')
    .limit(opts.limit)
    .offset(opts.offset);
  if (opts.regionCodes) q.whereIn('b.region_code', opts.regionCodes);
  if (opts.regionCode) q.where('b.region_code', opts.regionCode);
  if (opts.status) q.where('b.status', opts.status);
  const batches = await q;
  const files = batches.length
    ? await knex('batch_files').whereIn(['region_code', 'batch_id'], batches.map((b) => [b.region_code, b.id])).orderBy('id')
    : [];
  return batches.map((b) => ({ ...b, files: files.filter((f) => f.region_code === b.region_code && f.batch_id === b.id) }));
}

export async function listQuarantine(
  knex: Knex,
  opts: { limit: number; offset: number; regionCodes?: string[]; batch?: BatchRef; feed?: string; regionCode?: string },
) {
  const q = knex('quarantine as q')
    .join('batches as b', (j) => j.on('b.region_code', 'q.region_code').andOn('b.id', 'q.batch_id'))
    .select('q.id', 'q.batch_id', 'b.region_code', 'b.business_date', 'q.feed', 'q.file_name', 'q.line_no', 'q.column_name', 'q.reason_code', 'q.reason', 'q.raw', 'q.created_at');
  if (opts.regionCodes) q.whereIn('b.region_code', opts.regionCodes);
  if (opts.regionCode) q.where('b.region_code', opts.regionCode);
  if (opts.batch) q.where({ 'q.region_code': opts.batch.regionCode, 'q.batch_id': opts.batch.id });
  if (opts.feed) q.where('q.feed', opts.feed);
  const [{ total }] = await q.clone().clearSelect().count({ total: '*' });
  const rows = await q.orderBy([{ column: 'q.batch_id', order: 'desc' }, { column: 'q.feed' }, { column: 'q.line_no' }]).limit(opts.limit).offset(opts.offset);
  return { rows, total: Number(total) };
}
