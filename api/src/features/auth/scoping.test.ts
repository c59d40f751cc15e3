import { hash } from '@node-rs/argon2';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type TestDatabase, loginAs, type TestServer, openApiTest, type ApiTest, seedSmallCity } from '../../testing/index.js';
import { refreshAggregates } from '../drilldown/aggregates.js';

// A user bound to a region sees that region and the regions below it, nothing else.
const REGION_PAGES = [
  '/drill/summary', '/drill/departments', '/drill/functions', '/drill/vouchers', '/drill/regions',
  '/debt/summary', '/debt/bonds', '/assets/reports', '/assets/idle', '/audit/findings', '/audit/repeats',
];

describe('region scoping', () => {
  let db: TestDatabase;
  let srv: TestServer;
  const cookies: Record<string, string> = {};
  let t: ApiTest;
  beforeAll(async () => {
    t = await openApiTest({
      seed: async (db) => {
        await seedSmallCity(db.knex, '2025-10-01');
        await refreshAggregates(db.knex);
        await db.knex('users').insert({ username: 'county', display_name: '舞阳县 用户', password_hash: await hash('County@2026'), role: 'staff', region_code: '411121' });
      },
    });
    ({ db, srv, staff: cookies.city, admin: cookies.province } = t);
    cookies.county = await loginAs(srv.baseUrl, { username: 'county', password: 'County@2026' });
  });
  afterAll(async () => {
    await t?.close();
  });

  const status = async (who: string, path: string, region?: string) => {
    const sep = path.includes('?') ? '&' : '?';
    const res = await fetch(`${srv.baseUrl}/api/v1${path}${region ? `${sep}region=${region}` : ''}`, { headers: { cookie: cookies[who]! } });
    return res.status;
  };

  const scopes: [string, string[], string[]][] = [
    ['county', ['411121'], ['411100', '411122', '410000']],
    ['city', ['411100', '411121', '411122', '411102'], ['410000']],
    ['province', ['410000', '411100', '411121'], []],
  ];
  for (const [who, allowed, refused] of scopes) {
    it(`${who} user: sees ${allowed.join(', ')}; 403 on ${refused.join(', ') || 'nothing'}`, async () => {
      for (const page of REGION_PAGES) {
        expect([page, await status(who, page)]).toEqual([page, 200]);
        for (const r of allowed) expect([page, r, await status(who, page, r)]).toEqual([page, r, 200]);
        for (const r of refused) expect([page, r, await status(who, page, r)]).toEqual([page, r, 403]);
      }
    });
  }

  it('/auth/me and the regions level list exactly the visible regions', async () => {
    const me = await (await fetch(`${srv.baseUrl}/api/v1/auth/me`, { headers: { cookie: cookies.county! } })).json();
    expect(me.data.user.regionCodes).toEqual(['411121']);
    const city = await (await fetch(`${srv.baseUrl}/api/v1/auth/me`, { headers: { cookie: cookies.city! } })).json();
    expect(city.data.user.regionCodes).toEqual(['411100', '411102', '411103', '411104', '411121', '411122']);
    const regions = await (await fetch(`${srv.baseUrl}/api/v1/drill/regions`, { headers: { cookie: cookies.city! } })).json();
    expect(regions.data.rows.map((r: { code: string }) => r.code)).toEqual(['411100', '411121', '411122']);
  });

  it('a county user cannot open a city voucher by number', async () => {
    const v = await db.knex('payment_vouchers').where({ region_code: '411100' }).first('voucher_no');
    expect(await status('county', `/drill/vouchers/${v.voucher_no}`, '411100')).toBe(403);
    expect(await status('county', `/drill/vouchers/${v.voucher_no}`)).toBe(404);
    expect(await status('city', `/drill/vouchers/${v.voucher_no}`)).toBe(200);
  });

  it('admins manage only users inside their region; non-admins are refused', async () => {
    expect(await status('city', '/users')).toBe(403);
    const res = await fetch(`${srv.baseUrl}/api/v1/users`, { headers: { cookie: cookies.province! } });
    const list = await res.json();
    expect(list.data.map((u: { username: string }) => u.username)).toEqual(expect.arrayContaining(['staff', 'deputy', 'admin', 'county']));
  });
});
