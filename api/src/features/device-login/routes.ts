import { randomBytes } from 'node:crypto';
import { Router, type Request, type Response } from 'express';
import type { Knex } from 'knex';
import type { Config } from '../../config.js';
import { createError, ErrorCode } from '../../errors.js';
import { hashToken, newSessionToken, requireAuth, requireRole, SESSION_COOKIE, userForToken } from '../../middleware/auth.js';
import { parseInput } from '../../middleware/validate.js';
import { ipKey, throttle } from '../auth/limiter.js';
import { createSession, regionsByCodes } from '../auth/queries.js';
import { sessionCookie } from '../auth/routes.js';
import { toRegion } from '../auth/wire.js';
import type { Device, EnrollableUser, LoginCode, ScreenPoll } from './contract.js';
import { describeDevice } from './device-name.js';
import { qrPng } from './qr.js';
import {
  codeByPollSecret, codeByToken, collectScreen, consumeEnrolCode, decideScreen, deleteUserSession, enrollableUsers, insertLoginCode,
  liveSessions, pruneCodes, type LoginCodeRow, type SessionRow,
} from './queries.js';
import { confirmBody, enrolBody, inspectBody, issueCodeBody, screenChallengeBody, sessionIdParam, userDeviceParams } from './schema.js';

/** A screen's QR lives a minute (the issue: rotates at most every 60 s). */
export const SCREEN_QR_SECONDS = 60;
/** After the phone confirmed, the screen has this long past the QR's expiry to collect its session. */
const SCREEN_COLLECT_GRACE_MS = 120_000;
const SCREEN_COOKIE = 'bw_screen';
const SCREEN_COOKIE_PATH = '/api/v1/auth/screen-challenges';

export type DeviceLoginOptions = Pick<Config, 'sessionTtlHours' | 'loginCodeTtlHours' | 'deviceSessionDays' | 'publicUrl'>;

/** Why a code is refused, one error per case so the phone can say what to do. */
function refusal(row: LoginCodeRow | undefined): Error {
  if (!row) return createError(ErrorCode.LOGIN_CODE_INVALID, '登录码无效，请确认扫描的是本系统发放的二维码', 401);
  if (row.used_at || row.confirmed_at || row.denied_at) return createError(ErrorCode.LOGIN_CODE_USED, '该登录码已使用过，每个登录码只能使用一次', 401);
  return createError(ErrorCode.LOGIN_CODE_EXPIRED, row.kind === 'enrol' ? '登录码已过期，请联系工作人员重新发放' : '二维码已过期，请重新扫描大屏上的二维码', 401);
}

const iso = (d: Date) => new Date(d).toISOString();

