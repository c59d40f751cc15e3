import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type TestDatabase, BEHIND_SCHEDULE_ROWS, insertRows, publicIds, byPublicId, loginAs, type BoundApiCall, type TestServer, openApiTest, type ApiTest, expectFieldError } from '../../testing/index.js';
import { evaluateRules } from '../../rules/index.js';

describe('review opinions (审议意见) on a department, and the list across alerts and departments', () => {
  let db: TestDatabase;
  let srv: TestServer;
  let staff: string;
  let deputy: string;
  let countyStaff: string;
  let countyDeputy: string;
  let alertId: string;

  let call: BoundApiCall;

  let t: ApiTest;
  beforeAll(async () => {
    t = await openApiTest();
    ({ db, srv, staff, deputy, call } = t);
    await insertRows(db.knex, BEHIND_SCHEDULE_ROWS);
    await insertRows(db.knex, { agencies: [{ agency_code: 'D9', agency_name: '舞阳县教育局' }] }, '411121');
    await evaluateRules(db.knex, { regionCode: '411100', asOf: '2025-12-31', trigger: 'test' });
    [alertId] = await publicIds(db.knex('alerts').where({ rule_id: 'R01', subject_key: 'unit:U1' }).select('region_code', 'id'));
    // A county's staff member and deputy: they see 舞阳县 only.
    const hashes = Object.fromEntries((await db.knex('users').whereIn('username', ['staff', 'deputy']).select('username', 'password_hash')).map((u) => [u.username, u.password_hash]));
    await db.knex('users').insert([
      { username: 'county_staff', display_name: '舞阳县人大 赵强', password_hash: hashes.staff, role: 'staff', region_code: '411121' },
      { username: 'county_deputy', display_name: '舞阳县代表 孙丽', password_hash: hashes.deputy, role: 'deputy', region_code: '411121' },
    ]);
    countyStaff = await loginAs(srv.baseUrl, { username: 'county_staff', password: 'Staff@2026' });
    countyDeputy = await loginAs(srv.baseUrl, { username: 'county_deputy', password: 'Deputy@2026' });
  });
  afterAll(async () => {
    await t?.close();
  });

  let deptOpinionId: string;

  it('lets a deputy leave an opinion on a department and lists it with the department', async () => {
    const posted = await call(deputy, 'POST', '/departments/D1/opinions', { body: '建议农业农村局加快高标准农田项目资金拨付。' });
    expect(posted.status).toBe(201);
    expect(posted.body.data).toMatchObject({
      target: 'department', alertId: null, alert: null, regionCode: '411100', regionName: '漯河市', deptCode: 'D1', deptName: '农业农村局',
      body: '建议农业农村局加快高标准农田项目资金拨付。', author: { displayName: '人大代表 李华', role: 'deputy' }, answer: null, answeredBy: null, answeredAt: null,
    });
    expect(posted.body.data.createdAt).toMatch(/^\d{4}-\d{2}-\d{2}T/);
    deptOpinionId = posted.body.data.id;
    // Staff may leave one too, and the region may be named explicitly.
    expect((await call(staff, 'POST', '/departments/D1/opinions?region=411100', { body: '请部门书面说明滞后原因。' })).status).toBe(201);

    const list = await call(deputy, 'GET', '/departments/D1/opinions');
    expect(list.status).toBe(200);
    expect(list.body.data.department).toEqual({ regionCode: '411100', code: 'D1', name: '农业农村局' });
    expect(list.body.data.opinions.map((o: { body: string; author: { role: string } }) => [o.author.role, o.body])).toEqual([
      ['deputy', '建议农业农村局加快高标准农田项目资金拨付。'],
      ['staff', '请部门书面说明滞后原因。'],
    ]);
    // A department's list holds only its own opinions, not those of the alerts about it.
    expect((await call(deputy, 'POST', `/alerts/${alertId}/opinions`, { body: '该单位进度滞后，请关注。' })).status).toBe(201);
    expect((await call(deputy, 'GET', '/departments/D1/opinions')).body.data.opinions).toHaveLength(2);
    // A department of a county is reached from the city with ?region=.
    const county = await call(deputy, 'POST', '/departments/D9/opinions?region=411121', { body: '关注县教育局校舍维修资金使用。' });
    expect([county.status, county.body.data.regionCode, county.body.data.deptName]).toEqual([201, '411121', '舞阳县教育局']);
  });

  it('answers 400 naming the field, 404 for an unknown department or a unit, 403 for a region outside the scope', async () => {
    for (const body of [{}, { body: '' }, { body: '   ' }, { text: '意见' }]) {
      const res = await call(deputy, 'POST', '/departments/D1/opinions', body);
      expectFieldError(res, 'body');
    }
    const badRegion = await call(deputy, 'GET', '/departments/D1/opinions?region=4111');
    expectFieldError(badRegion, 'region');

    const unknown = await call(deputy, 'POST', '/departments/NOPE/opinions', { body: '意见' });
    expect([unknown.status, unknown.body.error.code]).toEqual([404, 'NOT_FOUND']);
    expect((await call(deputy, 'GET', '/departments/NOPE/opinions')).status).toBe(404);
    // U1 is a unit (预算单位), not a department; D9 is a department of the county, not of the city.
    expect((await call(deputy, 'GET', '/departments/U1/opinions')).status).toBe(404);
    expect((await call(deputy, 'GET', '/departments/D9/opinions')).status).toBe(404);
    expect(await db.knex('review_opinions').where({ agency_code: 'NOPE' }).count({ n: '*' })).toEqual([{ n: '0' }]);

    // The county's users see their county only: the city (the level above) is outside their scope.
    const up = await call(countyDeputy, 'GET', '/departments/D1/opinions?region=411100');
    expect([up.status, up.body.error.code]).toEqual([403, 'FORBIDDEN']);
    expect((await call(countyDeputy, 'POST', '/departments/D1/opinions?region=411100', { body: '越权' })).status).toBe(403);
    expect((await call(deputy, 'GET', '/departments/D1/opinions?region=410000')).status).toBe(403);
    const own = await call(countyDeputy, 'GET', '/departments/D9/opinions');
    expect(own.body.data.opinions.map((o: { body: string }) => o.body)).toEqual(['关注县教育局校舍维修资金使用。']);
  });

  it('lets staff answer a department opinion; a deputy cannot (403), another region cannot (404)', async () => {
    const byDeputy = await call(deputy, 'POST', `/opinions/${deptOpinionId}/answer`, { answer: '自答' });
    expect([byDeputy.status, byDeputy.body.error.code]).toEqual([403, 'FORBIDDEN']);
    const byCounty = await call(countyStaff, 'POST', `/opinions/${deptOpinionId}/answer`, { answer: '越级答复' });
    expect([byCounty.status, byCounty.body.error.code]).toEqual([404, 'NOT_FOUND']);
    const empty = await call(staff, 'POST', `/opinions/${deptOpinionId}/answer`, { answer: '' });
    expectFieldError(empty, 'answer');
    expect(deptOpinionId).toMatch(/^411100-\d+$/);
    expect((await call(staff, 'POST', '/opinions/411100-999999/answer', { answer: '答复' })).status).toBe(404);
    expect((await call(staff, 'POST', '/opinions/abc/answer', { answer: '答复' })).status).toBe(400);
    // An opinion is named by region and id (the database's key, docs/SCALE-OUT.md): the id alone is not enough.
    expectFieldError(await call(staff, 'POST', `/opinions/${deptOpinionId.split('-')[1]}/answer`, { answer: '答复' }), 'id');
    expect((await db.knex('review_opinions').where(byPublicId(deptOpinionId)).first('answer')).answer).toBeNull();

    const answered = await call(staff, 'POST', `/opinions/${deptOpinionId}/answer`, { answer: '已函告农业农村局，要求月底前报送拨付计划。' });
    expect(answered.status).toBe(200);
    expect(answered.body.data).toMatchObject({ id: deptOpinionId, answer: '已函告农业农村局，要求月底前报送拨付计划。', answeredBy: { displayName: '预工委 王敏' } });
    expect(answered.body.data.answeredAt).not.toBeNull();
    const seen = await call(deputy, 'GET', '/departments/D1/opinions');
    expect(seen.body.data.opinions[0]).toMatchObject({ id: deptOpinionId, answer: '已函告农业农村局，要求月底前报送拨付计划。' });
  });

  it('lists opinions across alerts and departments in scope, unanswered only on request', async () => {
    const unanswered = await call(staff, 'GET', '/opinions?unanswered=true');
    expect(unanswered.status).toBe(200);
    const summary = unanswered.body.data.map((o: { target: string; regionCode: string; body: string }) => `${o.target}@${o.regionCode}:${o.body}`);
    // Newest first; the answered department opinion is left out.
    expect(summary).toEqual([
      'department@411121:关注县教育局校舍维修资金使用。',
      'alert@411100:该单位进度滞后，请关注。',
      'department@411100:请部门书面说明滞后原因。',
    ]);
    expect(unanswered.body.meta).toEqual({ total: 3, page: 1, pageSize: 50 });
    const onAlert = unanswered.body.data[1];
    expect(onAlert).toMatchObject({ alertId, deptCode: null, alert: { ruleId: 'R01', ruleName: '支出进度滞后', subjectName: '农业技术推广中心' } });

    expect((await call(staff, 'GET', '/opinions')).body.meta.total).toBe(4);
    expect((await call(staff, 'GET', '/opinions?target=alert')).body.data.map((o: { alertId: string }) => o.alertId)).toEqual([alertId]);
    expect((await call(staff, 'GET', '/opinions?unanswered=1&target=department')).body.meta.total).toBe(2);
    expect((await call(staff, 'GET', '/opinions?dept=D1')).body.data.map((o: { deptCode: string }) => o.deptCode)).toEqual(['D1', 'D1']);
    expect((await call(staff, 'GET', '/opinions?region=411121')).body.meta.total).toBe(1);
    expect((await call(staff, 'GET', '/opinions?unanswered=true&page=2&pageSize=2')).body.data).toHaveLength(1);
    expect((await call(countyStaff, 'GET', '/opinions')).body.data.map((o: { regionCode: string }) => o.regionCode)).toEqual(['411121']);
    expect((await call(countyStaff, 'GET', '/opinions?region=411100')).status).toBe(403);
    const bad = await call(staff, 'GET', '/opinions?unanswered=yes');
    expectFieldError(bad, 'unanswered');
    expect((await call(staff, 'GET', '/opinions?target=unit')).status).toBe(400);

    // An opinion on an alert can be answered from this list too; it then leaves the unanswered list.
    const answered = await call(staff, 'POST', `/opinions/${onAlert.id}/answer`, { answer: '已交办农业农村局。' });
    expect(answered.body.data).toMatchObject({ target: 'alert', alertId, answer: '已交办农业农村局。' });
    expect((await call(deputy, 'GET', `/alerts/${alertId}`)).body.data.opinions).toEqual([expect.objectContaining({ id: onAlert.id, answer: '已交办农业农村局。' })]);
    expect((await call(staff, 'GET', '/opinions?unanswered=true')).body.meta.total).toBe(2);
  });

  it('answers 401 without a session', async () => {
    expect((await fetch(`${srv.baseUrl}/api/v1/opinions`)).status).toBe(401);
    expect((await fetch(`${srv.baseUrl}/api/v1/departments/D1/opinions`)).status).toBe(401);
  });
});
