import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type TestDatabase, loginAs, type TestServer, openApiTest, type ApiTest, expectFieldError } from '../../testing/index.js';

describe('admin user management', () => {
  let db: TestDatabase;
  let srv: TestServer;
  let admin: string;
  let t: ApiTest;
  beforeAll(async () => {
    t = await openApiTest();
    ({ db, srv, admin } = t);
  });
  afterAll(async () => {
    await t?.close();
  });
  const call = async (method: string, path: string, body?: unknown, cookie = admin) => {
    const res = await fetch(`${srv.baseUrl}/api/v1${path}`, {
      method,
      headers: { cookie, 'content-type': 'application/json' },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    return { status: res.status, body: await res.json() };
  };

  it('creates a user who can then log in, never returning the password hash', async () => {
    const { status, body } = await call('POST', '/users', { username: 'zhang', displayName: '张三', password: 'Zhang2026ok', role: 'deputy', regionCode: '411121' });
    expect(status).toBe(201);
    expect(body.data).toMatchObject({ username: 'zhang', role: 'deputy', regionCode: '411121', regionName: '舞阳县', active: true });
    expect(JSON.stringify(body)).not.toContain('password_hash');
    await loginAs(srv.baseUrl, { username: 'zhang', password: 'Zhang2026ok' });
    expect((await call('POST', '/users', { username: 'zhang', displayName: '重名', password: 'Zhang2026ok', role: 'deputy', regionCode: '411121' })).status).toBe(409);
  });

  it('validates with 400 naming the field', async () => {
    for (const [body, field] of [
      [{ username: 'x1', displayName: 'a', password: 'short', role: 'staff', regionCode: '411100' }, 'password'],
      [{ username: 'x2', displayName: 'a', password: 'Longer2026', role: 'boss', regionCode: '411100' }, 'role'],
      [{ username: 'x3', displayName: 'a', password: 'Longer2026', role: 'staff', regionCode: '4111' }, 'regionCode'],
    ] as const) {
      const r = await call('POST', '/users', body);
      expect(r.status).toBe(400);
      expectFieldError(r, field);
    }
  });

  it('changes role and region, ending the user’s sessions; deactivation blocks login', async () => {
    const id = (await db.knex('users').where({ username: 'zhang' }).first('id')).id;
    const session = await loginAs(srv.baseUrl, { username: 'zhang', password: 'Zhang2026ok' });
    const r = await call('PATCH', `/users/${id}`, { role: 'staff', regionCode: '411100' });
    expect(r.status).toBe(200);
    expect(r.body.data).toMatchObject({ role: 'staff', regionCode: '411100' });
    expect((await fetch(`${srv.baseUrl}/api/v1/auth/me`, { headers: { cookie: session } })).status).toBe(401);
    expect((await call('PATCH', `/users/${id}`, { active: false })).body.data.active).toBe(false);
    await expect(loginAs(srv.baseUrl, { username: 'zhang', password: 'Zhang2026ok' })).rejects.toThrow(/401/);
    expect((await call('PATCH', `/users/${id}`, { active: true })).status).toBe(200);
  });

  it('resets a password to a temporary one that works', async () => {
    const id = (await db.knex('users').where({ username: 'zhang' }).first('id')).id;
    const r = await call('POST', `/users/${id}/reset-password`, {});
    expect(r.status).toBe(200);
    await loginAs(srv.baseUrl, { username: 'zhang', password: r.body.data.temporaryPassword });
    await expect(loginAs(srv.baseUrl, { username: 'zhang', password: 'Zhang2026ok' })).rejects.toThrow();
  });

  it('creates users only in the deployment’s region (BW_REGION, default 411100) or below, naming both codes', async () => {
    // The demo admin sits at 410000, which it may see, but the instance is 漯河市's.
    const r = await call('POST', '/users', { username: 'prov', displayName: '省', password: 'Prov2026xx', role: 'staff', regionCode: '410000' });
    expect([r.status, r.body.error.code]).toEqual([400, 'VALIDATION']);
    expect(r.body.error.message).toMatch(/410000.*411100/);
    const id = (await db.knex('users').where({ username: 'zhang' }).first('id')).id;
    expect((await call('PATCH', `/users/${id}`, { regionCode: '410000' })).status).toBe(400);
    expect((await call('POST', '/users', { username: 'county2', displayName: '县', password: 'County2026x', role: 'staff', regionCode: '411122' })).status).toBe(201);
  });

  it('refuses to lock the admin out and refuses regions outside the admin scope', async () => {
    const me = (await db.knex('users').where({ username: 'admin' }).first('id')).id;
    expect((await call('PATCH', `/users/${me}`, { active: false })).status).toBe(409);
    const cityAdmin = await call('POST', '/users', { username: 'cityadmin', displayName: '市管理员', password: 'CityAdm2026', role: 'admin', regionCode: '411100' });
    expect(cityAdmin.status).toBe(201);
    const first = await loginAs(srv.baseUrl, { username: 'cityadmin', password: 'CityAdm2026' });
    expect((await call('POST', '/auth/password', { oldPassword: 'CityAdm2026', newPassword: 'CityAdm2027' }, first)).status).toBe(200);
    const c = first;
    expect((await call('POST', '/users', { username: 'p2', displayName: '省', password: 'Prov2026xx', role: 'staff', regionCode: '410000' }, c)).status).toBe(403);
    expect((await call('GET', `/users/${me}`, undefined, c)).status).toBe(404);
  });

  it('a new or reset password must be changed first: every other route answers 403 PASSWORD_CHANGE_REQUIRED until then', async () => {
    const created = await call('POST', '/users', { username: 'newbie', displayName: '新人', password: 'Newbie2026', role: 'staff', regionCode: '411100' });
    expect(created.body.data.mustChangePassword).toBe(true);
    const s = await loginAs(srv.baseUrl, { username: 'newbie', password: 'Newbie2026' });
    const me = await call('GET', '/auth/me', undefined, s);
    expect([me.status, me.body.data.user.mustChangePassword]).toEqual([200, true]);
    for (const [method, path] of [['GET', '/alerts'], ['GET', '/drill/summary?region=411100'], ['POST', '/reports/generate']] as const) {
      const r = await call(method, path, method === 'POST' ? {} : undefined, s);
      expect([path, r.status, r.body.error.code]).toEqual([path, 403, 'PASSWORD_CHANGE_REQUIRED']);
    }
    expect((await call('POST', '/auth/password', { oldPassword: 'Newbie2026', newPassword: 'Newbie2026' }, s)).status).toBe(400);
    expect((await call('POST', '/auth/password', { oldPassword: 'Newbie2026', newPassword: 'Mine2026ok' }, s)).status).toBe(200);
    expect((await call('GET', '/alerts', undefined, s)).status).toBe(200);
    const id = created.body.data.id;
    expect((await call('GET', `/users/${id}`)).body.data).toMatchObject({ mustChangePassword: false });
    // A reset hands over a password the admin knows: changed at first login again.
    const reset = await call('POST', `/users/${id}/reset-password`, { newPassword: 'Handed2026' });
    expect(reset.status).toBe(200);
    expect((await call('GET', `/users/${id}`)).body.data.mustChangePassword).toBe(true);
    const again = await loginAs(srv.baseUrl, { username: 'newbie', password: 'Handed2026' });
    expect((await call('GET', '/alerts', undefined, again)).body.error.code).toBe('PASSWORD_CHANGE_REQUIRED');
  });

  it('the access log records each login: who, from where, when, and failures, newest first; admins only', async () => {
    await fetch(`${srv.baseUrl}/api/v1/auth/login`, {
      method: 'POST', headers: { 'content-type': 'application/json', 'user-agent': 'bw-test-agent' }, body: JSON.stringify({ username: 'zhang', password: 'wrong-one1' }),
    });
    await fetch(`${srv.baseUrl}/api/v1/auth/login`, {
      method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'ghost-user', password: 'whatever1' }),
    });
    const all = await call('GET', '/access-log?pageSize=200');
    expect(all.status).toBe(200);
    const [ghost, zhangFail] = all.body.data as { username: string; outcome: string; ip: string; userAgent: string; regionName: string | null; at: string }[];
    expect(ghost).toMatchObject({ username: 'ghost-user', outcome: 'unknown_user', regionName: null });
    expect(zhangFail).toMatchObject({ username: 'zhang', outcome: 'bad_password', userAgent: 'bw-test-agent', regionName: '漯河市' });
    expect(zhangFail.ip).toMatch(/127\.0\.0\.1/);
    expect(Date.parse(zhangFail.at)).toBeGreaterThan(Date.now() - 60_000);
    expect(all.body.data.some((r: { username: string; outcome: string }) => r.username === 'admin' && r.outcome === 'success')).toBe(true);
    const failed = await call('GET', '/access-log?failedOnly=true&pageSize=200');
    expect(failed.body.data.every((r: { outcome: string }) => r.outcome !== 'success')).toBe(true);
    expect(failed.body.meta.total).toBeGreaterThanOrEqual(2);
    // A city admin sees its region's accounts, not the province admin's logins nor unknown names.
    const city = await loginAs(srv.baseUrl, { username: 'cityadmin', password: 'CityAdm2027' });
    const seen = (await call('GET', '/access-log?pageSize=200', undefined, city)).body.data as { username: string }[];
    expect(seen.some((r) => r.username === 'zhang')).toBe(true);
    expect(seen.some((r) => r.username === 'admin' || r.username === 'ghost-user')).toBe(false);
    const staff = await loginAs(srv.baseUrl, 'staff');
    expect((await call('GET', '/access-log', undefined, staff)).status).toBe(403);
  });
});
