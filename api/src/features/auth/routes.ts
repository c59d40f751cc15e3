import { hash, verify } from '@node-rs/argon2';
import { Router, type CookieOptions } from 'express';
import type { Knex } from 'knex';
import { createError, ErrorCode } from '../../errors.js';
import { newSessionToken, requireSession, SESSION_COOKIE, userForToken } from '../../middleware/auth.js';
import { parseInput } from '../../middleware/validate.js';
import { recordAccess } from '../users/access-log.js';
import { passwordLimiters, type LimiterOptions } from './limiter.js';
import { createSession, deleteSession, deleteUserSessions, findUserById, findUserByUsername, regionsByCodes, setPassword } from './queries.js';
import { loginBody, passwordBody } from './schema.js';
import type { AuthUser } from '../../middleware/auth.js';
import type { Me, Ok } from './contract.js';
import { toRegion } from './wire.js';

export interface AuthOptions extends LimiterOptions {
  sessionTtlHours: number;
}

// A fixed hash to verify against when the username is unknown, so timing does not reveal which names exist.
const DUMMY_HASH = hash('budget-watch-dummy-password');

/** The session cookie's options: httpOnly, SameSite=Lax, Secure over TLS; a lifetime when it has one. */
export const sessionCookie = (secure: boolean, maxAgeMs?: number): CookieOptions => ({
  httpOnly: true,
  sameSite: 'lax',
  secure,
  path: '/',
  ...(maxAgeMs !== undefined ? { maxAge: maxAgeMs } : {}),
});

/** The signed-in answer: the user as the contract has it (not the request's extras) and their regions. */
export async function meOf(knex: Knex, u: AuthUser): Promise<Me> {
  const user = { id: u.id, username: u.username, displayName: u.displayName, role: u.role, regionCode: u.regionCode, regionCodes: u.regionCodes, mustChangePassword: u.mustChangePassword };
  return { user, regions: (await regionsByCodes(knex, u.regionCodes)).map(toRegion) };
}

const OK: Ok = { ok: true };

export function authRoutes(knex: Knex, opts: AuthOptions): Router {
  const router = Router();
  const cookie = sessionCookie;
  const limiters = passwordLimiters(opts);

  router.post('/auth/login', ...limiters, async (req, res) => {
    const { username, password } = parseInput(loginBody, req.body);
    const user = await findUserByUsername(knex, username);
    const ok = user ? await verify(user.password_hash, password) : (await verify(await DUMMY_HASH, password), false);
    const outcome = !user ? 'unknown_user' : !ok ? 'bad_password' : !user.active ? 'inactive' : 'success';
    await recordAccess(knex, { username, user, ip: req.ip, userAgent: req.get('user-agent'), outcome });
    if (outcome !== 'success') throw createError(ErrorCode.UNAUTHENTICATED, '用户名或密码错误', 401);
    const token = newSessionToken();
    await createSession(knex, String(user!.id), token, opts.sessionTtlHours);
    res.cookie(SESSION_COOKIE, token, cookie(req.secure, opts.sessionTtlHours * 3600_000));
    res.json({ data: await meOf(knex, (await userForToken(knex, token))!) });
  });

  router.post('/auth/logout', async (req, res) => {
    const token = (req.cookies as Record<string, string> | undefined)?.[SESSION_COOKIE];
    if (token) await deleteSession(knex, token);
    res.clearCookie(SESSION_COOKIE, cookie(req.secure));
    res.json({ data: OK });
  });

  router.get('/auth/me', requireSession, async (req, res) => {
    res.json({ data: await meOf(knex, req.user!) });
  });

  // The current password is checked like a login: the same limiters (after the session, so they
  // key on the signed-in account) and the same argon2 KDF for the new hash.
  router.post('/auth/password', requireSession, ...limiters, async (req, res) => {
    const { oldPassword, newPassword } = parseInput(passwordBody, req.body);
    const user = await findUserById(knex, req.user!.id);
    if (!user || !(await verify(user.password_hash, oldPassword))) {
      throw createError(ErrorCode.VALIDATION, '字段 oldPassword: 原密码不正确', 400);
    }
    if (oldPassword === newPassword) throw createError(ErrorCode.VALIDATION, '字段 newPassword: 新密码不能与原密码相同', 400);
    await setPassword(knex, user.id, await hash(newPassword), { mustChange: false });
    // Other sessions (another browser, a stolen cookie) end; this one stays.
    await deleteUserSessions(knex, user.id, (req.cookies as Record<string, string>)[SESSION_COOKIE]);
    res.json({ data: OK });
  });

  return router;
}
