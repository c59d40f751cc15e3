import { hash } from '@node-rs/argon2';
import type { Knex } from 'knex';

/** The three demo logins printed by `npm start`. */
export const DEMO_USERS = [
  { username: 'staff', password: 'Staff@2026', role: 'staff', display_name: '预工委 王敏', region_code: '411100' },
  { username: 'deputy', password: 'Deputy@2026', role: 'deputy', display_name: '人大代表 李华', region_code: '411100' },
  { username: 'admin', password: 'Admin@2026', role: 'admin', display_name: '系统管理员', region_code: '410000' },
] as const;

export async function ensureDemoUsers(knex: Knex): Promise<void> {
  for (const u of DEMO_USERS) {
    const exists = await knex('users').where({ username: u.username }).first('id');
    if (exists) continue;
    const { password, ...rest } = u;
    await knex('users').insert({ ...rest, password_hash: await hash(password) });
  }
}
