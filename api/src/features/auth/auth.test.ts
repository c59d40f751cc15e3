import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type TestDatabase, loginAs, type TestServer, expectFieldError, openApiTest, type ApiTest } from '../../testing/index.js';
import { hashToken, visibleRegionCodes } from '../../middleware/auth.js';

describe('auth', () => {
  let db: TestDatabase;
  let srv: TestServer;
  let t: ApiTest;
  beforeAll(async () => {
    t = await openApiTest({ signIn: false });
    ({ db, srv } = t);
  });
  afterAll(async () => {
    await t?.close();
  });

  const post = (path: string, body: unknown, cookie?: string) =>
    fetch(`${srv.baseUrl}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(cookie ? { cookie } : {}) },
      body: JSON.stringify(body),
    });
  const get = (path: string, cookie?: string) => fetch(`${srv.baseUrl}${path}`, { headers: cookie ? { cookie } : {} });

  it('logs in with an httpOnly SameSite=Lax cookie and stores only the token hash', async () => {
    const res = await post('/api/v1/auth/login', { username: 'staff', password: 'Staff@2026' });
    expect(res.status).toBe(200);
    const setCookie = res.headers.getSetCookie().find((c) => c.startsWith('bw_session='))!;
    expect(setCookie).toMatch(/HttpOnly/i);
    expect(setCookie).toMatch(/SameSite=Lax/i);
    const token = setCookie.split(';')[0]!.slice('bw_session='.length);
    const stored = await db.knex('sessions').pluck('token_hash');
    expect(stored).toContain(hashToken(token));
    expect(stored).not.toContain(token);
    const body = await res.json();
    expect(body.data.user).toMatchObject({ username: 'staff', role: 'staff', regionCode: '411100' });
  });

  it('refuses a wrong password and an unknown user alike with 401', async () => {
    for (const body of [
      { username: 'staff', password: 'wrong' },
      { username: 'nobody', password: 'wrong' },
    ]) {
      const res = await post('/api/v1/auth/login', body);
      expect(res.status).toBe(401);
      expect((await res.json()).error.code).toBe('UNAUTHENTICATED');
    }
  });

  it('answers 400 VALIDATION naming the missing field', async () => {
    const res = await post('/api/v1/auth/login', { username: 'staff' });
    expectFieldError({ status: res.status, body: await res.json() }, 'password');
  });

  it('/me needs a session and returns the user with visible regions', async () => {
    expect((await get('/api/v1/auth/me')).status).toBe(401);
    expect((await get('/api/v1/auth/me', 'bw_session=forged')).status).toBe(401);
    const cookie = await loginAs(srv.baseUrl, 'staff');
    const res = await get('/api/v1/auth/me', cookie);
    expect(res.status).toBe(200);
    const { data } = await res.json();
    const expected = await visibleRegionCodes(db.knex, '411100');
    expect(data.user.regionCodes).toEqual(expected);
    expect(data.regions.map((r: { code: string }) => r.code)).toEqual(expected);
    expect(data.regions.every((r: { name: string }) => r.name.length > 0)).toBe(true);
    // Each region names the one above it (camelCase at the edge, the table's parent_code).
    const parents = await db.knex('regions').whereIn('code', expected).orderBy('code').select('code', 'parent_code');
    expect(data.regions.map((r: { code: string; parentCode: string | null }) => [r.code, r.parentCode])).toEqual(parents.map((r) => [r.code, r.parent_code]));
  });

  it('logout ends the session', async () => {
    const cookie = await loginAs(srv.baseUrl, 'deputy');
    expect((await get('/api/v1/auth/me', cookie)).status).toBe(200);
    expect((await post('/api/v1/auth/logout', {}, cookie)).status).toBe(200);
    expect((await get('/api/v1/auth/me', cookie)).status).toBe(401);
  });

  it('an expired session is refused', async () => {
    const cookie = await loginAs(srv.baseUrl, 'staff');
    const token = cookie.slice('bw_session='.length);
    await db.knex('sessions').where({ token_hash: hashToken(token) }).update({ expires_at: db.knex.raw("now() - interval '1 second'") });
    expect((await get('/api/v1/auth/me', cookie)).status).toBe(401);
  });

  it('changes the own password, ending other sessions but keeping this one', async () => {
    await db.knex('users').insert({
      username: 'pwuser',
      display_name: '测试',
      password_hash: (await db.knex('users').where({ username: 'staff' }).first('password_hash')).password_hash,
      role: 'deputy',
      region_code: '411100',
    });
    const a = await loginAs(srv.baseUrl, { username: 'pwuser', password: 'Staff@2026' });
    const b = await loginAs(srv.baseUrl, { username: 'pwuser', password: 'Staff@2026' });
    const wrongOld = await post('/api/v1/auth/password', { oldPassword: 'nope', newPassword: 'Better2026x' }, a);
    expect(wrongOld.status).toBe(400);
    const weak = await post('/api/v1/auth/password', { oldPassword: 'Staff@2026', newPassword: 'short' }, a);
    expectFieldError({ status: weak.status, body: await weak.json() }, 'newPassword');
    const ok = await post('/api/v1/auth/password', { oldPassword: 'Staff@2026', newPassword: 'Better2026x' }, a);
    expect(ok.status).toBe(200);
    expect((await get('/api/v1/auth/me', a)).status).toBe(200);
    expect((await get('/api/v1/auth/me', b)).status).toBe(401);
    await expect(loginAs(srv.baseUrl, { username: 'pwuser', password: 'Staff@2026' })).rejects.toThrow();
    await loginAs(srv.baseUrl, { username: 'pwuser', password: 'Better2026x' });
  });

  it('sets helmet security headers with a CSP that allows inline styles and data: images', async () => {
    const res = await get('/api/v1/health');
    expect(res.status).toBe(200);
    const csp = res.headers.get('content-security-policy')!;
    expect(csp).toContain("style-src 'self' 'unsafe-inline'");
    expect(csp).toMatch(/img-src 'self' data:/);
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
  });

  it('rate-limits repeated failed logins with 429 RATE_LIMITED', async () => {
    let last: Response | undefined;
    for (let i = 0; i < 11; i++) last = await post('/api/v1/auth/login', { username: 'admin', password: `bad${i}` });
    expect(last!.status).toBe(429);
    expect((await last!.json()).error.code).toBe('RATE_LIMITED');
    // The limit is per username: another user can still log in from the same address.
    await loginAs(srv.baseUrl, 'deputy');
  });

  it('the own-password change shares the login limiter: wrong current passwords count toward the same 10', async () => {
    await db.knex('users').insert({
      username: 'guessed', display_name: '测试', role: 'staff', region_code: '411100',
      password_hash: (await db.knex('users').where({ username: 'staff' }).first('password_hash')).password_hash,
    });
    const s = await loginAs(srv.baseUrl, { username: 'guessed', password: 'Staff@2026' });
    for (let i = 0; i < 5; i++) expect((await post('/api/v1/auth/login', { username: 'guessed', password: `bad${i}` })).status).toBe(401);
    for (let i = 0; i < 5; i++) {
      expect((await post('/api/v1/auth/password', { oldPassword: `bad${i}`, newPassword: 'Better2026x' }, s)).status).toBe(400);
    }
    const limited = await post('/api/v1/auth/password', { oldPassword: 'Staff@2026', newPassword: 'Better2026x' }, s);
    expect(limited.status).toBe(429);
    expect((await limited.json()).error.code).toBe('RATE_LIMITED');
    expect((await post('/api/v1/auth/login', { username: 'guessed', password: 'Staff@2026' })).status).toBe(429);
  });
});
