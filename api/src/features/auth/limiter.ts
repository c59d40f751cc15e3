import type { Request, RequestHandler } from 'express';
import { ipKeyGenerator, rateLimit } from 'express-rate-limit';
import { createError, ErrorCode } from '../../errors.js';
import { normaliseUsername } from './schema.js';

export interface LimiterOptions {
  /** Failed attempts allowed per client IP + username per 15 minutes. */
  loginAttempts?: number;
  /** Failed attempts allowed per client IP across all usernames per 15 minutes. */
  loginAttemptsPerIp?: number;
  /** How long a refused (429) attempt is held before the answer goes out. */
  throttleDelayMs?: number;
}

const WINDOW_MS = 15 * 60_000;

/**
 * The password-guessing limiters: one pair per app, put in front of every route that checks a
 * password (login, and the own-password change, which checks the current one), so a guess
 * costs the same budget wherever it is made.
 *
 * Both count failed attempts only and key on the client address, so a flood from one address
 * never locks the real user out elsewhere. They answer 429 before argon2 runs, and hold that
 * answer a while: a guessing client waits for each answer before its next try, so the hold,
 * not the server, sets its pace — an instant 429 let one address take most of the event loop
 * (bench/login-flood.ts: other users' throughput fell to 0.15×).
 */
export interface ThrottleOptions {
  limit: number;
  key: (req: Request) => string;
  message: string;
  /** Count only failed requests (a right password, a valid code do not use up the budget). */
  failuresOnly?: boolean;
  windowMs?: number;
  delayMs?: number;
}

/** One limiter of the house kind: 429 RATE_LIMITED with a Chinese message, held `delayMs` (see below). */
export function throttle(o: ThrottleOptions): RequestHandler {
  return rateLimit({
    windowMs: o.windowMs ?? WINDOW_MS,
    limit: o.limit,
    skipSuccessfulRequests: o.failuresOnly ?? false,
    standardHeaders: 'draft-8',
    legacyHeaders: false,
    keyGenerator: o.key,
    handler: (_req, _res, next) => {
      setTimeout(() => next(createError(ErrorCode.RATE_LIMITED, o.message, 429)), o.delayMs ?? 1000).unref();
    },
  });
}

/** The client's address as a limiter key (IPv6 grouped by /56, as express-rate-limit advises). */
export const ipKey = (req: Request) => ipKeyGenerator(req.ip ?? '');

export function passwordLimiters(opts: LimiterOptions): RequestHandler[] {
  const limiter = (limit: number, key: (req: Request) => string) =>
    throttle({ limit, key, failuresOnly: true, delayMs: opts.throttleDelayMs, message: '密码尝试过于频繁，请 15 分钟后再试' });
  // The account whose password is being tried: the signed-in user's on a password change, the
  // typed one at login — normalised once, so " staff" and "ｓｔａｆｆ" share staff's count.
  const account = (req: Request) => {
    const raw = req.user?.username ?? (req.body as { username?: unknown } | undefined)?.username;
    return typeof raw === 'string' ? normaliseUsername(raw) : '';
  };
  return [limiter(opts.loginAttemptsPerIp ?? 30, ipKey), limiter(opts.loginAttempts ?? 10, (req) => `${ipKey(req)}|${account(req)}`)];
}
