import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type TestDatabase, type TestServer, seedDrillData, openApiTest, type ApiTest } from '../testing/index.js';
import { rawRequest, type RawResponse } from './attack-client.js';

// Issue 13, item 14: a client's mistake or probe is a 4xx in the API's error shape, never a 500.
describe('security: client errors answer 4xx with the error shape', () => {
  let db: TestDatabase;
  let srv: TestServer;
  let staff: string;
  let admin: string;
  let t: ApiTest;
  beforeAll(async () => {
    t = await openApiTest({ seed: (db) => seedDrillData(db.knex) });
    ({ db, srv, staff, admin } = t);
  });
  afterAll(async () => {
    await t?.close();
  });

  const expectClientError = (res: RawResponse, status: number, code?: string) => {
    expect(res.status, res.text).toBe(status);
    const body = res.json();
    expect(body.error.code).toBe(code ?? body.error.code);
    expect(typeof body.error.message).toBe('string');
    expect(res.text).not.toMatch(/\bat \S+ \(|node_modules|\.ts:\d+/); // no stack trace
  };
  const postLogin = (body: string | Buffer, contentType = 'application/json') =>
    rawRequest(srv.baseUrl, { method: 'POST', path: '/api/v1/auth/login', headers: { 'content-type': contentType }, body });
  const get = (path: string, cookie = staff) => rawRequest(srv.baseUrl, { path: `/api/v1${path}`, headers: { cookie } });

  it('attack: malformed JSON → 400 VALIDATION', async () => {
    expectClientError(await postLogin('{"username":"staff",'), 400, 'VALIDATION');
  });

  it('attack: a null, array or scalar JSON body → 400 VALIDATION', async () => {
    for (const body of ['null', '[]', '"x"', '42']) expectClientError(await postLogin(body), 400, 'VALIDATION');
    const put = await rawRequest(srv.baseUrl, {
      method: 'PUT', path: '/api/v1/rules/R01', headers: { cookie: staff, 'content-type': 'application/json' }, body: 'null',
    });
    expectClientError(put, 400, 'VALIDATION');
  });

  it('attack: a body over the limit → 413 PAYLOAD_TOO_LARGE', async () => {
    const big = JSON.stringify({ username: 'staff', password: 'x'.repeat(2 * 1024 * 1024) });
    expectClientError(await postLogin(big), 413, 'PAYLOAD_TOO_LARGE');
  });

  it('attack: an unsupported charset → 415 UNSUPPORTED_MEDIA_TYPE', async () => {
    expectClientError(await postLogin('{"username":"staff","password":"x"}', 'application/json; charset=koi8-r'), 415, 'UNSUPPORTED_MEDIA_TYPE');
  });

  it('attack: NUL bytes in query, path and body → 400 VALIDATION', async () => {
    expectClientError(await get('/drill/vouchers?payee=a%00b'), 400, 'VALIDATION');
    expectClientError(await get('/drill/vouchers/PZ%001'), 400, 'VALIDATION');
    expectClientError(await get('/departments/411100101%00/opinions'), 400, 'VALIDATION');
    expectClientError(await postLogin(JSON.stringify({ username: 'sta\u0000ff', password: 'x' })), 400, 'VALIDATION');
  });

  it('attack: a well-formed cursor holding an impossible date → 400 VALIDATION', async () => {
    for (const bad of [['2026-13-45', 'PZ1'], ['0000-00-00', 'PZ1'], ['2025-02-30', 'PZ1']]) {
      const cursor = Buffer.from(JSON.stringify(bad)).toString('base64url');
      expectClientError(await get(`/drill/vouchers?sort=date&cursor=${cursor}`), 400, 'VALIDATION');
    }
    const hugeAmount = Buffer.from(JSON.stringify(['9'.repeat(40), 'PZ1'])).toString('base64url');
    expectClientError(await get(`/drill/vouchers?sort=amount&cursor=${hugeAmount}`), 400, 'VALIDATION');
  });

  it('attack: numeric ids beyond bigint → 4xx', async () => {
    const huge = '99999999999999999999999';
    for (const path of [`/alerts/${huge}`, `/alerts/411100-${huge}`, `/users/${huge}`, `/reports/${huge}`, `/reports/411100-${huge}`, `/data/quarantine?batchId=${huge}`]) {
      const res = await get(path, admin);
      expect(res.status, `${path}: ${res.text}`).toBeGreaterThanOrEqual(400);
      expect(res.status, `${path}: ${res.text}`).toBeLessThan(500);
      expect(res.json().error.code).toBeDefined();
    }
    const answer = await rawRequest(srv.baseUrl, {
      method: 'POST', path: `/api/v1/opinions/${huge}/answer`, headers: { cookie: staff, 'content-type': 'application/json' },
      body: JSON.stringify({ answer: '已整改' }),
    });
    expect(answer.status, answer.text).toBeLessThan(500);
  });

  it('attack: exports of Object.prototype names → 404 NOT_FOUND', async () => {
    for (const name of ['__proto__', 'constructor', 'toString', 'hasOwnProperty']) {
      expectClientError(await get(`/exports/${name}`), 404, 'NOT_FOUND');
    }
  });

  it('attack: a duplicate key answers 409 without PostgreSQL detail', async () => {
    const res = await rawRequest(srv.baseUrl, {
      method: 'POST', path: '/api/v1/users', headers: { cookie: admin, 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'staff', displayName: '重复', password: 'Passw0rd2026', role: 'staff', regionCode: '411100' }),
    });
    expectClientError(res, 409, 'CONFLICT');
    expect(res.text).not.toMatch(/Key \(|already exists|\(username\)/);
  });
});
