import type { Knex } from 'knex';
import { createError, ErrorCode } from '../../errors.js';
import type { ManagedUser } from './contract.js';

/** A user as an admin manages it (the contract's ManagedUser). */
export type UserView = ManagedUser;

const COLUMNS = [
  'u.id', 'u.username', 'u.display_name', 'u.role', 'u.region_code', 'r.name as region_name', 'u.active',
  'u.created_at', 'u.password_changed_at', 'u.must_change_password', 'u.last_login_at',
];

type Row = Record<string, unknown>;
const toView = (r: Row, agencies: UserView['agencies'] = []): UserView => ({
  id: String(r.id),
  username: r.username as string,
  displayName: r.display_name as string,
  role: r.role as ManagedUser['role'],
  regionCode: r.region_code as string,
  regionName: r.region_name as string,
  active: r.active as boolean,
  createdAt: new Date(r.created_at as string).toISOString(),
  passwordChangedAt: r.password_changed_at ? new Date(r.password_changed_at as string).toISOString() : null,
  mustChangePassword: r.must_change_password as boolean,
  lastLoginAt: r.last_login_at ? new Date(r.last_login_at as string).toISOString() : null,
  agencies,
});

/** The agencies each of `userIds` is bound to, with names from the agencies feed. */
async function agenciesOf(knex: Knex, userIds: string[]) {
  const rows = await knex('user_agencies as ua')
    .leftJoin('agencies as g', function () {
      this.on('g.region_code', 'ua.region_code').andOn('g.agency_code', 'ua.agency_code');
    })
    .whereIn('ua.user_id', userIds)
    .orderBy('ua.agency_code')
    .select('ua.user_id', 'ua.agency_code', 'g.agency_name');
  const by = new Map<string, UserView['agencies']>();
  for (const r of rows) by.set(String(r.user_id), [...(by.get(String(r.user_id)) ?? []), { code: r.agency_code, name: r.agency_name ?? null }]);
  return by;
}

/**
 * Bind a liaison to `codes` of its region (replacing what it had); 400 naming the first code
 * that is not an agency there.
 */
export async function setUserAgencies(knex: Knex, userId: string, regionCode: string, codes: string[]): Promise<void> {
  const known = new Set<string>(await knex('agencies').where({ region_code: regionCode }).whereIn('agency_code', codes).pluck('agency_code'));
  const unknown = codes.find((c) => !known.has(c));
  if (unknown) throw createError(ErrorCode.VALIDATION, `字段 agencyCodes: 单位 ${unknown} 在地区 ${regionCode} 不存在`, 400);
  await knex('user_agencies').where({ user_id: userId }).delete();
  if (codes.length) await knex('user_agencies').insert([...new Set(codes)].map((c) => ({ user_id: userId, region_code: regionCode, agency_code: c })));
}

export async function listUsers(knex: Knex, regionCodes: string[], f: { role?: string; active?: boolean }): Promise<UserView[]> {
  const q = knex('users as u').join('regions as r', 'r.code', 'u.region_code').whereIn('u.region_code', regionCodes).select(COLUMNS).orderBy('u.id');
  if (f.role) q.andWhere('u.role', f.role);
  if (f.active !== undefined) q.andWhere('u.active', f.active);
  const rows = await q;
  const agencies = await agenciesOf(knex, rows.map((r) => String(r.id)));
  return rows.map((r) => toView(r, agencies.get(String(r.id))));
}

export async function getUser(knex: Knex, id: string): Promise<UserView | undefined> {
  const row = await knex('users as u').join('regions as r', 'r.code', 'u.region_code').where('u.id', id).first(COLUMNS);
  return row ? toView(row, (await agenciesOf(knex, [id])).get(id)) : undefined;
}

export async function insertUser(
  knex: Knex,
  u: { username: string; displayName: string; passwordHash: string; role: string; regionCode: string; mustChangePassword: boolean },
): Promise<string> {
  const [row] = await knex('users')
    .insert({
      username: u.username, display_name: u.displayName, password_hash: u.passwordHash, role: u.role, region_code: u.regionCode,
      must_change_password: u.mustChangePassword,
    })
    .returning('id');
  return String(row.id);
}

export async function updateUser(
  knex: Knex,
  id: string,
  patch: { displayName?: string; role?: string; regionCode?: string; active?: boolean },
): Promise<void> {
  const cols: Record<string, unknown> = {};
  if (patch.displayName !== undefined) cols.display_name = patch.displayName;
  if (patch.role !== undefined) cols.role = patch.role;
  if (patch.regionCode !== undefined) cols.region_code = patch.regionCode;
  if (patch.active !== undefined) cols.active = patch.active;
  await knex('users').where({ id }).update(cols);
}
