import { AsyncLocalStorage } from 'node:async_hooks';
import type { RequestHandler } from 'express';
import type { Knex } from 'knex';

/**
 * Where a query goes when a hot-standby replica is configured (DATABASE_READ_URL). This module
 * is the one place that decides it:
 *   - a request's method picks the target (`targetForMethod`): GET and HEAD read from the
 *     replica, everything else runs on the primary;
 *   - code inside a read request that must see the primary's latest state says so with
 *     `onPrimary` (the session lookup: a session created a moment ago, or revoked a moment
 *     ago, must not depend on replication lag; the response cache's version);
 *   - the ETL, the scheduler, migrations and start-up get the primary itself, never the
 *     routed handle.
 * Without a replica there is no routing: the app gets the primary's handle unchanged.
 */
export type DbTarget = 'primary' | 'replica';

const target = new AsyncLocalStorage<DbTarget>();

/** GET and HEAD change nothing (the deputy matrix and the read-only crawl test hold every route to it). */
export const targetForMethod = (method: string): DbTarget => (method === 'GET' || method === 'HEAD' ? 'replica' : 'primary');

/** The target of the code running now: the request's, else the primary (jobs, start-up, tests' own queries). */
export const currentTarget = (): DbTarget => target.getStore() ?? 'primary';

/** Run `fn` (and every query it builds, however deep) against `to`. */
export const runOn = <T>(to: DbTarget, fn: () => T): T => target.run(to, fn);

/** Run `fn` against the primary, whatever the request's method. */
export const onPrimary = <T>(fn: () => T): T => target.run('primary', fn);

/** Cookie a write's answer sets: the browser's reads stay on the primary while it lives. */
export const RECENT_WRITE_COOKIE = 'bw_wrote';
/** Long enough for any healthy replica to replay the write; short enough to keep reads off the primary. */
export const RECENT_WRITE_MS = 10_000;

/**
 * Express middleware: the rest of the request runs on its method's target. A browser that wrote
 * in the last RECENT_WRITE_MS reads from the primary (read-your-writes: the list it reloads
 * after saving shows what it saved, whatever the replica's lag). Mounted after the body and
 * cookie parsers, so the context it opens is the one the routes' handlers inherit.
 */
export const routeByMethod: RequestHandler = (req, res, next) => {
  let to = targetForMethod(req.method);
  if (to === 'primary') {
    res.cookie(RECENT_WRITE_COOKIE, '1', { httpOnly: true, sameSite: 'lax', secure: req.secure, path: '/', maxAge: RECENT_WRITE_MS });
  } else if ((req.cookies as Record<string, string> | undefined)?.[RECENT_WRITE_COOKIE]) {
    to = 'primary';
  }
  target.run(to, next);
};

/**
 * One knex handle that sends each query to the primary or the replica, chosen when the query
 * is built (`knex('t')`, `knex.raw`, `knex.transaction`, …) from `currentTarget()`. A query
 * builder keeps the client it was built with, so a request's queries stay on one side even
 * when awaited later.
 */
export function routedKnex(primary: Knex, replica: Knex): Knex {
  const pick = () => (currentTarget() === 'replica' ? replica : primary);
  return new Proxy(primary, {
    apply: (_t, _this, args: unknown[]) => (pick() as unknown as (...a: unknown[]) => unknown)(...args),
    get: (_t, prop) => {
      const k = pick();
      const value: unknown = Reflect.get(k, prop, k);
      return typeof value === 'function' ? value.bind(k) : value;
    },
    has: (_t, prop) => Reflect.has(pick(), prop),
  });
}

/** The handles the app is built from: the primary, and the replica when there is one. */
export interface DbHandles {
  primary: Knex;
  replica?: Knex | undefined;
}

/** The handle routes use: routed when there is a replica, else the primary itself. */
export const appKnex = ({ primary, replica }: DbHandles): Knex => (replica ? routedKnex(primary, replica) : primary);

/** Whether `knex` currently resolves to a different server than `primary` (a read on the replica). */
export const readsFromReplica = (handles: DbHandles): boolean => Boolean(handles.replica) && currentTarget() === 'replica';
