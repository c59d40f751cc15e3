import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../db/test-database.js';
import { loginAs, startTestServer, type TestServer } from '../auth/test-helpers.js';

describe('admin user management', () => {
  let db: TestDatabase;
  let srv: TestServer;
  let admin: string;
  beforeAll(async () => {
    db = await createTestDatabase();
    srv = await startTestServer(db.knex);
    admin = await loginAs(srv.baseUrl, 'admin');
  });
  afterAll(async () => {
    await srv?.close();
    await db?.drop();
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
      expect(r.body.error.code).toBe('VALIDATION');
      expect(r.body.error.message).toContain(field);
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
    expect(r.status).toBe(400);
    expect(r.body.error.message).toContain('410000 河南省 不在本系统所属地区 411100 漯河市');
    const id = (await db.knex('users').where({ username: 'zhang' }).first('id')).id;
    expect((await call('PATCH', `/users/${id}`, { regionCode: '410000' })).status).toBe(400);
    expect((await call('POST', '/users', { username: 'county2', displayName: '县', password: 'County2026x', role: 'staff', regionCode: '411122' })).status).toBe(201);
  });

  it('refuses to lock the admin out and refuses regions outside the admin scope', async () => {
    const me = (await db.knex('users').where({ username: 'admin' }).first('id')).id;
    expect((await call('PATCH', `/users/${me}`, { active: false })).status).toBe(409);
    const cityAdmin = await call('POST', '/users', { username: 'cityadmin', displayName: '市管理员', password: 'CityAdm2026', role: 'admin', regionCode: '411100' });
    expect(cityAdmin.status).toBe(201);
    const c = await loginAs(srv.baseUrl, { username: 'cityadmin', password: 'CityAdm2026' });
    expect((await call('POST', '/users', { username: 'p2', displayName: '省', password: 'Prov2026xx', role: 'staff', regionCode: '410000' }, c)).status).toBe(403);
    expect((await call('GET', `/users/${me}`, undefined, c)).status).toBe(404);
  });
});
