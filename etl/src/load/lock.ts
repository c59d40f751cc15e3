import type { Knex } from 'knex';
import type { PoolClient } from 'pg';

/**
 * PostgreSQL advisory locks, so two app instances (or an app and a CLI) never run at once and
 * no two bundles of one region load at once.
 * RUN: held for a whole run (nightly, CLI load, rerun) on a dedicated session.
 * BUNDLE: taken inside each bundle's transaction, so even a bare loadBundle() is covered:
 *   per region exclusive (BUNDLE_REGION_LOCK_KEY, region code) — a run loads different
 *   regions in parallel (BW_PARALLEL) — and on BUNDLE_LOCK_KEY shared, or exclusive for a
 *   bundle that changes a table every region shares (lockBundle).
 * ATTACH: a region's very first delivery holds BUNDLE shared, so its read, validation, COPY
 *   into its fresh partition table and that table's index builds run beside the other
 *   regions' bundles; only attaching the partition is one bundle at a time
 *   (PARTITION_ATTACH_LOCK_KEY exclusive, lockPartitionAttach).
 * Distinct keys: a process holding RUN must still be able to take BUNDLE on another session.
 * Order, in every bundle: BUNDLE, then the region's, then ATTACH — no cycle among them.
 */
export const RUN_LOCK_KEY = 4_114_001;
export const BUNDLE_LOCK_KEY = 4_114_002;
export const BUNDLE_REGION_LOCK_KEY = 4_114_003;
export const PARTITION_ATTACH_LOCK_KEY = 4_114_004;

/**
 * The bundle locks, first thing in its transaction (the global one before the region's, in
 * every bundle: no deadlock between them). `exclusive`: the bundle may create or attach the
 * region's partition or drop and rebuild a shared table's indexes — DDL that takes ACCESS
 * EXCLUSIVE on a table the other regions' bundles are writing, which two such bundles at once
 * would deadlock on; it then waits for the bundles in flight and runs alone.
 */
export async function lockBundle(client: PoolClient, regionCode: string, exclusive: boolean): Promise<void> {
  await client.query(`select ${exclusive ? 'pg_advisory_xact_lock' : 'pg_advisory_xact_lock_shared'}($1)`, [BUNDLE_LOCK_KEY]);
  // Region codes are validated 6-digit numbers before a bundle's transaction starts.
  await client.query('select pg_advisory_xact_lock($1, $2::int)', [BUNDLE_REGION_LOCK_KEY, Number(regionCode)]);
}

/**
 * Taken (until the transaction ends) right before attaching a region's partition of
 * payment_vouchers or payee_names. ATTACH takes ACCESS EXCLUSIVE on the parent's default
 * partition and SHARE UPDATE EXCLUSIVE on the parent, which two ATTACHes at once, or an ATTACH
 * and a bundle that read the default partition and then waits here, would deadlock on. So a
 * bundle that takes this lock touches neither default partition before it (load-bundle.ts:
 * only a region that holds no row of any feed loads this way, every file of it straight into
 * its table), and the holder waits only for bundles that never wait for it. A bundle holding
 * BUNDLE_LOCK_KEY exclusive takes it too, uncontended.
 */
export async function lockPartitionAttach(sql: (text: string) => Promise<unknown>): Promise<void> {
  await sql(`select pg_advisory_xact_lock(${PARTITION_ATTACH_LOCK_KEY})`);
}

export class LoaderBusy extends Error {
  constructor() {
    super('另一个装载任务正在进行（数据库咨询锁被占用）');
  }
}

/**
 * Run `fn` while holding the run lock. `wait: false` gives up at once (nightly tick, API
 * re-run) instead of queueing behind the running load.
 */
export async function withRunLock<T>(knex: Knex, opts: { wait: boolean }, fn: () => Promise<T>): Promise<T> {
  const conn = (await knex.client.acquireConnection()) as PoolClient;
  try {
    if (opts.wait) {
      await conn.query('select pg_advisory_lock($1)', [RUN_LOCK_KEY]);
    } else {
      const { rows } = await conn.query('select pg_try_advisory_lock($1) as ok', [RUN_LOCK_KEY]);
      if (!rows[0].ok) throw new LoaderBusy();
    }
    try {
      return await fn();
    } finally {
      await conn.query('select pg_advisory_unlock($1)', [RUN_LOCK_KEY]).catch(() => {});
    }
  } finally {
    await knex.client.releaseConnection(conn);
  }
}
