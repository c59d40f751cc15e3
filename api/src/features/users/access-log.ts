import type { Knex } from 'knex';
import type { AccessEntry, AccessOutcome } from './contract.js';

export type { AccessOutcome };

/** One login attempt, written by the login route (refused-by-limiter attempts are not: a flood would fill the table). */
export async function recordAccess(
  knex: Knex,
  a: { username: string; user?: { id: string | number; region_code: string }; ip?: string; userAgent?: string; outcome: AccessOutcome },
): Promise<void> {
  await knex('access_log').insert({
    username: a.username.slice(0, 100),
    user_id: a.user?.id ?? null,
    region_code: a.user?.region_code ?? null,
    ip: a.ip ?? null,
    user_agent: a.userAgent?.slice(0, 300) ?? null,
    outcome: a.outcome,
  });
}

export interface AccessLogFilter {
  username?: string;
  failedOnly?: boolean;
  page: number;
  pageSize: number;
}

/**
 * Attempts on accounts of `regionCodes`, newest first. Attempts on names that match no account
 * belong to no region; `withUnknown` (an admin of a top-level region) sees those too.
 */
export async function listAccessLog(knex: Knex, regionCodes: string[], withUnknown: boolean, f: AccessLogFilter) {
  const q = knex('access_log as l').where((w) => {
    w.whereIn('l.region_code', regionCodes);
    if (withUnknown) w.orWhereNull('l.region_code');
  });
  if (f.username) q.andWhere('l.username', f.username);
  if (f.failedOnly) q.andWhereNot('l.outcome', 'success');
  const [{ n }] = await q.clone().count({ n: '*' });
  const rows = await q
    .clone()
    .leftJoin('users as u', 'u.id', 'l.user_id')
    .leftJoin('regions as r', 'r.code', 'l.region_code')
    .select('l.*', 'u.display_name', 'r.name as region_name')
    .orderBy('l.at', 'desc')
    .orderBy('l.id', 'desc')
    .limit(f.pageSize)
    .offset((f.page - 1) * f.pageSize);
  return {
    total: Number(n),
    rows: rows.map((r): AccessEntry => ({
      id: String(r.id),
      at: new Date(r.at).toISOString(),
      username: r.username as string,
      displayName: (r.display_name as string | null) ?? null,
      regionCode: (r.region_code as string | null) ?? null,
      regionName: (r.region_name as string | null) ?? null,
      ip: (r.ip as string | null) ?? null,
      userAgent: (r.user_agent as string | null) ?? null,
      outcome: r.outcome as AccessOutcome,
    })),
  };
}
