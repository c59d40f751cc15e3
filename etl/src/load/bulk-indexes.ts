import type { PoolClient } from 'pg';
import type { FeedDef } from '../feeds/index.js';

/** Rows of a delivery from which a bulk load may drop and rebuild the table's secondary indexes. */
export const BULK_ROWS = 50_000;

interface IndexDef {
  name: string;
  def: string;
}

/**
 * Maintaining six B-tree indexes row by row costs ~5× the insert itself (measured: 200k
 * vouchers 4.7 s with them, 0.45 s without); a sorted rebuild is far cheaper when the
 * delivery is a large share of the table. Drop and rebuild happen inside the bundle's
 * transaction, so a crash leaves the indexes as they were; readers of the table wait for
 * the commit meanwhile. The primary key stays: the merge's joins and ON CONFLICT need it.
 *
 * Returns the rebuild to run once the rows are in (a no-op when nothing was dropped).
 */
export async function dropIndexesForBulk(client: PoolClient, feed: FeedDef, rows: number): Promise<() => Promise<void>> {
  const dropped = await secondaryIndexesToRebuild(client, feed, rows);
  for (const ix of dropped) await client.query(`drop index "${ix.name}"`);
  return async () => {
    if (!dropped.length) return;
    // One parallel worker beside the leader: two sorting processes for two cores (measured on
    // 1M vouchers, all six indexes: 1 worker 6.6 s, the default 2 workers 7.5 s, none 13 s).
    // CREATE INDEX also refreshes pg_class.reltuples, which the rules and aggregates that run
    // next plan on.
    await client.query(`set local maintenance_work_mem = '256MB'`);
    await client.query('set local max_parallel_maintenance_workers = 1');
    for (const ix of dropped) await client.query(ix.def);
  };
}

async function secondaryIndexesToRebuild(client: PoolClient, feed: FeedDef, rows: number): Promise<IndexDef[]> {
  if (rows < BULK_ROWS) return [];
  const { rows: est } = await client.query(`select greatest(reltuples, 0)::bigint as n, relkind from pg_class where oid = $1::regclass`, [feed.table]);
  // A partitioned table's indexes span every region: a region's first delivery builds its own
  // partition's instead (region-partition.ts); a later large one maintains them row by row.
  if (est[0].relkind === 'p') return [];
  // Only when the delivery at least doubles the table: a rebuild sorts every row already
  // there, which for a smaller delivery costs more than maintaining the indexes (measured
  // about equal when loading into an empty table).
  if (rows < Number(est[0].n)) return [];
  const { rows: defs } = await client.query<IndexDef>(
    `select c.relname as name, pg_get_indexdef(x.indexrelid) as def
       from pg_index x join pg_class c on c.oid = x.indexrelid
      where x.indrelid = $1::regclass and not x.indisunique and not x.indisprimary`,
    [feed.table],
  );
  return defs;
}
