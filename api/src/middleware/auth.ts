import { createHash, randomBytes } from 'node:crypto';
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import type { Knex } from 'knex';
import { onPrimary } from '../db/routing.js';
import { createError, ErrorCode } from '../errors.js';
import { regionsByLevel, regionTree } from '../regions.js';

export type Role = 'staff' | 'deputy' | 'admin' | 'liaison';
export const ROLES: readonly Role[] = ['staff', 'deputy', 'admin', 'liaison'];

export interface AuthUser {
  id: string;
  username: string;
  displayName: string;
  role: Role;
  regionCode: string;
  /** The user's region and every region below it (regions.parent_code). */
  regionCodes: string[];
  /** The password was set by an admin (new user, reset): nothing but changing it is allowed. */
  mustChangePassword: boolean;
  /** A liaison's agencies (in `regionCode`); set by requireLiaison only. */
  agencyCodes?: string[];
}

declare module 'express-serve-static-core' {
  interface Request {
    user?: AuthUser;
  }
}

export const SESSION_COOKIE = 'bw_session';

/** Only the hash of a session token is stored, so a leaked sessions table opens no session. */
export const hashToken = (token: string) => createHash('sha256').update(token).digest('hex');
export const newSessionToken = () => randomBytes(32).toString('base64url');

/** `regionCode` and every region below it, in code order, from the division tree (regions.ts). */
export async function visibleRegionCodes(knex: Knex, regionCode: string): Promise<string[]> {
  return regionsByLevel(await regionTree(knex, regionCode), regionCode).map((r) => r.code).sort();
}

/**
 * The live user behind a session token, or undefined when absent, expired or deactivated.
 * One round trip: the session and the user (every request pays it); the user's regions from the division tree.
 */
export async function userForToken(knex: Knex, token: string): Promise<AuthUser | undefined> {
  const { rows } = await knex.raw<{
    rows: { id: string; username: string; display_name: string; role: Role; region_code: string; must_change_password: boolean }[];
  }>(
    // An admin-set password blocks the sessions it opened; a phone enrolled by a login code
    // never used it, so its owner is not made to replace a password they were not given.
    `select u.id, u.username, u.display_name, u.role, u.region_code, u.must_change_password and s.kind = 'password' as must_change_password
       from sessions s join users u on u.id = s.user_id
      where s.token_hash = ? and s.expires_at > now() and u.active`,
    [hashToken(token)],
  );
  const row = rows[0];
  if (!row) return undefined;
  // The user's regions from the division tree read once per process, not a recursive query on
  // every request (a province's admin sees 176 regions).
  const regionCodes = await visibleRegionCodes(knex, row.region_code);
  return {
    id: String(row.id),
    username: row.username,
    displayName: row.display_name,
    role: row.role,
    regionCode: row.region_code,
    regionCodes,
    mustChangePassword: row.must_change_password,
  };
}

/**
 * Authenticate from the `bw_session` cookie; 401 UNAUTHENTICATED without a valid session.
 * A user who must change an admin-set password is let through here only (GET /auth/me and
 * POST /auth/password use it); every other route answers 403 PASSWORD_CHANGE_REQUIRED.
 */
export const requireSession: RequestHandler = async (req: Request, _res: Response, next: NextFunction) => {
  if (req.user) return next();
  const token = (req.cookies as Record<string, string> | undefined)?.[SESSION_COOKIE];
  const knex = req.app.locals.knex as Knex | undefined;
  if (!token || !knex) return next(createError(ErrorCode.UNAUTHENTICATED, '请先登录', 401));
  // On the primary even in a read (api/src/db/routing.ts): a session created a moment ago is
  // found, and one revoked a moment ago (logout, deactivation, password change) is refused,
  // whatever the replica's lag. One indexed lookup per request.
  const user = await onPrimary(() => userForToken(knex, token));
  if (!user) return next(createError(ErrorCode.UNAUTHENTICATED, '登录已失效，请重新登录', 401));
  req.user = user;
  next();
};

/**
 * Authenticate (see requireSession) and refuse a user whose password an admin set until they
 * change it, and a department liaison: liaisons use the /liaison routes (requireLiaison) and
 * nothing else, so a route added later is closed to them unless it says otherwise. The knex
 * handle comes from the app (`app.locals.knex`) so routers can use `requireAuth` bare.
 */
export const requireAuth: RequestHandler = async (req, res, next) => {
  let failed: unknown;
  await requireSession(req, res, (err?: unknown) => {
    failed = err;
  });
  if (failed) return next(failed);
  if (req.user!.mustChangePassword) {
    return next(createError(ErrorCode.PASSWORD_CHANGE_REQUIRED, '请先修改初始密码', 403));
  }
  if (req.user!.role === 'liaison') return next(createError(ErrorCode.FORBIDDEN, '无权执行此操作', 403));
  next();
};

/**
 * Any signed-in user, department liaisons included (their agencies loaded into
 * `req.user.agencyCodes`): for the few routes both serve (an attachment download).
 */
export const requireAnyUser: RequestHandler = async (req, res, next) => {
  let failed: unknown;
  await requireSession(req, res, (err?: unknown) => {
    failed = err;
  });
  if (failed) return next(failed);
  const user = req.user!;
  if (user.mustChangePassword) return next(createError(ErrorCode.PASSWORD_CHANGE_REQUIRED, '请先修改初始密码', 403));
  if (user.role === 'liaison' && !user.agencyCodes) {
    const knex = req.app.locals.knex as Knex;
    user.agencyCodes = await knex('user_agencies').where({ user_id: user.id, region_code: user.regionCode }).orderBy('agency_code').pluck('agency_code');
  }
  next();
};

/** A department liaison's session, with the agencies it answers for. */
export const requireLiaison: RequestHandler = async (req, res, next) => {
  let failed: unknown;
  await requireAnyUser(req, res, (err?: unknown) => {
    failed = err;
  });
  if (failed) return next(failed);
  if (req.user!.role !== 'liaison') return next(createError(ErrorCode.FORBIDDEN, '仅部门联络员可用', 403));
  next();
};

/** 403 FORBIDDEN unless the (authenticated) user has one of `roles`. Authenticates first if needed. */
export function requireRole(...roles: Role[]): RequestHandler {
  return async (req, res, next) => {
    let failed: unknown;
    await requireAuth(req, res, (err?: unknown) => {
      failed = err;
    });
    if (failed) return next(failed);
    if (!roles.includes(req.user!.role)) return next(createError(ErrorCode.FORBIDDEN, '无权执行此操作', 403));
    next();
  };
}

/** 403 unless `regionCode` is inside the user's visible set. */
export function assertRegionVisible(req: Request, regionCode: string): void {
  if (!req.user) throw createError(ErrorCode.UNAUTHENTICATED, '请先登录', 401);
  if (!req.user.regionCodes.includes(regionCode)) {
    throw createError(ErrorCode.FORBIDDEN, `无权查看地区 ${regionCode} 的数据`, 403);
  }
}
