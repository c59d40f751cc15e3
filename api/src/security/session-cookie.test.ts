import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase, startTestServer, type TestServer } from '../testing/index.js';
import { rawRequest, tryLogin } from './attack-client.js';

// Issue 13, item 15: logging a user out from another site, and the cookie behind a TLS proxy.
describe('security: logout CSRF and the Secure cookie', () => {
  let db: TestDatabase;
  let plain: TestServer;
  let proxied: TestServer;
  beforeAll(async () => {
    db = await createTestDatabase();
    plain = await startTestServer(db.knex);
    proxied = await startTestServer(db.knex, { BW_TRUST_PROXY: 'loopback' });
  });
  afterAll(async () => {
    await plain?.close();
    await proxied?.close();
    await db?.drop();
  });

  const me = async (cookie: string) => (await rawRequest(plain.baseUrl, { path: '/api/v1/auth/me', headers: { cookie } })).status;
  const logout = (cookie: string, headers: Record<string, string>, method = 'POST') =>
    rawRequest(plain.baseUrl, { method, path: '/api/v1/auth/logout', headers: { cookie, ...headers } });

  it('attack: a cross-site form POST to logout (Origin of another site) is refused and the session lives', async () => {
    const { cookie } = await tryLogin(plain.baseUrl, 'staff', 'Staff@2026');
    const res = await logout(cookie!, { origin: 'http://evil.example', 'content-type': 'text/plain' });
    expect(res.status).toBe(403);
    expect(res.json().error.code).toBe('FORBIDDEN');
    expect(await me(cookie!)).toBe(200);
  });

  it('attack: a same-site but cross-origin POST (sibling host, Sec-Fetch-Site: same-site) is refused', async () => {
    const { cookie } = await tryLogin(plain.baseUrl, 'staff', 'Staff@2026');
    expect((await logout(cookie!, { 'sec-fetch-site': 'same-site', origin: 'http://other.127.0.0.1.nip.io' })).status).toBe(403);
    expect((await logout(cookie!, { referer: 'http://evil.example/page' })).status).toBe(403);
    expect(await me(cookie!)).toBe(200);
  });

  it('attack: logout by GET (an <img src>) does nothing', async () => {
    const { cookie } = await tryLogin(plain.baseUrl, 'staff', 'Staff@2026');
    expect((await logout(cookie!, {}, 'GET')).status).toBe(404);
    expect(await me(cookie!)).toBe(200);
  });

  it('the app itself logs out: same-origin POST', async () => {
    const { cookie } = await tryLogin(plain.baseUrl, 'staff', 'Staff@2026');
    const res = await logout(cookie!, { origin: plain.baseUrl, 'sec-fetch-site': 'same-origin' });
    expect(res.status).toBe(200);
    expect(await me(cookie!)).toBe(401);
  });

  it('the session cookie is Secure when the request came over TLS through the trusted proxy', async () => {
    const viaTls = await rawRequest(proxied.baseUrl, {
      method: 'POST', path: '/api/v1/auth/login', headers: { 'content-type': 'application/json', 'x-forwarded-proto': 'https' },
      body: JSON.stringify({ username: 'staff', password: 'Staff@2026' }),
    });
    expect(viaTls.status).toBe(200);
    expect(String(viaTls.headers['set-cookie'])).toMatch(/;\s*Secure/i);
    // Plain http through the proxy: no Secure (the cookie would never come back).
    expect((await tryLogin(proxied.baseUrl, 'staff', 'Staff@2026')).setCookie).not.toMatch(/;\s*Secure/i);
  });

  it('attack: X-Forwarded-Proto from a client when no proxy is trusted does not make the cookie Secure', async () => {
    const res = await rawRequest(plain.baseUrl, {
      method: 'POST', path: '/api/v1/auth/login', headers: { 'content-type': 'application/json', 'x-forwarded-proto': 'https' },
      body: JSON.stringify({ username: 'staff', password: 'Staff@2026' }),
    });
    expect(res.status).toBe(200);
    expect(String(res.headers['set-cookie'])).not.toMatch(/;\s*Secure/i);
  });
});
