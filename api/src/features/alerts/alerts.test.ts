import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type TestDatabase, BEHIND_SCHEDULE_ROWS, insertRows, loginAs, publicIds, type BoundApiCall, type TestServer, openApiTest, type ApiTest, expectFieldError } from '../../testing/index.js';
import { evaluateRules } from '../../rules/index.js';

describe('alerts API: list, detail, workflow, review opinions', () => {
  let db: TestDatabase;
  let srv: TestServer;
  let staff: string;
  let deputy: string;
  let alertId: string;

  let call: BoundApiCall;
  const move = (cookie: string, body: unknown) => call(cookie, 'POST', `/alerts/${alertId}/transitions`, body);

  let t: ApiTest;
  beforeAll(async () => {
    t = await openApiTest();
    ({ db, srv, staff, deputy, call } = t);
    await insertRows(db.knex, BEHIND_SCHEDULE_ROWS);
    await insertRows(db.knex, { assets: [{ asset_no: 'Z1', agency_code: 'X', asset_name: '仓库', status: '闲置', status_since: '2023-01-01' }] }, '411121');
    await evaluateRules(db.knex, { regionCode: '411100', asOf: '2025-12-31', trigger: 'test' });
    await evaluateRules(db.knex, { regionCode: '411121', asOf: '2025-12-31', trigger: 'test' });
    [alertId] = await publicIds(db.knex('alerts').where({ rule_id: 'R01', subject_key: 'unit:U1' }).select('region_code', 'id'));
  });
  afterAll(async () => {
    await t?.close();
  });

  it('lists alerts with filters, most severe first, within the visible regions', async () => {
    const all = await call(deputy, 'GET', '/alerts');
    expect(all.status).toBe(200);
    // R01 for the unit and its department, R10 (no 预备费 in the city's budget), R16 in the county.
    expect(all.body.meta.total).toBe(4);
    expect(all.body.data.map((a: { severity: string }) => a.severity)).toEqual(['red', 'red', 'orange', 'orange']);
    const r01 = await call(deputy, 'GET', '/alerts?rule=R01&dept=D1&status=open&period=2025');
    expect(r01.body.data.map((a: { subjectKey: string }) => a.subjectKey).sort()).toEqual(['department:D1', 'unit:U1']);
    const unit = r01.body.data.find((a: { subjectKey: string }) => a.subjectKey === 'unit:U1');
    expect(unit).toMatchObject({
      ruleName: '支出进度滞后', regionName: '漯河市', status: 'new', statusZh: '新预警', severity: 'red',
      measured: { paid: '600000.00', gap: '40' }, explanation: '单位农业技术推广中心支出进度 60.00%，低于时序进度 100.00% 共 40.00 个百分点',
      drillLink: { route: '/drill', query: { region: '411100', dept: 'D1', unit: 'U1' } },
    });
    expect((await call(deputy, 'GET', '/alerts?region=411121')).body.data.map((a: { ruleId: string }) => a.ruleId)).toEqual(['R16']);
    // 本级 is the city's own three; 全辖 (scope=all) adds the county's, in the list and in the counts.
    expect((await call(deputy, 'GET', '/alerts?region=411100')).body.meta.total).toBe(3);
    expect((await call(deputy, 'GET', '/alerts?region=411100&scope=all')).body.meta.total).toBe(4);
    expect((await call(deputy, 'GET', '/alerts/stats?region=411100')).body.data.open).toBe(3);
    expect((await call(deputy, 'GET', '/alerts/stats?region=411100&scope=all')).body.data.bySeverity).toEqual({ red: 2, orange: 2, yellow: 0 });
    expect((await call(deputy, 'GET', '/alerts?region=411121&scope=all')).body.meta.total).toBe(1);
    expect((await call(deputy, 'GET', '/alerts?severity=orange')).body.meta.total).toBe(2);
    expect((await call(deputy, 'GET', '/alerts?page=2&pageSize=3')).body.data).toHaveLength(1);
    expect((await call(deputy, 'GET', '/alerts?severity=purple')).status).toBe(400);
    expect((await call(deputy, 'GET', '/alerts?status=new&status=confirmed')).body.meta.total).toBe(4);
    expect((await call(deputy, 'GET', '/alerts?status=closed_any')).body.meta.total).toBe(0);
    expect((await call(deputy, 'GET', '/alerts?region=410000')).status).toBe(403);
    const stats = await call(deputy, 'GET', '/alerts/stats');
    expect(stats.body.data).toMatchObject({ open: 4, bySeverity: { red: 2, orange: 2, yellow: 0 }, byRule: { R01: { red: 2 }, R10: { orange: 1 }, R16: { orange: 1 } } });
  });

  it('hides alerts of regions the user cannot see', async () => {
    await db.knex('users').insert({ username: 'county', display_name: '舞阳县人大', password_hash: (await db.knex('users').where({ username: 'deputy' }).first()).password_hash, role: 'deputy', region_code: '411121' });
    const county = await loginAs(srv.baseUrl, { username: 'county', password: 'Deputy@2026' });
    expect((await call(county, 'GET', '/alerts')).body.meta.total).toBe(1);
    expect((await call(county, 'GET', `/alerts/${alertId}`)).status).toBe(404);
  });

  it('walks the workflow new → confirmed → assigned → replied → closed, each step an event', async () => {
    expect((await move(deputy, { to: 'confirmed' })).status).toBe(403);
    const skip = await move(staff, { to: 'replied', note: '已反馈' });
    expect([skip.status, skip.body.error.code]).toEqual([409, 'INVALID_TRANSITION']);
    expect((await move(staff, { to: 'confirmed', note: '核实属实' })).body.data.status).toBe('confirmed');
    const missing = await move(staff, { to: 'assigned', note: '请说明原因' });
    expectFieldError(missing, 'assignedAgencyCode');
    const unknown = await move(staff, { to: 'assigned', assignedAgencyCode: 'NOPE', note: '请说明原因', replyDeadline: '2026-01-31' });
    expect(unknown.status).toBe(400);
    // A deadline that is not a calendar day is refused, as every date parameter is (contract/common.ts).
    expectFieldError(await move(staff, { to: 'assigned', assignedAgencyCode: 'D1', note: '请说明原因', replyDeadline: '2026-02-31' }), 'replyDeadline');
    const assigned = await move(staff, { to: 'assigned', assignedAgencyCode: 'D1', note: '请说明支出进度滞后原因', replyDeadline: '2026-01-31' });
    expect(assigned.body.data).toMatchObject({ status: 'assigned', assignedAgencyCode: 'D1', assignedAgencyName: '农业农村局', replyDeadline: '2026-01-31' });
    expect((await move(staff, { to: 'replied' })).status).toBe(400);
    expect((await move(staff, { to: 'replied', note: '项目招标延期，已于12月完成支付' })).body.data.status).toBe('replied');
    const closed = await move(staff, { to: 'closed', note: '整改完成，销号' });
    expect(closed.body.data).toMatchObject({ status: 'closed', open: false, allowedTransitions: [] });
    expect(closed.body.data.closedAt).not.toBeNull();
    const transitions = closed.body.data.events.filter((e: { kind: string }) => e.kind === 'transition');
    expect(transitions.map((e: { fromStatus: string; toStatus: string }) => `${e.fromStatus}>${e.toStatus}`)).toEqual([
      'new>confirmed', 'confirmed>assigned', 'assigned>replied', 'replied>closed',
    ]);
    expect(transitions[1]).toMatchObject({ actor: { username: 'staff' }, note: '请说明支出进度滞后原因', data: { assignedAgencyCode: 'D1', replyDeadline: '2026-01-31' } });
    expect(closed.body.data.events[0]).toMatchObject({ kind: 'raised', actor: null });
    const again = await move(staff, { to: 'dismissed', note: '误报' });
    expect([again.status, again.body.error.code]).toEqual([409, 'INVALID_TRANSITION']);
  });

  it('dismisses an open alert as 误报 only with a reason', async () => {
    const [other] = await publicIds(db.knex('alerts').where({ rule_id: 'R01', subject_key: 'department:D1' }).select('region_code', 'id'));
    const noReason = await call(staff, 'POST', `/alerts/${other}/transitions`, { to: 'dismissed' });
    expect(noReason.status).toBe(400);
    const bad = await call(staff, 'POST', `/alerts/${other}/transitions`, { to: 'reopened' });
    expect([bad.status, bad.body.error.code]).toEqual([400, 'VALIDATION']);
    const ok = await call(staff, 'POST', `/alerts/${other}/transitions`, { to: 'dismissed', note: '部门指标已于年底调整，属数据口径误报' });
    expect(ok.body.data).toMatchObject({ status: 'dismissed', statusZh: '误报', open: false });
  });

  it('lets a deputy leave a review opinion and see the staff answer; a deputy cannot answer', async () => {
    const posted = await call(deputy, 'POST', `/alerts/${alertId}/opinions`, { body: '建议督促该单位加快项目资金拨付进度。' });
    expect(posted.status).toBe(201);
    expect(posted.body.data).toMatchObject({ body: '建议督促该单位加快项目资金拨付进度。', author: { role: 'deputy' }, answer: null });
    const opinionId = posted.body.data.id;
    expect((await call(deputy, 'POST', `/alerts/${alertId}/opinions`, { body: '' })).status).toBe(400);
    expect((await call(deputy, 'POST', `/alerts/${alertId}/opinions/${opinionId}/answer`, { answer: '自答' })).status).toBe(403);
    const answered = await call(staff, 'POST', `/alerts/${alertId}/opinions/${opinionId}/answer`, { answer: '已转交农业农村局，要求12月底前报送整改情况。' });
    expect(answered.body.data).toMatchObject({ answer: '已转交农业农村局，要求12月底前报送整改情况。', answeredBy: { displayName: expect.any(String) } });
    const detail = await call(deputy, 'GET', `/alerts/${alertId}`);
    expect(detail.body.data.opinions).toEqual([expect.objectContaining({ id: opinionId, answer: '已转交农业农村局，要求12月底前报送整改情况。' })]);
    expect(detail.body.data.rule).toMatchObject({ id: 'R01', nameZh: '支出进度滞后' });
    expect((await call(staff, 'POST', `/alerts/${alertId}/opinions/411100-999999/answer`, { answer: 'x' })).status).toBe(404);
    expectFieldError(await call(staff, 'POST', `/alerts/${alertId}/opinions/${opinionId.split('-')[1]}/answer`, { answer: 'x' }), 'opinionId');
  });

  it('answers 401 without a session, 404 for an unknown alert, 400 for an id without its region', async () => {
    expect((await fetch(`${srv.baseUrl}/api/v1/alerts`)).status).toBe(401);
    expect((await call(staff, 'GET', '/alerts/411100-999999')).status).toBe(404);
    // An alert is named by region and id (the database's key, docs/SCALE-OUT.md): the id alone is not enough.
    expectFieldError(await call(staff, 'GET', `/alerts/${alertId.split('-')[1]}`), 'id');
  });
});
