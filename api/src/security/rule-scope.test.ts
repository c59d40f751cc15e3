import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type TestDatabase, apiCall, loginAs, type TestServer, openApiTest, type ApiTest } from '../testing/index.js';
import { evaluateRules } from '../rules/index.js';
import { createUser } from './attack-client.js';

// Issue 13, item 9: rule settings and the time-progress convention belong to a region.
describe('security: rule settings scoped to the region they govern', () => {
  let db: TestDatabase;
  let srv: TestServer;
  const c: Record<string, string> = {};
  let t: ApiTest;
  beforeAll(async () => {
    t = await openApiTest({
      seed: async (db) => {
        await createUser(db.knex, { username: 'yuanhui_staff', password: 'County@2026', role: 'staff', region: '411102' });
        await createUser(db.knex, { username: 'yancheng_staff', password: 'County@2026', role: 'staff', region: '411103' });
      },
    });
    ({ db, srv, staff: c.city, deputy: c.deputy } = t);
    c.yuanhui = await loginAs(srv.baseUrl, { username: 'yuanhui_staff', password: 'County@2026' });
    c.yancheng = await loginAs(srv.baseUrl, { username: 'yancheng_staff', password: 'County@2026' });
  });
  afterAll(async () => {
    await t?.close();
  });
  const call = (who: string, method: string, path: string, body?: unknown) => apiCall(srv.baseUrl, c[who]!, method, path, body);
  const r01 = async (who: string, region: string) => (await call(who, 'GET', `/rules/R01?region=${region}`)).body.data;

  it('attack: county staff turn R01 off for the city above them, or for a sibling county → 403, nothing changed', async () => {
    for (const region of ['411100', '411103', '410000']) {
      const res = await call('yuanhui', 'PUT', `/rules/R01?region=${region}`, { enabled: false, reason: '越权' });
      expect([region, res.status, res.body.error?.code]).toEqual([region, 403, 'FORBIDDEN']);
    }
    expect(await db.knex('rule_setting_history').where({ rule_id: 'R01' }).count({ n: '*' })).toEqual([{ n: '1' }]);
    expect((await r01('city', '411100')).enabled).toBe(true);
  });

  it('attack: county staff switch the time-progress convention: only their county changes', async () => {
    const put = await call('yuanhui', 'PUT', '/rules/time-progress', { convention: 'months' });
    expect(put.status).toBe(200);
    expect(put.body.data).toMatchObject({ convention: 'months', regionCode: '411102' });
    expect((await call('yuanhui', 'PUT', '/rules/time-progress?region=411100', { convention: 'months' })).status).toBe(403);
    expect((await call('city', 'GET', '/rules/time-progress?region=411100')).body.data.convention).toBe('days');
    expect((await call('yancheng', 'GET', '/rules/time-progress')).body.data.convention).toBe('days');
    expect((await call('city', 'GET', '/rules/time-progress?region=411102')).body.data.convention).toBe('months');
    // The dashboard of each region follows its own convention.
    const county = await call('yuanhui', 'GET', '/drill/summary?region=411102&asOf=2025-09-29');
    const city = await call('city', 'GET', '/drill/summary?region=411100&asOf=2025-09-29');
    expect(JSON.stringify(county.body)).toContain('"convention":"months"');
    expect(JSON.stringify(city.body)).toContain('"convention":"days"');
  });

  it('a region inherits the settings above it unless it overrides them; history names the region', async () => {
    const off = await call('city', 'PUT', '/rules/R01?region=411100', { enabled: false, reason: '市级停用' });
    expect(off.status).toBe(200);
    expect(off.body.data).toMatchObject({ enabled: false, regionCode: '411100' });
    expect(await r01('yancheng', '411103')).toMatchObject({ enabled: false, regionCode: '411100' }); // inherited
    const own = await call('yuanhui', 'PUT', '/rules/R01', { enabled: true, reason: '本区继续监测' });
    expect(own.body.data).toMatchObject({ enabled: true, regionCode: '411102' });
    await call('city', 'PUT', '/rules/R01', { params: { bands: { yellow: '12', orange: '20', red: '30' }, graceUntil: '04-01', minProjectIndicator: '500000' }, reason: '市级调整' });
    expect((await r01('yuanhui', '411102')).params.bands.yellow).toBe('10'); // its own override stands
    expect((await r01('yancheng', '411103')).params.bands.yellow).toBe('12');
    const history = (await call('yuanhui', 'GET', '/rules/R01/history')).body.data;
    // The changes at this region and above it, newest first, each naming its region.
    expect(history.map((h: any) => [h.regionCode, h.reason])).toEqual([
      ['411100', '市级调整'], ['411102', '本区继续监测'], ['411100', '市级停用'], [null, '初始默认阈值（RULES.md）'],
    ]);
    expect(history[1].regionName).toBe('源汇区');
    // A sibling county's history does not show 源汇区's override.
    const sibling = (await call('yancheng', 'GET', '/rules/R01/history')).body.data;
    expect(sibling.map((h: any) => h.regionCode)).toEqual(['411100', '411100', null]);
    // A deputy cannot change anything, anywhere.
    expect((await call('deputy', 'PUT', '/rules/R01?region=411102', { enabled: false, reason: 'x' })).status).toBe(403);
  });

  it('the rules engine evaluates each region with that region’s effective settings', async () => {
    const county = await evaluateRules(db.knex, { regionCode: '411102', asOf: '2025-09-30', trigger: 'test' });
    const sibling = await evaluateRules(db.knex, { regionCode: '411103', asOf: '2025-09-30', trigger: 'test' });
    const versions = async (id: string) => (await db.knex('rule_evaluations').where({ id }).first()).rule_versions;
    expect(Object.keys(await versions(county.evaluationId))).toContain('R01');
    expect(Object.keys(await versions(sibling.evaluationId))).not.toContain('R01');
    // The recorded version names the history row, and so the region, the thresholds came from.
    const v = (await versions(county.evaluationId)).R01;
    expect((await db.knex('rule_setting_history').where({ rule_id: 'R01', version: v }).first()).region_code).toBe('411102');
  });
});
