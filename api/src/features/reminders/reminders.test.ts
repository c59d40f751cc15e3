import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { type TestDatabase, BEHIND_SCHEDULE_ROWS, byPublicId, insertRows, publicIds, loginAs, type BoundApiCall, type TestServer, openApiTest, type ApiTest } from '../../testing/index.js';
import { NIGHTLY_HOOKS } from '../../post-load.js';
import { evaluateRules } from '../../rules/index.js';
import { createUser } from '../../security/attack-client.js';
import { startScheduler } from '../../../../etl/src/index.js';
import { loadConfig } from '../../config.js';

// Issue 14: the nightly reminder list of 交办 items past or near their 答复期限.
describe('reminders: the nightly list of 交办 items past or near their reply deadline', () => {
  let db: TestDatabase;
  let srv: TestServer;
  let staff: string;
  let deputy: string;
  let call: BoundApiCall;
  let ids: string[];

  let t: ApiTest;
  beforeAll(async () => {
    vi.stubEnv('BW_TODAY', '2026-03-10');
    t = await openApiTest();
    ({ db, srv, staff, deputy, call } = t);
    await insertRows(db.knex, BEHIND_SCHEDULE_ROWS);
    await evaluateRules(db.knex, { regionCode: '411100', asOf: '2025-12-31', trigger: 'test' });
    // Five alerts to assign: the rules' and copies of the first under other subjects.
    const { id: _id, ...first } = await db.knex('alerts').orderBy('id').first();
    const have = await db.knex('alerts').count<{ n: string }[]>('* as n');
    for (let i = Number(have[0]!.n); i < 5; i++) await db.knex('alerts').insert({ ...first, subject_key: `${first.subject_key}-copy${i}` });
    ids = await publicIds(db.knex('alerts').orderBy('id').select('region_code', 'id'));
    expect(ids.length).toBeGreaterThanOrEqual(5);
    // Overdue by 5 days, due today, due in 3 days (the edge: listed), due in 4 days (not yet), and one answered.
    const deadlines = ['2026-03-05', '2026-03-10', '2026-03-13', '2026-03-14'];
    for (const [i, d] of deadlines.entries()) {
      await db.knex('alerts').where(byPublicId(ids[i]!)).update({ status: 'assigned', assigned_agency_code: '411100101', reply_deadline: d });
    }
    await db.knex('alerts').where(byPublicId(ids[deadlines.length]!)).update({ status: 'replied', assigned_agency_code: '411100101', reply_deadline: '2026-03-01' });
  });
  afterAll(async () => {
    vi.unstubAllEnvs();
    await t?.close();
  });

  it('says no list has been made before the first night', async () => {
    const r = await call(staff, 'GET', '/reminders');
    expect([r.status, r.body.data]).toEqual([200, { listedOn: null, withinDays: 3, items: [] }]);
  });

  it('the nightly job makes the list: overdue and due within 3 days, most overdue first; not the answered one', async () => {
    const lines: string[] = [];
    // The scheduler's own tick (an empty inbox: nothing to load), then its nightly hooks.
    const s = startScheduler(db.knex, { ...loadConfig({}), etlCron: '0 2 * * *' }, [], (l) => lines.push(l), NIGHTLY_HOOKS);
    await s.runNow();
    await s.stop();
    expect(lines.at(-1)).toBe('[nightly] 2026-03-10 交办答复提醒：3 项（逾期或 3 天内到期）');
    const r = await call(staff, 'GET', '/reminders');
    expect(r.body.data.listedOn).toBe('2026-03-10');
    expect(r.body.data.items.map((x: { alertId: string; daysLeft: number; replyDeadline: string }) => [x.alertId, x.daysLeft, x.replyDeadline])).toEqual([
      [ids[0], -5, '2026-03-05'],
      [ids[1], 0, '2026-03-10'],
      [ids[2], 3, '2026-03-13'],
    ]);
    expect(r.body.data.items[0]).toMatchObject({ ruleId: 'R01', regionCode: '411100', regionName: '漯河市', agencyCode: '411100101' });
  });

  it('keeps each night’s list: tomorrow’s is new, the list of an earlier date is still there', async () => {
    vi.stubEnv('BW_TODAY', '2026-03-11');
    await db.knex('alerts').where(byPublicId(ids[0]!)).update({ status: 'replied' }); // answered during the day
    const made = await call(staff, 'POST', '/reminders');
    expect(made.status).toBe(200);
    expect(made.body.data.listedOn).toBe('2026-03-11');
    expect(made.body.data.items.map((x: { alertId: string; daysLeft: number }) => [x.alertId, x.daysLeft])).toEqual([[ids[1], -1], [ids[2], 2], [ids[3], 3]]);
    const before = await call(staff, 'GET', '/reminders?on=2026-03-10');
    expect(before.body.data.items.map((x: { alertId: string }) => x.alertId)).toEqual([ids[0], ids[1], ids[2]]);
    vi.stubEnv('BW_TODAY', '2026-03-10');
  });

  it('is scoped: a county user sees none of the city’s items; a region outside answers 403', async () => {
    await createUser(db.knex, { username: 'county_staff', password: 'County@2026', role: 'staff', region: '411102' });
    const county = await loginAs(srv.baseUrl, { username: 'county_staff', password: 'County@2026' });
    expect((await call(county, 'GET', '/reminders?on=2026-03-11')).body.data.items).toEqual([]);
    expect((await call(county, 'GET', '/reminders?region=411100')).status).toBe(403);
  });

  it('deputies read it but cannot remake it; the list exports with its state in words', async () => {
    expect((await call(deputy, 'GET', '/reminders?on=2026-03-11')).body.data.items).toHaveLength(3);
    const post = await call(deputy, 'POST', '/reminders');
    expect([post.status, post.body.error.code]).toEqual([403, 'FORBIDDEN']);
    const res = await fetch(`${srv.baseUrl}/api/v1/exports/reminders?format=csv&on=2026-03-11`, { headers: { cookie: staff } });
    expect(res.status).toBe(200);
    const lines = (await res.text()).replace(/^\uFEFF/, '').trim().split(/\r?\n/);
    expect(lines[0]).toBe('提醒日期,地区,交办部门,规则,对象,答复期限,状态,预警编号');
    expect(lines.slice(1).map((l) => l.split(',').slice(5, 8))).toEqual([
      ['2026-03-10', '逾期 1 天', ids[1]],
      ['2026-03-13', '2 天后到期', ids[2]],
      ['2026-03-14', '3 天后到期', ids[3]],
    ]);
  });
});
