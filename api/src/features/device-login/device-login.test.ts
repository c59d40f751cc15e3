import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../testing/index.js';
import { hashToken } from '../../middleware/auth.js';
import { loginAs, startTestServer, type TestServer } from '../../testing/index.js';
import { decodeQrDataUrl } from './decode-qr.js';

/** A phone or a screen: a cookie jar of one origin, as a browser keeps it. */
class Browser {
  cookies = new Map<string, string>();
  constructor(readonly base: string, readonly userAgent = 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 Version/17.0 Mobile/15E148 Safari/604.1') {}
  static withCookie(base: string, cookie: string) {
    const b = new Browser(base);
    const [k, v] = cookie.split('=');
    b.cookies.set(k!, v!);
    return b;
  }
  async call(method: string, path: string, body?: unknown): Promise<{ status: number; body: any }> {
    const res = await fetch(`${this.base}/api/v1${path}`, {
      method,
      headers: { 'content-type': 'application/json', 'user-agent': this.userAgent, cookie: [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ') },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    for (const c of res.headers.getSetCookie()) {
      const [pair, ...attrs] = c.split(';');
      const [k, v] = pair!.split('=');
      if (!v || attrs.some((a) => /expires=Thu, 01 Jan 1970/i.test(a))) this.cookies.delete(k!);
      else this.cookies.set(k!, v);
    }
    return { status: res.status, body: await res.json().catch(() => undefined) };
  }
}

const tokenOf = (url: string) => url.slice(url.indexOf('#') + 1);

describe('scan-to-log-in', () => {
  let db: TestDatabase;
  let srv: TestServer;
  let admin: Browser;
  let staff: Browser;
  let deputy: Browser;
  const ids: Record<string, string> = {};
  beforeAll(async () => {
    db = await createTestDatabase();
    srv = await startTestServer(db.knex);
    const hashOf = async (u: string) => (await db.knex('users').where({ username: u }).first('password_hash')).password_hash as string;
    const deputyHash = await hashOf('deputy');
    // A second deputy in the same city, one in another province, a new deputy who never changed
    // the password an admin set, and a second staff member.
    await db.knex('users').insert([
      { username: 'deputy2', display_name: '代表 张二', role: 'deputy', region_code: '411122', password_hash: deputyHash },
      { username: 'far', display_name: '外省代表', role: 'deputy', region_code: '410100', password_hash: deputyHash },
      { username: 'fresh', display_name: '新代表', role: 'deputy', region_code: '411100', password_hash: deputyHash, must_change_password: true },
      { username: 'staff2', display_name: '工作人员二', role: 'staff', region_code: '411100', password_hash: deputyHash },
    ]);
    for (const r of await db.knex('users').select('id', 'username')) ids[r.username] = String(r.id);
    admin = Browser.withCookie(srv.baseUrl, await loginAs(srv.baseUrl, 'admin'));
    staff = Browser.withCookie(srv.baseUrl, await loginAs(srv.baseUrl, 'staff'));
    deputy = Browser.withCookie(srv.baseUrl, await loginAs(srv.baseUrl, 'deputy'));
  });
  afterAll(async () => {
    await srv?.close();
    await db?.drop();
  });

  const issue = async (by: Browser, username: string, body: Record<string, unknown> = {}) => by.call('POST', '/login-codes', { userId: ids[username], ...body });

  describe('enrolment', () => {
    it('issues a QR that encodes a one-time URL; only the token hash is stored; 72 hours by default', async () => {
      const before = Date.now();
      const { status, body } = await issue(staff, 'deputy');
      expect(status).toBe(201);
      const code = body.data;
      expect(code.user).toMatchObject({ username: 'deputy', role: 'deputy' });
      expect(decodeQrDataUrl(code.qrPng)).toBe(code.url);
      expect(code.url).toMatch(new RegExp(`^${srv.baseUrl}/m/enrol#[A-Za-z0-9_-]{43}$`));
      const token = tokenOf(code.url);
      const row = await db.knex('login_codes').where({ id: code.id }).first();
      expect(row.token_hash).toBe(hashToken(token));
      expect(JSON.stringify(row)).not.toContain(token);
      const hours = (Date.parse(code.expiresAt) - before) / 3600_000;
      expect(hours).toBeGreaterThan(71.99);
      expect(hours).toBeLessThan(72.01);
      // 256 random bits each time.
      const other = tokenOf((await issue(staff, 'deputy')).body.data.url);
      expect(other).not.toBe(token);
      expect(Buffer.from(token, 'base64url').length).toBeGreaterThanOrEqual(16);
    });

    it('signs the phone in as the code\'s owner with a long-lived device session, listed and revocable', async () => {
      const { body } = await issue(staff, 'deputy2');
      const phone = new Browser(srv.baseUrl);
      const res = await phone.call('POST', '/auth/enrol', { code: tokenOf(body.data.url) });
      expect(res.status).toBe(200);
      expect(res.body.data.user).toMatchObject({ username: 'deputy2', role: 'deputy', regionCode: '411122' });
      expect((await phone.call('GET', '/auth/me')).body.data.user.username).toBe('deputy2');
      const session = await db.knex('sessions').where({ user_id: ids.deputy2, kind: 'device' }).first();
      expect(session.device_name).toBe('iPhone · Safari');
      expect((new Date(session.expires_at).getTime() - Date.now()) / 86400_000).toBeGreaterThan(179);
      const devices = (await phone.call('GET', '/auth/devices')).body.data;
      expect(devices).toHaveLength(1);
      expect(devices[0]).toMatchObject({ kind: 'device', deviceName: 'iPhone · Safari', current: true });
      // The admin sees it on the user's page and signs it out.
      const listed = await admin.call('GET', `/users/${ids.deputy2}/devices`);
      expect(listed.body.data.map((d: { id: string }) => d.id)).toEqual([devices[0].id]);
      expect((await admin.call('DELETE', `/users/${ids.deputy2}/devices/${devices[0].id}`)).status).toBe(200);
      expect((await phone.call('GET', '/auth/me')).status).toBe(401);
    });

    it('refuses a replayed code: one code, one phone', async () => {
      const { body } = await issue(staff, 'deputy');
      const code = tokenOf(body.data.url);
      const first = new Browser(srv.baseUrl);
      expect((await first.call('POST', '/auth/enrol', { code })).status).toBe(200);
      const second = new Browser(srv.baseUrl);
      const again = await second.call('POST', '/auth/enrol', { code });
      expect([again.status, again.body.error.code]).toEqual([401, 'LOGIN_CODE_USED']);
      expect(second.cookies.has('bw_session')).toBe(false);
      // Two phones racing with one code: one session between them.
      const race = tokenOf((await issue(staff, 'deputy')).body.data.url);
      const results = await Promise.all([1, 2, 3].map(() => new Browser(srv.baseUrl).call('POST', '/auth/enrol', { code: race })));
      expect(results.map((r) => r.status).sort()).toEqual([200, 401, 401]);
    });

    it('refuses an expired code and an unknown one', async () => {
      const { body } = await issue(staff, 'deputy');
      await db.knex('login_codes').where({ id: body.data.id }).update({ expires_at: db.knex.raw(`now() - interval '1 second'`) });
      const expired = await new Browser(srv.baseUrl).call('POST', '/auth/enrol', { code: tokenOf(body.data.url) });
      expect([expired.status, expired.body.error.code]).toEqual([401, 'LOGIN_CODE_EXPIRED']);
      const forged = await new Browser(srv.baseUrl).call('POST', '/auth/enrol', { code: 'A'.repeat(43) });
      expect([forged.status, forged.body.error.code]).toEqual([401, 'LOGIN_CODE_INVALID']);
      // A short-lived code as asked for.
      const short = await issue(staff, 'deputy', { ttlHours: 1 });
      expect((Date.parse(short.body.data.expiresAt) - Date.now()) / 3600_000).toBeLessThan(1.01);
    });

    it('lets only staff and admins issue codes, staff only for deputies, only inside their regions', async () => {
      const byDeputy = await issue(deputy, 'deputy2');
      expect([byDeputy.status, byDeputy.body.error.code]).toEqual([403, 'FORBIDDEN']);
      expect((await issue(deputy, 'deputy')).status).toBe(403);
      expect((await issue(staff, 'admin')).status).toBe(404); // the admin sits in 河南省, above staff's city
      expect((await issue(staff, 'staff2')).status).toBe(403);
      expect((await issue(staff, 'staff')).status).toBe(201); // their own phone
      expect((await issue(staff, 'far')).status).toBe(404); // 郑州市 is not staff's
      expect((await issue(admin, 'staff2')).status).toBe(201);
      expect((await new Browser(srv.baseUrl).call('POST', '/login-codes', { userId: ids.deputy })).status).toBe(401);
      await db.knex('users').where({ id: ids.deputy2 }).update({ active: false });
      expect((await issue(staff, 'deputy2')).status).toBe(409);
      await db.knex('users').where({ id: ids.deputy2 }).update({ active: true });
    });

    it('cross-user: a code signs in its owner only; nobody ends another user\'s device', async () => {
      const code = tokenOf((await issue(staff, 'deputy')).body.data.url);
      const phone = new Browser(srv.baseUrl);
      await phone.call('POST', '/auth/enrol', { code });
      expect((await phone.call('GET', '/auth/me')).body.data.user.id).toBe(ids.deputy);
      const mine = (await phone.call('GET', '/auth/devices')).body.data.find((d: { current: boolean }) => d.current);
      // deputy2 (another deputy) and staff cannot end it; the user-page route is the admin's.
      const other = new Browser(srv.baseUrl);
      await other.call('POST', '/auth/enrol', { code: tokenOf((await issue(staff, 'deputy2')).body.data.url) });
      expect((await other.call('DELETE', `/auth/devices/${mine.id}`)).status).toBe(404);
      expect((await staff.call('DELETE', `/auth/devices/${mine.id}`)).status).toBe(404);
      expect((await staff.call('DELETE', `/users/${ids.deputy}/devices/${mine.id}`)).status).toBe(403);
      expect((await phone.call('GET', '/auth/me')).status).toBe(200);
      // The owner can.
      expect((await phone.call('DELETE', `/auth/devices/${mine.id}`)).status).toBe(200);
      expect((await phone.call('GET', '/auth/me')).status).toBe(401);
    });

    it('the users page of staff: the deputies of their regions with their devices, read-only; deputies and liaisons refused', async () => {
      const phone = new Browser(srv.baseUrl);
      await phone.call('POST', '/auth/enrol', { code: tokenOf((await issue(staff, 'deputy2')).body.data.url) });
      const listed = await staff.call('GET', '/login-codes/users');
      expect(listed.status).toBe(200);
      const names = listed.body.data.map((u: { username: string }) => u.username);
      expect(names).toEqual(expect.arrayContaining(['deputy', 'deputy2', 'fresh']));
      // Only deputies, only staff's city (not 郑州市's 'far').
      expect(listed.body.data.every((u: { role: string }) => u.role === 'deputy')).toBe(true);
      expect(names).not.toContain('far');
      const d2 = listed.body.data.find((u: { username: string }) => u.username === 'deputy2');
      expect(d2).toMatchObject({ id: ids.deputy2, regionCode: '411122', active: true });
      expect(d2.devices).toBeGreaterThanOrEqual(1);
      // An admin's list holds every role of the admin's regions.
      const all = (await admin.call('GET', '/login-codes/users')).body.data.map((u: { username: string }) => u.username);
      expect(all).toEqual(expect.arrayContaining(['staff', 'staff2', 'deputy2']));
      // Staff read a deputy's devices, not another staff member's, and end none.
      const devices = await staff.call('GET', `/users/${ids.deputy2}/devices`);
      expect(devices.status).toBe(200);
      expect(devices.body.data.some((d: { kind: string }) => d.kind === 'device')).toBe(true);
      expect((await staff.call('GET', `/users/${ids.staff2}/devices`)).status).toBe(403);
      expect((await staff.call('GET', `/users/${ids.far}/devices`)).status).toBe(404);
      expect((await staff.call('DELETE', `/users/${ids.deputy2}/devices/${devices.body.data[0].id}`)).status).toBe(403);
      expect((await deputy.call('GET', '/login-codes/users')).status).toBe(403);
      expect((await deputy.call('GET', `/users/${ids.deputy2}/devices`)).status).toBe(403);
    });

    it('a phone enrolled by code is not held to an admin-set password it never used', async () => {
      const phone = new Browser(srv.baseUrl);
      await phone.call('POST', '/auth/enrol', { code: tokenOf((await issue(staff, 'fresh')).body.data.url) });
      expect((await phone.call('GET', '/drill/summary?region=411100')).status).toBe(200);
      const pw = Browser.withCookie(srv.baseUrl, await loginAs(srv.baseUrl, { username: 'fresh', password: 'Deputy@2026' }));
      expect((await pw.call('GET', '/drill/summary?region=411100')).body.error.code).toBe('PASSWORD_CHANGE_REQUIRED');
    });
  });

  describe('big screen', () => {
    const screenUa = 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/130.0 Safari/537.36';
    const newScreen = async (deviceName?: string) => {
      const screen = new Browser(srv.baseUrl, screenUa);
      const res = await screen.call('POST', '/auth/screen-challenges', deviceName ? { deviceName } : {});
      expect(res.status).toBe(200);
      const url = decodeQrDataUrl(res.body.data.qrPng)!;
      expect(url).toMatch(new RegExp(`^${srv.baseUrl}/m/confirm#[A-Za-z0-9_-]{43}$`));
      return { screen, code: tokenOf(url), data: res.body.data };
    };

    it('signs the screen in as the user who confirmed on the phone, naming the device', async () => {
      const { screen, code, data } = await newScreen('联网监督室大屏');
      expect(data.rotateSeconds).toBeLessThanOrEqual(60);
      expect(Date.parse(data.expiresAt) - Date.now()).toBeLessThanOrEqual(60_000);
      expect((await screen.call('POST', '/auth/screen-challenges/poll')).body.data).toEqual({ status: 'pending', signedIn: null });
      const asked = await deputy.call('POST', '/auth/screen-challenges/inspect', { code });
      expect(asked.body.data.deviceName).toBe('联网监督室大屏');
      const yes = await deputy.call('POST', '/auth/screen-challenges/confirm', { code, approve: true });
      expect(yes.body.data).toEqual({ approved: true, deviceName: '联网监督室大屏' });
      const polled = await screen.call('POST', '/auth/screen-challenges/poll');
      expect(polled.body.data.status).toBe('confirmed');
      expect(polled.body.data.signedIn.user).toMatchObject({ username: 'deputy', role: 'deputy', regionCode: '411100' });
      const me = await screen.call('GET', '/auth/me');
      expect(me.body.data.user.username).toBe('deputy');
      expect(me.body.data.user.regionCodes).toContain('411122');
      const session = await db.knex('sessions').where({ user_id: ids.deputy, kind: 'screen' }).first();
      expect(session.device_name).toBe('联网监督室大屏');
    });

    it('refuses replay: a confirmed QR cannot be confirmed again or collected twice', async () => {
      const { screen, code } = await newScreen();
      const pollCookie = screen.cookies.get('bw_screen')!;
      await deputy.call('POST', '/auth/screen-challenges/confirm', { code, approve: true });
      expect((await screen.call('POST', '/auth/screen-challenges/poll')).body.data.status).toBe('confirmed');
      for (const who of [deputy, staff]) {
        const again = await who.call('POST', '/auth/screen-challenges/confirm', { code, approve: true });
        expect([again.status, again.body.error.code]).toEqual([401, 'LOGIN_CODE_USED']);
      }
      // The same poll secret again (a copied cookie) collects nothing.
      const copy = new Browser(srv.baseUrl);
      copy.cookies.set('bw_screen', pollCookie);
      const replay = await copy.call('POST', '/auth/screen-challenges/poll');
      expect(replay.body.data).toEqual({ status: 'expired', signedIn: null });
      expect(copy.cookies.has('bw_session')).toBe(false);
    });

    it('cross-user: whoever photographs the QR cannot collect the login; the session is the confirmer\'s', async () => {
      const { screen, code } = await newScreen();
      await staff.call('POST', '/auth/screen-challenges/confirm', { code, approve: true });
      const bystander = new Browser(srv.baseUrl);
      expect((await bystander.call('POST', '/auth/screen-challenges/poll')).status).toBe(401);
      bystander.cookies.set('bw_screen', code); // the QR's token is not the poll secret
      expect((await bystander.call('POST', '/auth/screen-challenges/poll')).status).toBe(401);
      expect(bystander.cookies.has('bw_session')).toBe(false);
      const polled = await screen.call('POST', '/auth/screen-challenges/poll');
      expect(polled.body.data.signedIn.user.username).toBe('staff');
    });

    it('refuses an expired QR; a denied one signs nobody in', async () => {
      const { screen, code } = await newScreen();
      await db.knex('login_codes').where({ token_hash: hashToken(code) }).update({ expires_at: db.knex.raw(`now() - interval '1 second'`) });
      for (const path of ['/auth/screen-challenges/inspect', '/auth/screen-challenges/confirm']) {
        const res = await deputy.call('POST', path, { code, approve: true });
        expect([path, res.status, res.body.error.code]).toEqual([path, 401, 'LOGIN_CODE_EXPIRED']);
      }
      expect((await screen.call('POST', '/auth/screen-challenges/poll')).body.data.status).toBe('expired');
      const denied = await newScreen();
      expect((await deputy.call('POST', '/auth/screen-challenges/confirm', { code: denied.code, approve: false })).body.data.approved).toBe(false);
      expect((await denied.screen.call('POST', '/auth/screen-challenges/poll')).body.data).toEqual({ status: 'denied', signedIn: null });
      expect(denied.screen.cookies.has('bw_session')).toBe(false);
      const late = await deputy.call('POST', '/auth/screen-challenges/confirm', { code: denied.code, approve: true });
      expect(late.body.error.code).toBe('LOGIN_CODE_USED');
    });

    it('needs a signed-in phone to confirm', async () => {
      const { code } = await newScreen();
      expect((await new Browser(srv.baseUrl).call('POST', '/auth/screen-challenges/confirm', { code, approve: true })).status).toBe(401);
    });
  });

  it('rate-limits guessing: the 11th wrong code from one address in 15 minutes answers 429', async () => {
    const guesser = new Browser(srv.baseUrl);
    const statuses: number[] = [];
    for (let i = 0; i < 11; i++) statuses.push((await guesser.call('POST', '/auth/enrol', { code: `${'B'.repeat(40)}${String(i).padStart(3, '0')}` })).status);
    // Earlier tests' refused codes (expired, replayed, forged) count too: every answer was a 401 until the limit.
    expect(statuses.filter((s) => s !== 401 && s !== 429)).toEqual([]);
    expect(statuses.at(-1)).toBe(429);
  });
});
