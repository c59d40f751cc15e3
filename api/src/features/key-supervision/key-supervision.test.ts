import Decimal from 'decimal.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type TestDatabase, insertRows, type TestServer, seedSmallCity, openApiTest, type ApiTest } from '../../testing/index.js';
import { evaluateRules } from '../../rules/index.js';

// 重点监督 pages' API over hand-made rows as of 2025-09-30 (time progress 273/365 = 74.79 %),
// read by a deputy (read-only routes): every answer is also checked against contract.ts.
describe('key-supervision API', () => {
  let db: TestDatabase;
  let srv: TestServer;
  let cookie: string;
  let t: ApiTest;
  beforeAll(async () => {
    t = await openApiTest({
      seed: async (db) => {
        await seedSmallCity(db.knex, '2025-10-01');
        await insertRows(db.knex, {
          agencies: [{ agency_code: 'KD1', agency_name: '测试农业局' }, { agency_code: 'KU1', agency_name: '测试推广站', parent_code: 'KD1' }],
          indicators: [
            { indicator_no: 'KI1', agency_code: 'KU1', dept_code: 'KD1', project_code: 'KP1', project_name: '高标准农田建设', amount: '2000000.00', indicator_kind: '上级转移支付', issued_on: '2025-03-20' },
            { indicator_no: 'KI2', agency_code: 'KU1', dept_code: 'KD1', project_code: 'KP2', project_name: '农技推广', amount: '800000.00' },
          ],
          vouchers: [
            { voucher_no: 'KV1', agency_code: 'KU1', dept_code: 'KD1', indicator_no: 'KI1', amount: '300000.00', pay_date: '2025-05-10' },
            { voucher_no: 'KV2', agency_code: 'KU1', dept_code: 'KD1', indicator_no: 'KI1', amount: '100000.00', pay_date: '2025-07-01' },
          ],
          targets: [
            { indicator_no: 'KI1', target_no: 'T1', target_name: '新建高标准农田', target_value: '10000', unit: '亩', actual_value: '8000', actual_as_of: '2025-09-20' },
            { indicator_no: 'KI1', target_no: 'T2', target_name: '灌溉设施', target_value: '40', unit: '处', actual_value: '10', actual_as_of: '2025-09-20' },
            { indicator_no: 'KI1', target_no: 'T3', level1: '满意度', target_name: '农户满意度', direction: '定性', target_value: '较高' },
          ],
          transfers: [
            { transfer_no: '豫财农〔2025〕8号', kind: '专项转移支付', title: '农田建设补助资金', amount: '2000000.00', received_on: '2025-03-10', allocated_on: '2025-03-20', indicator_no: 'KI1' },
            { transfer_no: '豫财直〔2025〕3号', title: '困难群众救助补助资金', amount: '5000000.00', received_on: '2025-06-01' },
            { transfer_no: '漯财转〔2025〕1号', direction: '下达下级', kind: '一般性转移支付', counterpart_region: '411121', title: '均衡性转移支付', amount: '7000000.00', allocated_on: '2025-04-01' },
          ],
        });
        // Large and split payments (R19, R20) out of a non-project indicator, so the projects' figures above stay as they are.
        await insertRows(db.knex, {
          indicators: [{ indicator_no: 'KI3', agency_code: 'KU1', dept_code: 'KD1', amount: '5000000.00' }],
          vouchers: [
            { voucher_no: 'KV3', agency_code: 'KU1', dept_code: 'KD1', indicator_no: 'KI3', amount: '250000.00', payee_name: '张三', econ_code: '30299', pay_date: '2025-08-01' },
            ...['2025-08-04', '2025-08-06', '2025-08-08'].map((d, i) => ({
              voucher_no: `KS${i}`, agency_code: 'KU1', dept_code: 'KD1', indicator_no: 'KI3', amount: '350000.00', payee_name: '某某建筑工程有限公司', pay_date: d,
            })),
          ],
        });
        // 舞阳县 under the city: its receipt of the city's 均衡性转移支付 (the same money, seen from below) and a project without targets.
        await insertRows(db.knex, {
          agencies: [{ agency_code: 'WD1', agency_name: '舞阳县教育局' }],
          indicators: [{ indicator_no: 'WI1', agency_code: 'WD1', project_code: 'WP1', project_name: '校舍改造', amount: '600000.00', issued_on: '2025-04-10' }],
          transfers: [{ transfer_no: '漯财转〔2025〕1号', kind: '一般性转移支付', counterpart_region: '411100', title: '均衡性转移支付', amount: '7000000.00', received_on: '2025-04-01', allocated_on: '2025-04-10', indicator_no: 'WI1' }],
        }, '411121');
        await evaluateRules(db.knex, { regionCode: '411100', asOf: '2025-09-30', trigger: 'test', only: ['R19', 'R20', 'R21', 'R22', 'R23'] });
        await evaluateRules(db.knex, { regionCode: '411121', asOf: '2025-09-30', trigger: 'test', only: ['R21', 'R22', 'R23'] });
      },
    });
    ({ db, srv, deputy: cookie } = t);
  });
  afterAll(async () => {
    await t?.close();
  });
  const get = async (path: string) => {
    const res = await fetch(`${srv.baseUrl}/api/v1${path}`, { headers: { cookie } });
    return { status: res.status, body: await res.json() };
  };

  const projectList = async (q: string): Promise<{ regionCode: string; indicatorNo: string; amount: string }[]> =>
    (await get(`/performance/projects?asOf=2025-09-30&pageSize=200&${q}`)).body.data;
  const sumOf = (xs: { amount: string }[]) => xs.reduce((a, x) => a.plus(x.amount), new Decimal(0)).toFixed(2);

  it('lists projects by the gap between spending and targets on track, and those without targets', async () => {
    const { status, body } = await get('/performance/projects?asOf=2025-09-30');
    expect(status).toBe(200);
    const ki1 = body.data.find((p: { indicatorNo: string }) => p.indicatorNo === 'KI1');
    // 20 % spent; 1 of 2 output targets on track (80 % ≥ 74.79 %, 25 % not) → −30 points.
    expect(ki1).toMatchObject({ amount: '2000000.00', paid: '400000.00', executionRate: '20', targets: 3, measuredTargets: 2, onTrack: 1, onTrackShare: '50', gap: '-30' });
    const none = await get('/performance/projects?asOf=2025-09-30&filter=noTargets');
    expect(none.body.data.map((p: { indicatorNo: string }) => p.indicatorNo)).toContain('KI2');
    expect(none.body.data.map((p: { indicatorNo: string }) => p.indicatorNo)).not.toContain('KI1');
  });

  it('shows a project: its monthly spending curve, its targets with progress, its alerts', async () => {
    const { status, body } = await get('/performance/projects/KI1?asOf=2025-09-30');
    expect(status).toBe(200);
    expect(body.data.curve).toHaveLength(9);
    expect(body.data.curve[4]).toEqual({ month: 5, paid: '300000.00', cumulative: '300000.00', rate: '15.0000' });
    expect(body.data.curve[8]).toMatchObject({ month: 9, cumulative: '400000.00', rate: '20.0000' });
    expect(body.data.targets.map((t: { targetNo: string; progress: string | null; onTrack: boolean | null }) => [t.targetNo, t.progress, t.onTrack]))
      .toEqual([['T1', '80.00', true], ['T2', '25.00', false], ['T3', null, null]]);
    // The transfer it came from is idle: R23 (received 2025-03-10, 20 % paid).
    expect(body.data.alerts.map((a: { ruleId: string }) => a.ruleId)).toEqual(['R23']);
    expect((await get('/performance/projects/NOPE?asOf=2025-09-30')).status).toBe(404);
  });

  it('lists transfers by direction and kind with their way from arrival to use, and sums them up', async () => {
    const { body } = await get('/transfers?asOf=2025-09-30&direction=收到上级');
    expect(body.meta.total).toBe(2);
    const farm = body.data.find((t: { transferNo: string }) => t.transferNo === '豫财农〔2025〕8号');
    expect(farm).toMatchObject({
      receivedOn: '2025-03-10', allocatedOn: '2025-03-20', daysToAllocate: 10, indicatorNo: 'KI1', firstPaidOn: '2025-05-10', daysToFirstPayment: 51,
      paid: '400000.00', executionRate: '20.0000', agencyName: '测试推广站', counterpartName: '河南省', alerts: [{ ruleId: 'R23', severity: 'red' }],
    });
    const direct = body.data.find((t: { transferNo: string }) => t.transferNo === '豫财直〔2025〕3号');
    expect(direct).toMatchObject({ allocatedOn: null, daysToAllocate: 121, alerts: [{ ruleId: 'R22', severity: 'red' }] });
    const sum = (await get('/transfers/summary?asOf=2025-09-30')).body.data;
    expect(sum).toMatchObject({
      received: '7000000.00', passedDown: '7000000.00', idle: { count: 1, amount: '2000000.00' },
      directFunds: { count: 1, amount: '5000000.00', notAllocated: 1, averageDays: '121.0', over30: 1 },
    });
    expect(sum.groups).toContainEqual({ direction: '下达下级', kind: '一般性转移支付', count: 1, amount: '7000000.00', allocated: '7000000.00', notAllocated: '0.00', paid: '0.00' });
  });

  it('counts R19–R23 for the overview, worst first', async () => {
    const { body } = await get('/key-supervision/overview?asOf=2025-09-30');
    expect(body.data.rules.find((r: { ruleId: string }) => r.ruleId === 'R22')).toEqual({ ruleId: 'R22', name: '直达资金分配滞后', yellow: 0, orange: 0, red: 1 });
    expect(body.data.rules.find((r: { ruleId: string }) => r.ruleId === 'R21').orange).toBeGreaterThanOrEqual(1);
    expect(body.data.worst[0].severity).toBe('red');
  });

  it('states the 重点监督 figures of the overview: performance gaps, transfers and direct funds, large and split payments', async () => {
    const { body } = await get('/key-supervision/overview?region=411100&asOf=2025-09-30');
    // The demo's own projects (no targets) are there too: the block says what the 绩效监控 lists hold.
    const noTargets = await projectList('region=411100&filter=noTargets');
    expect(noTargets.map((p) => p.indicatorNo)).toContain('KI2');
    expect(body.data).toMatchObject({
      asOf: '2025-09-30', fiscalYear: 2025, label: '漯河市本级',
      // KI1 is the one measured (gap −30: spending behind its targets, so not "behind" in this sense).
      performance: { projects: (await projectList('region=411100&filter=all')).length, measured: 1, behind: 0, worst: null, noTargets: { count: noTargets.length, amount: sumOf(noTargets) } },
      transfers: { received: '7000000.00', passedDown: '7000000.00', idle: { count: 1, amount: '2000000.00' }, directFunds: { count: 1, over30: 1, notAllocated: 1, averageDays: '121.0' } },
      payments: { large: { count: 1, amount: '250000.00' }, split: { count: 1, amount: '1050000.00' } },
    });
    expect(body.data.rules.find((r: { ruleId: string }) => r.ruleId === 'R19')).toMatchObject({ orange: 1 });
    // As of a day before the split payments were all made, they are not yet a finding of that date.
    const early = (await get('/key-supervision/overview?region=411100&asOf=2025-08-05')).body.data;
    expect(early.payments).toEqual({ large: { count: 1, amount: '250000.00' }, split: { count: 0, amount: '0.00' } });
  });

  it('sums the regions of 全辖 (scope=all): lists carry each row\'s region, transfers between them are named, not netted', async () => {
    const self = await get('/transfers/summary?region=411100&asOf=2025-09-30');
    expect(self.body.data.withinScope).toBeNull();
    const all = (await get('/transfers/summary?region=411100&scope=all&asOf=2025-09-30')).body.data;
    expect(all).toMatchObject({ received: '14000000.00', passedDown: '7000000.00', withinScope: { received: '7000000.00', passedDown: '7000000.00' } });
    const list = await get('/transfers?region=411100&scope=all&asOf=2025-09-30&direction=收到上级');
    expect(list.body.meta).toMatchObject({ total: 3, scope: 'all', label: '漯河市全市', region: '411100' });
    expect(list.body.data.find((t: { regionCode: string }) => t.regionCode === '411121')).toMatchObject({ transferNo: '漯财转〔2025〕1号', indicatorNo: 'WI1', agencyName: '舞阳县教育局', counterpartName: '漯河市' });
    const allNo = await projectList('region=411100&scope=all&filter=noTargets');
    const selfNo = await projectList('region=411100&filter=noTargets');
    expect(allNo.map((p) => `${p.regionCode}:${p.indicatorNo}`)).toEqual(expect.arrayContaining(['411100:KI2', '411121:WI1', '411122:ZB20254111221010023']));
    expect(selfNo.every((p) => p.regionCode === '411100')).toBe(true);
    // 全市 = 本级 + each county's own list.
    const counties = [...await projectList('region=411121&filter=noTargets'), ...await projectList('region=411122&filter=noTargets')];
    expect(allNo.length).toBe(selfNo.length + counties.length);
    expect((await get('/performance/projects?region=411100&asOf=2025-09-30&filter=noTargets')).body.meta).toMatchObject({ scope: 'self', label: '漯河市本级', total: selfNo.length });
    const ov = (await get('/key-supervision/overview?region=411100&scope=all&asOf=2025-09-30')).body.data;
    expect(ov).toMatchObject({ label: '漯河市全市', performance: { noTargets: { count: allNo.length, amount: sumOf(allNo) } }, transfers: { received: '14000000.00' } });
    // 舞阳县's R21 alerts (WI1 has no target) count in 全市, not in 本级 (411122 was not evaluated).
    const r21 = (o: { rules: { ruleId: string; orange: number }[] }) => o.rules.find((r) => r.ruleId === 'R21')!.orange;
    const r21Of = async (q: string) => r21((await get(`/key-supervision/overview?asOf=2025-09-30&${q}`)).body.data);
    expect(await r21Of('region=411121')).toBeGreaterThanOrEqual(1);
    expect(r21(ov)).toBe((await r21Of('region=411100')) + (await r21Of('region=411121')));
    // A project's page is its own region's, whatever the list's scope.
    expect((await get('/performance/projects/WI1?region=411121&asOf=2025-09-30')).body.data.project.agencyName).toBe('舞阳县教育局');
  });

  it('refuses a region outside the user\'s tree and bad parameters', async () => {
    expect((await get('/transfers?region=110000')).status).toBe(403);
    expect((await get('/transfers?kind=其他')).status).toBe(400);
  });
});
