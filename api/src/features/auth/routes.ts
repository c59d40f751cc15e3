import { hash, verify } from '@node-rs/argon2';
import { Router, type CookieOptions, type Request } from 'express';
import { ipKeyGenerator, rateLimit } from 'express-rate-limit';
import type { Knex } from 'knex';
import { createError, ErrorCode } from '../../errors.js';
import { newSessionToken, requireAuth, SESSION_COOKIE, userForToken } from '../../middleware/auth.js';
import { parseInput } from '../../middleware/validate.js';
import { createSession, deleteSession, deleteUserSessions, findUserById, findUserByUsername, regionsByCodes, setPassword } from './queries.js';
import { loginBody, normaliseUsername, passwordBody } from './schema.js';

export interface AuthOptions {
  sessionTtlHours: number;
  /** Failed logins allowed per client IP + username per 15 minutes. */
  loginAttempts?: number;
  /** Failed logins allowed per client IP across all usernames per 15 minutes. */
  loginAttemptsPerIp?: number;
  /** How long a refused (429) login is held before the answer goes out. */
  throttleDelayMs?: number;
}

const LOGIN_WINDOW_MS = 15 * 60_000;

// A fixed hash to verify against when the username is unknown, so timing does not reveal which names exist.
const DUMMY_HASH = hash('budget-watch-dummy-password');

export function authRoutes(knex: Knex, opts: AuthOptions): Router {
  const router = Router();
  const cookie = (secure: boolean, maxAgeMs?: number): CookieOptions => ({
    httpOnly: true,
    sameSite: 'lax',
    secure,
    path: '/',
    ...(maxAgeMs !== undefined ? { maxAge: maxAgeMs } : {}),
  });

  // Both limiters count failed attempts only and key on the client address, so a flood from one
  // address never locks the real user out elsewhere. They answer 429 before argon2 runs, and
  // hold that answer a while: a guessing client waits for each answer before its next try, so
  // the hold, not the server, sets its pace — an instant 429 let one address take most of the
  // event loop (bench/login-flood.ts: other users' throughput fell to 0.15×).
  const delayMs = opts.throttleDelayMs ?? 1000;
  const limiter = (limit: number, key: (req: Request) => string) =>
    rateLimit({
      windowMs: LOGIN_WINDOW_MS,
      limit,
      skipSuccessfulRequests: true,
      standardHeaders: 'draft-8',
      legacyHeaders: false,
      keyGenerator: key,
      handler: (_req, _res, next) => {
        setTimeout(() => next(createError(ErrorCode.RATE_LIMITED, '登录尝试过于频繁，请 15 分钟后再试', 429)), delayMs).unref();
      },
    });
  const ipKey = (req: Request) => ipKeyGenerator(req.ip ?? '');
  const perIp = limiter(opts.loginAttemptsPerIp ?? 30, ipKey);
  const perUser = limiter(opts.loginAttempts ?? 10, (req) => {
    const raw = (req.body as { username?: unknown } | undefined)?.username;
    return `${ipKey(req)}|${typeof raw === 'string' ? normaliseUsername(raw) : ''}`;
  });

  router.post('/auth/login', perIp, perUser, async (req, res) => {
    const { username, password } = parseInput(loginBody, req.body);
    const user = await findUserByUsername(knex, username);
    const ok = user ? await verify(user.password_hash, password) : (await verify(await DUMMY_HASH, password), false);
    if (!user || !ok || !user.active) throw createError(ErrorCode.UNAUTHENTICATED, '用户名或密码错误', 401);
    const token = newSessionToken();
    await createSession(knex, String(user.id), token, opts.sessionTtlHours);
    res.cookie(SESSION_COOKIE, token, cookie(req.secure, opts.sessionTtlHours * 3600_000));
    const me = (await userForToken(knex, token))!;
    res.json({ data: { user: me, regions: await regionsByCodes(knex, me.regionCodes) } });
  });

  router.post('/auth/logout', async (req, res) => {
    const token = (req.cookies as Record<string, string> | undefined)?.[SESSION_COOKIE];
    if (token) await deleteSession(knex, token);
    res.clearCookie(SESSION_COOKIE, cookie(req.secure));
    res.json({ data: { ok: true } });
  });

  router.get('/auth/me', requireAuth, async (req, res) => {
    res.json({ data: { user: req.user, regions: await regionsByCodes(knex, req.user!.regionCodes) } });
  });

  router.post('/auth/password', requireAuth, async (req, res) => {
    const { oldPassword, newPassword } = parseInput(passwordBody, req.body);
    const user = await findUserById(knex, req.user!.id);
    if (!user || !(await verify(user.password_hash, oldPassword))) {
      throw createError(ErrorCode.VALIDATION, '字段 oldPassword: 原密码不正确', 400);
    }
    if (oldPassword === newPassword) throw createError(ErrorCode.VALIDATION, '字段 newPassword: 新密码不能与原密码相同', 400);
    await setPassword(knex, user.id, await hash(newPassword));
    // Other sessions (another browser, a stolen cookie) end; this one stays.
    await deleteUserSessions(knex, user.id, (req.cookies as Record<string, string>)[SESSION_COOKIE]);
    res.json({ data: { ok: true } });
  });

  return router;
}