export function deviceLoginRoutes(knex: Knex, opts: DeviceLoginOptions): Router {
  const router = Router();
  const origin = (req: Request) => opts.publicUrl ?? `${req.protocol}://${req.get('host')}`;
  const userKey = (req: Request) => `u${req.user?.id ?? ''}`;
  const signIn = async (req: Request, res: Response, userId: string, kind: 'device' | 'screen', deviceName: string) => {
    const token = newSessionToken();
    const ttlHours = kind === 'device' ? opts.deviceSessionDays * 24 : opts.sessionTtlHours;
    await createSession(knex, userId, token, ttlHours, { kind, deviceName, ip: req.ip, userAgent: req.get('user-agent') });
    res.cookie(SESSION_COOKIE, token, sessionCookie(req.secure, ttlHours * 3600_000));
    const user = (await userForToken(knex, token))!;
    return { user, regions: (await regionsByCodes(knex, user.regionCodes)).map(toRegion) };
  };
  const toDevice = (current: string | undefined) => (s: SessionRow): Device => ({
    id: String(s.id), kind: s.kind, deviceName: s.device_name, ip: s.ip, createdAt: iso(s.created_at), expiresAt: iso(s.expires_at),
    current: current !== undefined && s.token_hash === hashToken(current),
  });
  const cookieToken = (req: Request) => (req.cookies as Record<string, string> | undefined)?.[SESSION_COOKIE];

  // ── Enrolment: staff or an admin issue a personal code; the phone that scans it is signed in.
  router.post(
    '/login-codes',
    requireRole('staff', 'admin'),
    throttle({ limit: 60, windowMs: 3600_000, key: userKey, message: '发放登录码过于频繁，请稍后再试' }),
    async (req, res) => {
      const body = parseInput(issueCodeBody, req.body);
      const me = req.user!;
      const target = await knex('users as u').join('regions as r', 'r.code', 'u.region_code').where('u.id', body.userId)
        .first<{ id: string; username: string; display_name: string; role: string; region_code: string; region_name: string; active: boolean } | undefined>(
          'u.id', 'u.username', 'u.display_name', 'u.role', 'u.region_code', 'r.name as region_name', 'u.active');
      if (!target || !me.regionCodes.includes(target.region_code)) throw createError(ErrorCode.NOT_FOUND, `用户 ${body.userId} 不存在`, 404);
      // Staff enrol deputies' phones (and their own); whoever can reset a password (an admin) may enrol anyone's.
      if (me.role !== 'admin' && target.role !== 'deputy' && String(target.id) !== me.id) {
        throw createError(ErrorCode.FORBIDDEN, '工作人员只能为人大代表发放登录码', 403);
      }
      if (!target.active) throw createError(ErrorCode.CONFLICT, '该用户已停用，不能发放登录码', 409);
      const token = newSessionToken();
      await pruneCodes(knex);
      const { id, expiresAt } = await insertLoginCode(knex, {
        kind: 'enrol', token, userId: String(target.id), issuedBy: me.id, ttlMs: (body.ttlHours ?? opts.loginCodeTtlHours) * 3600_000,
      });
      // The token rides in the fragment: browsers never send it to a server or in a Referer.
      const url = `${origin(req)}/m/enrol#${token}`;
      const data: LoginCode = {
        id,
        user: { id: String(target.id), username: target.username, displayName: target.display_name, role: target.role, regionName: target.region_name },
        url,
        qrPng: await qrPng(url),
        expiresAt: iso(expiresAt),
      };
      res.status(201).json({ data });
    },
  );

  // Whom the caller may issue a code for: the users page of staff lists these (admins see everyone).
  router.get('/login-codes/users', requireRole('staff', 'admin'), async (req, res) => {
    const me = req.user!;
    const rows = await enrollableUsers(knex, me.regionCodes, me.role === 'admin' ? undefined : 'deputy');
    const data: EnrollableUser[] = rows.map((r) => ({
      id: String(r.id), username: r.username, displayName: r.display_name, role: r.role as EnrollableUser['role'], regionCode: r.region_code,
      regionName: r.region_name, active: r.active, lastLoginAt: r.last_login_at ? iso(r.last_login_at) : null, devices: r.devices,
    }));
    res.json({ data });
  });

  router.post(
    '/auth/enrol',
    throttle({ limit: 10, key: ipKey, failuresOnly: true, message: '登录码尝试过于频繁，请 15 分钟后再试' }),
    async (req, res) => {
      const body = parseInput(enrolBody, req.body);
      const deviceName = body.deviceName || describeDevice(req.get('user-agent'));
      const userId = await consumeEnrolCode(knex, body.code, { ip: req.ip, userAgent: req.get('user-agent'), deviceName });
      if (!userId) throw refusal(await codeByToken(knex, 'enrol', body.code));
      const user = await knex('users').where({ id: userId }).first<{ active: boolean } | undefined>('active');
      if (!user?.active) throw createError(ErrorCode.UNAUTHENTICATED, '该账号已停用', 401);
      res.json({ data: await signIn(req, res, userId, 'device', deviceName) });
    },
  );

  // ── Big screen: it shows a QR; a signed-in phone scans it and confirms; the screen collects.
  router.post(
    '/auth/screen-challenges',
    throttle({ limit: 60, key: ipKey, message: '二维码刷新过于频繁，请稍后再试' }),
    async (req, res) => {
      const body = parseInput(screenChallengeBody, req.body ?? {});
      const deviceName = body.deviceName || describeDevice(req.get('user-agent'));
      const token = newSessionToken();
      const pollSecret = randomBytes(32).toString('base64url');
      await pruneCodes(knex);
      const { expiresAt } = await insertLoginCode(knex, {
        kind: 'screen', token, pollSecret, deviceName, ip: req.ip, userAgent: req.get('user-agent'), ttlMs: SCREEN_QR_SECONDS * 1000,
      });
      // Only this browser holds the poll secret: a photo of the QR lets nobody else collect the login.
      res.cookie(SCREEN_COOKIE, pollSecret, { httpOnly: true, sameSite: 'strict', secure: req.secure, path: SCREEN_COOKIE_PATH, maxAge: SCREEN_QR_SECONDS * 1000 + SCREEN_COLLECT_GRACE_MS });
      res.json({ data: { qrPng: await qrPng(`${origin(req)}/m/confirm#${token}`), deviceName, expiresAt: iso(expiresAt), rotateSeconds: SCREEN_QR_SECONDS } });
    },
  );

  router.post(
    '/auth/screen-challenges/poll',
    throttle({ limit: 900, key: ipKey, message: '请求过于频繁，请稍后再试' }),
    async (req, res) => {
      const secret = (req.cookies as Record<string, string> | undefined)?.[SCREEN_COOKIE];
      const row = secret ? await codeByPollSecret(knex, secret) : undefined;
      if (!row) throw createError(ErrorCode.LOGIN_CODE_INVALID, '二维码已失效，请刷新', 401);
      let data: ScreenPoll = { status: 'pending', signedIn: null };
      if (row.denied_at) data = { status: 'denied', signedIn: null };
      else if (row.confirmed_at) {
        const userId = await collectScreen(knex, row.id, SCREEN_COLLECT_GRACE_MS);
        data = userId ? { status: 'confirmed', signedIn: await signIn(req, res, userId, 'screen', row.device_name ?? '大屏') } : { status: 'expired', signedIn: null };
      } else if (new Date(row.expires_at).getTime() <= Date.now()) data = { status: 'expired', signedIn: null };
      if (data.status !== 'pending') res.clearCookie(SCREEN_COOKIE, { path: SCREEN_COOKIE_PATH });
      res.json({ data });
    },
  );

  const phoneLimiter = throttle({ limit: 20, key: userKey, failuresOnly: true, message: '扫码确认过于频繁，请 15 分钟后再试' });
  // Reads nothing but the request it names; POST keeps the token out of URLs and logs.
  router.post('/auth/screen-challenges/inspect', requireAuth, phoneLimiter, async (req, res) => {
    const { code } = parseInput(inspectBody, req.body);
    const row = await codeByToken(knex, 'screen', code);
    if (!row || row.confirmed_at || row.denied_at || row.used_at || new Date(row.expires_at).getTime() <= Date.now()) throw refusal(row);
    res.json({ data: { deviceName: row.device_name ?? '', ip: row.ip, createdAt: iso(row.created_at), expiresAt: iso(row.expires_at) } });
  });

  router.post('/auth/screen-challenges/confirm', requireAuth, phoneLimiter, async (req, res) => {
    const { code, approve } = parseInput(confirmBody, req.body);
    const decided = await decideScreen(knex, code, req.user!.id, approve);
    if (!decided) throw refusal(await codeByToken(knex, 'screen', code));
    res.json({ data: { approved: approve, deviceName: decided.device_name } });
  });

  // ── Devices: a user's signed-in sessions, revocable by the user or an admin.
  router.get('/auth/devices', requireAuth, async (req, res) => {
    res.json({ data: (await liveSessions(knex, req.user!.id)).map(toDevice(cookieToken(req))) });
  });

  router.delete('/auth/devices/:id', requireAuth, async (req, res) => {
    const { id } = parseInput(sessionIdParam, req.params);
    if (!(await deleteUserSession(knex, req.user!.id, id))) throw createError(ErrorCode.NOT_FOUND, `设备 ${id} 不存在`, 404);
    res.json({ data: { ok: true } });
  });

  const managedUserId = async (req: Request) => {
    const { id, sessionId } = parseInput(userDeviceParams, req.params);
    const user = await knex('users').where({ id }).first<{ id: string; region_code: string; role: string } | undefined>('id', 'region_code', 'role');
    if (!user || !req.user!.regionCodes.includes(user.region_code)) throw createError(ErrorCode.NOT_FOUND, `用户 ${id} 不存在`, 404);
    return { userId: String(user.id), role: user.role, sessionId };
  };

  // Staff see the devices of the deputies they enrol (did the phone sign in?); ending one stays
  // with the deputy or an admin (issue 17).
  router.get('/users/:id/devices', requireRole('staff', 'admin'), async (req, res) => {
    const { userId, role } = await managedUserId(req);
    if (req.user!.role !== 'admin' && role !== 'deputy') throw createError(ErrorCode.FORBIDDEN, '工作人员只能查看人大代表的设备', 403);
    res.json({ data: (await liveSessions(knex, userId)).map(toDevice(cookieToken(req))) });
  });

  router.delete('/users/:id/devices/:sessionId', requireRole('admin'), async (req, res) => {
    const { userId, sessionId } = await managedUserId(req);
    if (!(await deleteUserSession(knex, userId, sessionId!))) throw createError(ErrorCode.NOT_FOUND, `设备 ${sessionId} 不存在`, 404);
    res.json({ data: { ok: true } });
  });

  return router;
}
