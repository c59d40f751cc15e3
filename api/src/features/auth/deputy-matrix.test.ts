import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type TestDatabase, loginAs, type TestServer, openApiTest, type ApiTest } from '../../testing/index.js';
import { isMutating, listRoutes, type RouteEntry } from '../openapi/route-list.js';

/**
 * The only mutating routes a deputy may call. Everything else that is not GET must answer a
 * deputy 403 — including routes added after this test was written: the list below is walked
 * from the real router, so a new route is checked the day it is mounted.
 */
/** Routes that sign a device in: they need no session, so anyone may call them. */
const SCAN_LOGIN_PUBLIC = ['POST /api/v1/auth/enrol', 'POST /api/v1/auth/screen-challenges', 'POST /api/v1/auth/screen-challenges/poll'];

export const DEPUTY_WRITE_ALLOWLIST = [
  'POST /api/v1/auth/login',
  'POST /api/v1/auth/logout',
  'POST /api/v1/auth/password',
  // Deputies' review opinions (审议意见) on an alert or a department.
  'POST /api/v1/alerts/:id/opinions',
  'POST /api/v1/departments/:dept/opinions',
  // …and on a line or a finding of a budget document under review (预决算审查).
  'POST /api/v1/review/findings/:id/opinions',
  'POST /api/v1/review/documents/:fy/:stage/lines/:lineNo/opinions',
  // Scan-to-log-in (issue 17): signing a phone or a screen in, confirming a screen from one's
  // phone, and signing out one's own device. Issuing a login code is refused (staff, admin).
  ...SCAN_LOGIN_PUBLIC,
  'POST /api/v1/auth/screen-challenges/inspect',
  'POST /api/v1/auth/screen-challenges/confirm',
  'DELETE /api/v1/auth/devices/:id',
];

/**
 * Everything a department liaison (部门联络员) may call; every other route — reads included —
 * answers it 403. Public routes (health, the API document) answer anyone.
 */
export const LIAISON_ALLOWLIST = [
  'POST /api/v1/auth/login',
  'POST /api/v1/auth/logout',
  'GET /api/v1/auth/me',
  'POST /api/v1/auth/password',
  'GET /api/v1/liaison/items',
  'GET /api/v1/liaison/alerts/:id',
  'POST /api/v1/liaison/alerts/:id/replies',
  'POST /api/v1/liaison/opinions/:id/replies',
  'GET /api/v1/attachments/:id',
];
const PUBLIC = ['GET /api/health', 'GET /api/v1/health', 'GET /api/v1/openapi.json', ...SCAN_LOGIN_PUBLIC];

const fill = (path: string) => path.replace(/:(\w+)/g, (_m, name: string) => (/id$/i.test(name) ? '1' : 'x1'));

