import type { Knex } from 'knex';
import { hashToken } from '../../middleware/auth.js';

export interface UserRow {
  id: string;
  username: string;
  display_name: string;
  password_hash: string;
  role: string;
  region_code: string;
  active: boolean;
}

export const findUserByUsername = (knex: Knex, username: string) =>
  knex('users').where({ username }).first<UserRow | undefined>();

export const findUserById = (knex: Knex, id: string) => knex('users').where({ id }).first<UserRow | undefined>();

/** How a session began and on what (a phone enrolled by a login code, a screen confirmed from one). */
export interface SessionOrigin {
  kind: 'password' | 'device' | 'screen';
  deviceName?: string | null;
  ip?: string | null;
  userAgent?: string | null;
}

export async function createSession(knex: Knex, userId: string, token: string, ttlHours: number, origin?: SessionOrigin): Promise<Date> {
  const expiresAt = new Date(Date.now() + ttlHours * 3600_000);
  await knex('sessions').insert({
    token_hash: hashToken(token), user_id: userId, expires_at: expiresAt,
    ...(origin ? { kind: origin.kind, device_name: origin.deviceName ?? null, ip: origin.ip ?? null, user_agent: origin.userAgent ?? null } : {}),
  });
  // Expired sessions are dead weight; prune this user's while we are here.
  await knex('sessions').where({ user_id: userId }).andWhere('expires_at', '<=', knex.fn.now()).delete();
  await knex('users').where({ id: userId }).update({ last_login_at: knex.fn.now() });
  return expiresAt;
}

export const deleteSession = (knex: Knex, token: string) => knex('sessions').where({ token_hash: hashToken(token) }).delete();

/** Drop every session of a user except (optionally) the one given: after a password change or deactivation. */
export function deleteUserSessions(knex: Knex, userId: string, exceptToken?: string) {
  const q = knex('sessions').where({ user_id: userId });
  if (exceptToken) q.andWhereNot({ token_hash: hashToken(exceptToken) });
  return q.delete();
}

/** A new password hash; `mustChange` when an admin set it (the owner replaces it at first login). */
export const setPassword = (knex: Knex, userId: string, passwordHash: string, o: { mustChange: boolean }) =>
  knex('users').where({ id: userId }).update({ password_hash: passwordHash, password_changed_at: knex.fn.now(), must_change_password: o.mustChange });

/** A region as the table has it; the signed-in answer sends it through wire.ts. */
export interface RegionRow {
  code: string;
  name: string;
  level: string;
  parent_code: string | null;
}

export const regionsByCodes = (knex: Knex, codes: string[]) =>
  knex('regions').whereIn('code', codes).orderBy('code').select<RegionRow[]>(
    'code',
    'name',
    'level',
    'parent_code',
  );
