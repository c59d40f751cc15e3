import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type TestDatabase, type TestServer, openApiTest, type ApiTest } from '../testing/index.js';
import { tryLogin } from './attack-client.js';

// Issue 13, item 8: password guessing around the login limiter.
describe('security: login limiter', () => {
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

  it('attack: padding the username (" staff", "staff ") after 10 failures does not reset the count', async () => {
    for (let i = 0; i < 10; i++) expect((await tryLogin(srv.baseUrl, 'staff', `wrong${i}`)).status).toBe(401);
    const padded = [' staff', 'staff ', '\tstaff', ' staff\u3000', 'ｓｔａｆｆ'];
    const answers = await Promise.all(padded.map((u) => tryLogin(srv.baseUrl, u, 'Staff@2026')));
    expect(answers.map((a) => a.status)).toEqual(padded.map(() => 429));
  });

  it('a throttled user still logs in from another address', async () => {
    const other = await tryLogin(srv.baseUrl, 'staff', 'Staff@2026', '127.0.0.2');
    expect(other.status).toBe(200);
    expect(other.cookie).toBeDefined();
  });

  it('attack: one address guessing across many usernames is capped', async () => {
    const from = '127.0.0.3';
    const statuses: number[] = [];
    for (let i = 0; i < 32; i++) statuses.push((await tryLogin(srv.baseUrl, `nobody${i}`, 'guess', from)).status);
    expect(statuses.slice(0, 30).every((s) => s === 401)).toBe(true);
    expect(statuses.slice(30).every((s) => s === 429)).toBe(true);
    // Even a right password is refused from that address until the window passes...
    expect((await tryLogin(srv.baseUrl, 'deputy', 'Deputy@2026', from)).status).toBe(429);
    // ...but the cap locks nobody out from anywhere else.
    expect((await tryLogin(srv.baseUrl, 'deputy', 'Deputy@2026', '127.0.0.4')).status).toBe(200);
  });
});
