import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestDatabase } from '../../testing/index.js';
import { openApiTest, type BoundApiCall, type TestServer } from '../../testing/index.js';
import { seedDrillData } from '../../testing/index.js';
import { evaluateRules } from '../../rules/index.js';

describe('the deputy\'s phone home', () => {
  let db: TestDatabase;
  let srv: TestServer;
  let call: BoundApiCall;
  let deputy: string;
  let staff: string;
  beforeAll(async () => {
    ({ db, srv, call, deputy, staff } = await openApiTest({
      seed: async (d) => {
        await seedDrillData(d.knex);
        await evaluateRules(d.knex, { regionCode: '411100', asOf: '2025-09-30', trigger: 'test' });
      },
    }));
  });
  afterAll(async () => {
    await srv?.close();
    await db?.drop();
  });

  it('briefs the region\'s execution with the overview\'s figures', async () => {
    const home = (await call(deputy, 'GET', '/phone/home')).body.data;
    const summary = (await call(deputy, 'GET', '/drill/summary?region=411100')).body.data;
    expect(home.region).toEqual({ code: '411100', name: '漯河市', label: '漯河市本级' });
    expect(home.asOf).toBe(summary.asOf);
    expect(home.execution).toMatchObject({ budget: summary.total.budget, paid: summary.total.paid, executionPercent: summary.total.executionPercent2dp, month: '2025-09' });
    expect(home.execution.paidThisMonth).toBe(summary.monthly.find((m: { month: string }) => m.month === '2025-09').paid);
    expect(home.execution.spark.at(-1).cumulativePaid).toBe(summary.total.paid);
  });

  it('counts open alerts and lists those opened since the last visit', async () => {
    const all = (await call(deputy, 'GET', '/phone/home')).body.data.alerts;
    const open = await db.knex('alerts').whereNull('closed_at').whereIn('region_code', ['411100', '411121', '411122']).count<{ n: string }[]>({ n: '*' });
    expect(all.open.red + all.open.orange + all.open.yellow).toBe(Number(open[0]!.n));
    expect(all.newest.length).toBeGreaterThan(0);
    const later = (await call(deputy, 'GET', `/phone/home?since=${new Date(Date.now() + 60_000).toISOString()}`)).body.data.alerts;
    expect([later.newCount, later.newest]).toEqual([0, []]);
  });

  it('shows the budget draft under review, and nothing once that year is approved', async () => {
    expect((await call(deputy, 'GET', '/phone/home')).body.data.budgetDraft).toBeNull();
    const [{ id: batch }] = await db.knex('batches').insert({ region_code: '411100', business_date: '2025-09-30', source: 'test', location: 'phone', status: 'committed' }).returning('id');
    const line = (fy: number, stage: string, n: number) => ({
      region_code: '411100', batch_id: batch, source_line: n, fiscal_year: fy, stage, line_no: String(n), budget_type: '1', direction: '支出', func_code: '205', amount: '100.00',
    });
    await db.knex('budget_drafts').insert([line(2025, '草案', 1), line(2025, '批准', 2), line(2025, '调整', 3)]);
    expect((await call(deputy, 'GET', '/phone/home')).body.data.budgetDraft).toBeNull();
    await db.knex('budget_drafts').insert(line(2026, '草案', 4));
    expect((await call(deputy, 'GET', '/phone/home')).body.data.budgetDraft).toMatchObject({
      title: expect.stringMatching(/^2026年预算草案：审查发现 \d+ 项/), link: `/review?fy=2026&stage=${encodeURIComponent('草案')}`,
    });
  });

  it('follows my opinions from waiting to answered', async () => {
    const posted = await call(deputy, 'POST', '/departments/411100101/opinions?region=411100', { body: '教育局支出进度偏慢，请说明原因' });
    expect(posted.status).toBe(201);
    const mine = () => call(deputy, 'GET', '/phone/home').then((r) => r.body.data.opinions);
    expect((await mine())[0]).toMatchObject({ about: '教育局', state: 'waiting', answer: null, link: '/drill/411100/dept/411100101' });
    // Someone else's opinion is not "mine".
    await call(staff, 'POST', '/departments/411100102/opinions?region=411100', { body: '工作人员的意见' });
    expect((await mine()).length).toBe(1);
    await call(staff, 'POST', `/opinions/${posted.body.data.id}/answer`, { answer: '已督促教育局加快支出' });
    expect((await mine())[0]).toMatchObject({ state: 'answered', answer: '已督促教育局加快支出' });
  });

  it('reads the latest quarterly report on the phone: the .docx\'s own paragraphs and tables', async () => {
    expect((await call(deputy, 'GET', '/phone/home')).body.data.latestReport).toBeNull();
    const gen = await call(staff, 'POST', '/reports/generate', { region: '411100', quarter: '2025Q3' });
    expect(gen.status).toBe(201);
    const latest = (await call(deputy, 'GET', '/phone/home')).body.data.latestReport;
    expect(latest).toMatchObject({ id: gen.body.data.id, quarter: '2025Q3' });
    const report = (await call(deputy, 'GET', `/phone/reports/${latest.id}`)).body.data;
    expect(report.blocks.some((b: { kind: string }) => b.kind === 'table')).toBe(true);
    expect(report.blocks.find((b: { kind: string; text?: string }) => b.kind === 'p' && b.text?.includes('漯河市'))).toBeTruthy();
    expect((await call(deputy, 'GET', '/phone/reports/411100-999999')).status).toBe(404);
    // A report of a region the deputy does not see is the same 404, and an id without its region a 400.
    expect((await call(deputy, 'GET', `/phone/reports/410000-${latest.id.split('-')[1]}`)).status).toBe(404);
    expect((await call(deputy, 'GET', '/phone/reports/999999')).status).toBe(400);
  });
});
