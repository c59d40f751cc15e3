import type { Knex } from 'knex';
import { hashToken } from '../../middleware/auth.js';

export interface LoginCodeRow {
  id: string;
  kind: 'enrol' | 'screen';
  user_id: string | null;
  device_name: string | null;
  ip: string | null;
  created_at: Date;
  expires_at: Date;
  confirmed_at: Date | null;
  denied_at: Date | null;
  used_at: Date | null;
}

export interface NewCode {
  kind: 'enrol' | 'screen';
  token: string;
  ttlMs: number;
  userId?: string;
  issuedBy?: string;
  pollSecret?: string;
  deviceName?: string;
  ip?: string;
  userAgent?: string;
}

export async function insertLoginCode(knex: Knex, c: NewCode): Promise<{ id: string; expiresAt: Date }> {
  const expiresAt = new Date(Date.now() + c.ttlMs);
  const [row] = await knex('login_codes')
    .insert({
      kind: c.kind,
      token_hash: hashToken(c.token),
      user_id: c.userId ?? null,
      issued_by: c.issuedBy ?? null,
      poll_hash: c.pollSecret ? hashToken(c.pollSecret) : null,
      device_name: c.deviceName ?? null,
      ip: c.ip ?? null,
      user_agent: c.userAgent ?? null,
      expires_at: expiresAt,
    })
    .returning<{ id: string }[]>('id');
  return { id: String(row!.id), expiresAt };
}

export const codeByToken = (knex: Knex, kind: 'enrol' | 'screen', token: string) =>
  knex('login_codes').where({ kind, token_hash: hashToken(token) }).first<LoginCodeRow | undefined>();

export const codeByPollSecret = (knex: Knex, secret: string) =>
  knex('login_codes').where({ kind: 'screen', poll_hash: hashToken(secret) }).first<LoginCodeRow | undefined>();

/**
 * Use an enrolment code once: the one UPDATE that finds it unused and unexpired wins, so two
 * phones racing with the same code get one session between them.
 */
export async function consumeEnrolCode(knex: Knex, token: string, at: { ip?: string; userAgent?: string; deviceName: string }): Promise<string | undefined> {
  const [row] = await knex('login_codes')
    .where({ kind: 'enrol', token_hash: hashToken(token) })
    .whereNull('used_at')
    .andWhere('expires_at', '>', knex.fn.now())
    .update({ used_at: knex.fn.now(), device_name: at.deviceName, ip: at.ip ?? null, user_agent: at.userAgent ?? null })
    .returning<{ user_id: string }[]>('user_id');
  return row ? String(row.user_id) : undefined;
}

/** A phone's yes or no to a pending screen request; undefined when it is no longer pending. */
export async function decideScreen(knex: Knex, token: string, userId: string, approve: boolean): Promise<{ device_name: string } | undefined> {
  const [row] = await knex('login_codes')
    .where({ kind: 'screen', token_hash: hashToken(token) })
    .whereNull('confirmed_at')
    .whereNull('denied_at')
    .whereNull('used_at')
    .andWhere('expires_at', '>', knex.fn.now())
    .update(approve ? { user_id: userId, confirmed_at: knex.fn.now() } : { user_id: userId, denied_at: knex.fn.now() })
    .returning<{ device_name: string }[]>('device_name');
  return row;
}

/**
 * The screen collects its confirmed login once, within `graceMs` after the QR expired (the
 * phone may confirm in the QR's last second).
 */
export async function collectScreen(knex: Knex, id: string, graceMs: number): Promise<string | undefined> {
  const [row] = await knex('login_codes')
    .where({ id, kind: 'screen' })
    .whereNotNull('confirmed_at')
    .whereNull('used_at')
    .andWhere('expires_at', '>', knex.raw(`now() - ?::interval`, [`${Math.round(graceMs / 1000)} seconds`]))
    .update({ used_at: knex.fn.now() })
    .returning<{ user_id: string }[]>('user_id');
  return row ? String(row.user_id) : undefined;
}

export interface SessionRow {
  id: string;
  kind: 'password' | 'device' | 'screen';
  device_name: string | null;
  ip: string | null;
  created_at: Date;
  expires_at: Date;
  token_hash: string;
}

/** A user's live sessions, newest first. */
export const liveSessions = (knex: Knex, userId: string) =>
  knex('sessions')
    .where({ user_id: userId })
    .andWhere('expires_at', '>', knex.fn.now())
    .orderBy('created_at', 'desc')
    .select<SessionRow[]>('id', 'kind', 'device_name', 'ip', 'created_at', 'expires_at', 'token_hash');

/** End one session of one user; 0 when it is not theirs (or gone). */
export const deleteUserSession = (knex: Knex, userId: string, sessionId: string) => knex('sessions').where({ user_id: userId, id: sessionId }).delete();

/** Expired codes a day old are dead weight; pruned as new ones are made. */
export const pruneCodes = (knex: Knex) => knex('login_codes').where('expires_at', '<', knex.raw(`now() - interval '1 day'`)).delete();

export interface EnrollableRow {
  id: string;
  username: string;
  display_name: string;
  role: string;
  region_code: string;
  region_name: string;
  active: boolean;
  last_login_at: Date | null;
  devices: number;
}

/** Users of `regionCodes` (of `role` when given) with their live scan-enrolled or screen sessions counted. */
export const enrollableUsers = (knex: Knex, regionCodes: string[], role?: string) => {
  const q = knex('users as u')
    .join('regions as r', 'r.code', 'u.region_code')
    .whereIn('u.region_code', regionCodes)
    .orderBy(['u.region_code', 'u.id'])
    .select<EnrollableRow[]>(
      'u.id', 'u.username', 'u.display_name', 'u.role', 'u.region_code', 'r.name as region_name', 'u.active', 'u.last_login_at',
      knex.raw(`(select count(*)::int from sessions s where s.user_id = u.id and s.kind <> 'password' and s.expires_at > now()) as devices`),
    );
  if (role) q.andWhere('u.role', role);
  return q;
};
