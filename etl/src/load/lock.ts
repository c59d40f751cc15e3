import type { Knex } from 'knex';
import type { PoolClient } from 'pg';

/**
 * PostgreSQL advisory locks, so two app instances (or an app and a CLI) never load at once.
 * RUN: held for a whole run (nightly, CLI load, rerun) on a dedicated session.
 * BUNDLE: taken inside each bundle's transaction, so even a bare loadBundle() serialises.
 * Distinct keys: a process holding RUN must still be able to take BUNDLE on another session.
 */
export const RUN_LOCK_KEY = 4_114_001;
export const BUNDLE_LOCK_KEY = 4_114_002;

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