describe('deputies are read-only: every mutating route answers 403', () => {
  let db: TestDatabase;
  let srv: TestServer;
  let deputy: string;
  let routes: RouteEntry[];
  let t: ApiTest;
  beforeAll(async () => {
    t = await openApiTest();
    ({ db, srv, deputy } = t);
    routes = listRoutes(srv.app).filter((r) => r.path.startsWith('/api/'));
  });
  afterAll(async () => {
    await t?.close();
  });

  it('finds the routes by walking the router', () => {
    const keys = routes.map((r) => `${r.method} ${r.path}`);
    expect(keys).toContain('POST /api/v1/auth/login');
    expect(keys).toContain('PATCH /api/v1/users/:id');
    expect(keys).toContain('GET /api/v1/drill/vouchers');
    expect(routes.filter(isMutating).length).toBeGreaterThanOrEqual(6);
    expect(keys).toContain('POST /api/v1/login-codes');
    expect(keys).toContain('DELETE /api/v1/users/:id/devices/:sessionId');
  });

  it('refuses a deputy on every mutating route outside the allowlist', async () => {
    const checked: string[] = [];
    for (const r of routes.filter(isMutating)) {
      const key = `${r.method} ${r.path}`;
      if (DEPUTY_WRITE_ALLOWLIST.includes(key)) continue;
      const res = await fetch(`${srv.baseUrl}${fill(r.path)}`, {
        method: r.method,
        headers: { cookie: deputy, 'content-type': 'application/json' },
        body: '{}',
      });
      const body = await res.json().catch(() => ({}));
      expect([key, res.status, body?.error?.code]).toEqual([key, 403, 'FORBIDDEN']);
      checked.push(key);
    }
    expect(checked.length).toBeGreaterThanOrEqual(3);
    expect(checked).toContain('POST /api/v1/reminders'); // remaking the 交办 reminder list is staff work
    expect(checked).toContain('POST /api/v1/login-codes');
    expect(checked).toContain('DELETE /api/v1/users/:id/devices/:sessionId');
    // The deputy's session survived all of that (no route logged it out or changed it).
    expect((await fetch(`${srv.baseUrl}/api/v1/auth/me`, { headers: { cookie: deputy } })).status).toBe(200);
  });

  it('lets a deputy use the allowlisted routes that exist', async () => {
    const res = await fetch(`${srv.baseUrl}/api/v1/auth/password`, {
      method: 'POST',
      headers: { cookie: deputy, 'content-type': 'application/json' },
      body: JSON.stringify({ oldPassword: 'Deputy@2026', newPassword: 'Deputy@2027x' }),
    });
    expect(res.status).toBe(200);
    for (const r of routes.filter((x) => DEPUTY_WRITE_ALLOWLIST.includes(`${x.method} ${x.path}`) && /opinions|screen-challenges|enrol/.test(x.path))) {
      const res = await fetch(`${srv.baseUrl}${fill(r.path)}`, { method: r.method, headers: { cookie: deputy, 'content-type': 'application/json' }, body: '{}' });
      expect(res.status, `${r.method} ${r.path}`).not.toBe(403);
    }
  });

  it('answers 401, not 403, to a mutating request without a session', async () => {
    for (const r of routes.filter(isMutating)) {
      const key = `${r.method} ${r.path}`;
      if (DEPUTY_WRITE_ALLOWLIST.includes(key)) continue;
      const res = await fetch(`${srv.baseUrl}${fill(r.path)}`, { method: r.method, headers: { 'content-type': 'application/json' }, body: '{}' });
      expect([key, res.status]).toEqual([key, 401]);
    }
  });

  it('refuses a department liaison on every route outside its own, reads included, route by route', async () => {
    await db.knex('users').insert({
      username: 'matrix-liaison', display_name: '联络员', role: 'liaison', region_code: '411100',
      password_hash: (await db.knex('users').where({ username: 'staff' }).first('password_hash')).password_hash,
    });
    const liaison = await loginAs(srv.baseUrl, { username: 'matrix-liaison', password: 'Staff@2026' });
    const checked: string[] = [];
    for (const r of routes) {
      const key = `${r.method} ${r.path}`;
      if (LIAISON_ALLOWLIST.includes(key) || PUBLIC.includes(key)) continue;
      const res = await fetch(`${srv.baseUrl}${fill(r.path)}`, {
        method: r.method,
        headers: { cookie: liaison, 'content-type': 'application/json' },
        ...(r.method === 'GET' ? {} : { body: '{}' }),
      });
      const body = await res.json().catch(() => ({}));
      expect([key, res.status, body?.error?.code]).toEqual([key, 403, 'FORBIDDEN']);
      checked.push(key);
    }
    expect(checked).toContain('GET /api/v1/alerts');
    expect(checked).toContain('GET /api/v1/drill/vouchers');
    expect(checked).toContain('POST /api/v1/replies/:id/accept');
    expect(checked).toContain('GET /api/v1/reminders');
    expect(checked).toContain('POST /api/v1/reminders');
    expect(checked.length).toBeGreaterThanOrEqual(40);
    // The allowlisted ones exist and do not answer 403 (a 404 for the made-up id is fine).
    for (const key of LIAISON_ALLOWLIST.filter((k) => k.startsWith('GET /api/v1/liaison'))) {
      const [method, path] = key.split(' ');
      const res = await fetch(`${srv.baseUrl}${fill(path!)}`, { method, headers: { cookie: liaison } });
      expect([key, res.status === 403]).toEqual([key, false]);
    }
    expect((await fetch(`${srv.baseUrl}/api/v1/auth/me`, { headers: { cookie: liaison } })).status).toBe(200);
  });

  it('refuses a deputy on the liaison routes', async () => {
    for (const key of LIAISON_ALLOWLIST.filter((k) => k.includes('/liaison/'))) {
      const [method, path] = key.split(' ');
      const res = await fetch(`${srv.baseUrl}${fill(path!)}`, { method, headers: { cookie: deputy, 'content-type': 'application/json' }, ...(method === 'GET' ? {} : { body: '{}' }) });
      expect([key, res.status]).toEqual([key, 403]);
    }
  });
});
