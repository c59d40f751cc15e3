import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type TestDatabase, insertRows, apiCall, type TestServer, openApiTest, type ApiTest, expectFieldError } from '../../testing/index.js';
import { RULES } from '../../rules/index.js';

describe('rules API: thresholds in the database, versioned, edited by staff', () => {
  let db: TestDatabase;
  let srv: TestServer;
  let staff: string;
  let deputy: string;
  let admin: string;

  const call = (cookie: string, method: string, path: string, body?: unknown) => apiCall(srv.baseUrl, cookie, method, path, body);

  let t: ApiTest;
  beforeAll(async () => {
    t = await openApiTest();
    ({ db, srv, staff, deputy, admin } = t);
  });
  afterAll(async () => {
    await t?.close();
  });

  it('lists every rule with its current parameters and version, to deputies too', async () => {
    const res = await call(deputy, 'GET', '/rules');
    expect(res.status).toBe(200);
    expect(res.body.data.map((r: { id: string }) => r.id)).toEqual(RULES.map((r) => r.id));
    expect(res.body.data[0]).toMatchObject({
      id: 'R01', nameZh: '支出进度滞后', enabled: true, version: 1,
      params: { bands: { yellow: '10', orange: '20', red: '30' }, graceUntil: '04-01', minProjectIndicator: '500000' },
    });
    expect(res.body.meta).toEqual({ convention: 'days', regionCode: null });
  });

  it('lets staff change thresholds with a reason: new version, history with who/old/new/why', async () => {
    const put = await call(staff, 'PUT', '/rules/R04', { params: { bands: { yellow: '25', orange: '40', red: '60' } }, reason: '本年追加口径调整' });
    expect(put.status).toBe(200);
    expect(put.body.data).toMatchObject({ version: 2, params: { bands: { yellow: '25', orange: '40', red: '60' } }, updatedBy: expect.any(String) });
    // The province's admin may change the city's settings (a region above it).
    const off = await call(admin, 'PUT', '/rules/R04?region=411100', { enabled: false, reason: '暂停' });
    expect(off.body.data).toMatchObject({ version: 3, enabled: false, params: { bands: { yellow: '25' } }, regionCode: '411100' });
    const hist = await call(deputy, 'GET', '/rules/R04/history');
    expect(hist.body.data.map((h: { version: number }) => h.version)).toEqual([3, 2, 1]);
    expect(hist.body.data[1]).toMatchObject({
      reason: '本年追加口径调整', changedBy: { username: 'staff' },
      paramsOld: { bands: { yellow: '20', orange: '35', red: '50' } }, paramsNew: { bands: { yellow: '25', orange: '40', red: '60' } },
      enabledOld: true, enabledNew: true,
    });
    expect(hist.body.data[0]).toMatchObject({ enabledOld: true, enabledNew: false, changedBy: { username: 'admin' } });
    const one = await call(deputy, 'GET', '/rules/R04');
    expect(one.body.data).toMatchObject({ version: 3, enabled: false });
    expect(one.body.data.history).toHaveLength(3);
  });

  it('refuses invalid parameters with 400 naming the field, deputies with 403, unknown rules with 404', async () => {
    const notDecimal = await call(staff, 'PUT', '/rules/R01', { params: { bands: { yellow: 'ten', orange: '20', red: '30' }, graceUntil: '04-01', minProjectIndicator: '500000' }, reason: 'x' });
    expectFieldError(notDecimal, 'params.bands.yellow');
    const unordered = await call(staff, 'PUT', '/rules/R01', { params: { bands: { yellow: '10', orange: '5', red: '30' }, graceUntil: '04-01', minProjectIndicator: '500000' }, reason: 'x' });
    expectFieldError(unordered, 'params.bands.orange');
    const noReason = await call(staff, 'PUT', '/rules/R01', { enabled: false });
    expectFieldError(noReason, 'reason');
    const extra = await call(staff, 'PUT', '/rules/R02', { params: { tolerance: '0', severity: 'red', nonsense: 1 }, reason: 'x' });
    expect(extra.status).toBe(400);
    const deputyPut = await call(deputy, 'PUT', '/rules/R01', { enabled: false, reason: '代表不能改' });
    expect([deputyPut.status, deputyPut.body.error.code]).toEqual([403, 'FORBIDDEN']);
    expect((await call(staff, 'PUT', '/rules/R99', { enabled: false, reason: 'x' })).status).toBe(404);
    expect((await db.knex('rule_settings').where({ rule_id: 'R01' }).first()).version).toBe(1);
  });

  it('switches the time-progress convention (staff), deputies refused', async () => {
    expect((await call(deputy, 'PUT', '/rules/time-progress', { convention: 'months' })).status).toBe(403);
    const put = await call(staff, 'PUT', '/rules/time-progress', { convention: 'months' });
    expect(put.body.data.convention).toBe('months');
    const ex = await call(deputy, 'GET', '/rules/time-progress?asOf=2025-09-30');
    expect(ex.body.data).toMatchObject({ convention: 'months', example: { elapsed: 9, total: 12, percent: '75' } });
    await call(staff, 'PUT', '/rules/time-progress', { convention: 'days' });
  });

  it('keeps the history of the time-progress convention: from, to, who, when, newest first', async () => {
    const h = await call(deputy, 'GET', '/rules/time-progress/history');
    expect(h.status).toBe(200);
    expect(h.body.data.map((c: { from: string; to: string; changedBy: { username: string } }) => [c.from, c.to, c.changedBy.username])).toEqual([
      ['months', 'days', 'staff'],
      ['days', 'months', 'staff'],
    ]);
    expect(Date.parse(h.body.data[0].changedAt)).toBeGreaterThanOrEqual(Date.parse(h.body.data[1].changedAt));
    // A county has its own history (none yet), though it inherits the city's convention.
    expect((await call(staff, 'GET', '/rules/time-progress/history?region=411102')).body.data).toEqual([]);
  });

  it('evaluates on demand for a visible region (staff), deputies refused', async () => {
    await insertRows(db.knex, {
      agencies: [{ agency_code: 'D1', agency_name: '某局' }],
      indicators: [{ indicator_no: 'I1', agency_code: 'D1', amount: '1000000.00' }],
    }, '411121');
    expect((await call(deputy, 'POST', '/rules/evaluate', { region: '411100', asOf: '2025-09-30' })).status).toBe(403);
    expect((await call(staff, 'POST', '/rules/evaluate', { region: '410000', asOf: '2025-09-30' })).status).toBe(403);
    expectFieldError(await call(staff, 'POST', '/rules/evaluate', { region: '411100', asOf: '2025/09/30' }), 'asOf');
    expectFieldError(await call(staff, 'POST', '/rules/evaluate', { region: '411100', asOf: '2025-02-29' }), 'asOf');
    const res = await call(staff, 'POST', '/rules/evaluate', { region: '411100', asOf: '2025-09-30', includeSubRegions: true });
    expect(res.status).toBe(200);
    expect(res.body.data.map((e: { regionCode: string }) => e.regionCode)).toEqual(['411100', '411102', '411103', '411104', '411121', '411122']);
    const county = res.body.data.find((e: { regionCode: string }) => e.regionCode === '411121');
    expect(county.raised).toBeGreaterThan(0);
    expect(county.rules.find((r: { ruleId: string }) => r.ruleId === 'R04')).toBeUndefined(); // disabled above
    const evals = await call(deputy, 'GET', '/rules/evaluations?region=411121');
    expect(evals.body.data[0]).toMatchObject({ regionCode: '411121', asOf: '2025-09-30', trigger: 'api:staff', ruleVersions: { R01: 1, R02: 1 } });
    // Without asOf (the Rules page's 立即重新评估): each region as of its latest delivery, like the nightly run.
    const latest = (await db.knex('batches').where({ region_code: '411100', status: 'committed' }).max('business_date as d').first())?.d;
    const again = await call(staff, 'POST', '/rules/evaluate', { region: '411100' });
    expect([again.status, again.body.data[0].asOf]).toEqual([200, latest ?? expect.any(String)]);
    expect(again.body.data[0]).toEqual(expect.objectContaining({ raised: expect.any(Number), updated: expect.any(Number), cleared: expect.any(Number) }));
  });
});
