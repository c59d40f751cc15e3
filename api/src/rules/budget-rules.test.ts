import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase, COUNTY, ctxFor, insertRows, resetRows, runRule } from '../testing/index.js';
import type { Finding } from './define-rule.js';
import r02 from './r02-payment-beyond-budget.js';
import r03 from './r03-payment-without-budget.js';
import r04 from './r04-high-supplement-rate.js';
import r05 from './r05-three-public-expenses.js';
import r06 from './r06-year-end-spike.js';
import r07 from './r07-idle-carryover.js';
import r08 from './r08-livelihood-behind.js';
import r09 from './r09-revenue-behind.js';
import r10 from './r10-reserve-fund.js';

const severities = (fs: Finding[]) => Object.fromEntries(fs.map((f) => [f.subjectKey, f.severity]));
const byKey = (fs: Finding[], key: string) => fs.find((f) => f.subjectKey === key)!;

describe('budget execution rules (R02–R10) on hand-made rows', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterAll(() => db.drop());
  beforeEach(() => resetRows(db.knex));

  const unit = (code: string, name: string, dept = 'D1') => ({ agency_code: code, agency_name: name, parent_code: dept });

  it('R02 fires red only when paid exceeds the available budget, per indicator and per unit × function', async () => {
    await insertRows(db.knex, {
      agencies: [{ agency_code: 'D1', agency_name: '教育局' }, unit('U1', '第一实验小学'), unit('U2', '第二初级中学')],
      indicators: [
        { indicator_no: 'A1', agency_code: 'U1', dept_code: 'D1', amount: '100000.00' },
        { indicator_no: 'A2', agency_code: 'U1', dept_code: 'D1', amount: '100000.00' },
        { indicator_no: 'A3', agency_code: 'U1', dept_code: 'D1', amount: '100000.00' },
        { indicator_no: 'B1', agency_code: 'U2', dept_code: 'D1', amount: '100000.00', func_code: '2050202' },
      ],
      vouchers: [
        { agency_code: 'U1', dept_code: 'D1', indicator_no: 'A1', amount: '60000.00' },
        { agency_code: 'U1', dept_code: 'D1', indicator_no: 'A1', amount: '40000.00' },
        { agency_code: 'U1', dept_code: 'D1', indicator_no: 'A2', amount: '100000.01' },
        { agency_code: 'U1', dept_code: 'D1', indicator_no: 'A3', amount: '99999.99' },
        { agency_code: 'U2', dept_code: 'D1', indicator_no: 'B1', amount: '60000.00', func_code: '2050202' },
        { agency_code: 'U2', dept_code: 'D1', indicator_no: null, amount: '40000.01', func_code: '2050202' },
        { agency_code: 'U2', dept_code: 'D1', indicator_no: 'B1', amount: '90000.00', func_code: '2050202', pay_date: '2025-10-01' },
      ],
    });
    const fs = await runRule(db.knex, r02, ctxFor(r02, '2025-09-30'));
    expect(severities(fs)).toEqual({ 'indicator:A2': 'red', 'unit_func:U2|2050202': 'red' });
    expect(byKey(fs, 'indicator:A2').measured).toEqual({ paid: '100000.01', available: '100000.00', excess: '0.01' });
    expect(r02.explain(byKey(fs, 'unit_func:U2|2050202'))).toBe('第二初级中学「小学教育」已支付 100,000.01 元，超出可用指标 100,000.00 元共 0.01 元');
    expect(byKey(fs, 'indicator:A2').drillLink).toEqual({ route: '/drill', query: { region: '411100', dept: 'D1', unit: 'U1', func: '2010101', indicator: 'A2' } });
    expect(await runRule(db.knex, r02, ctxFor(r02, '2025-09-30', { tolerance: '0.01' }))).toEqual([]);
  });

  it('R03 groups vouchers with an empty or unknown indicator per unit per day', async () => {
    await insertRows(db.knex, {
      agencies: [{ agency_code: 'D1', agency_name: '教育局' }, unit('U1', '第一实验小学')],
      indicators: [{ indicator_no: 'A1', agency_code: 'U1', dept_code: 'D1', amount: '100000.00' }],
      vouchers: [
        { agency_code: 'U1', dept_code: 'D1', indicator_no: null, amount: '100.00', pay_date: '2025-06-15' },
        { agency_code: 'U1', dept_code: 'D1', indicator_no: 'NOPE', amount: '200.00', pay_date: '2025-06-15' },
        { agency_code: 'U1', dept_code: 'D1', indicator_no: '', amount: '50.00', pay_date: '2025-06-16' },
        { agency_code: 'U1', dept_code: 'D1', indicator_no: 'A1', amount: '70.00', pay_date: '2025-06-17' },
        { agency_code: 'U1', dept_code: 'D1', indicator_no: null, amount: '80.00', pay_date: '2025-10-01' },
      ],
    });
    const fs = await runRule(db.knex, r03, ctxFor(r03, '2025-09-30'));
    expect(fs.map((f) => [f.subjectKey, f.period, f.severity, f.measured.vouchers, f.measured.amount])).toEqual([
      ['unit:U1', '2025-06-15', 'orange', '2', '300.00'],
      ['unit:U1', '2025-06-16', 'orange', '1', '50.00'],
    ]);
    expect(r03.explain(fs[0])).toBe('单位第一实验小学于 2025-06-15 无指标支付 2 笔，共 300.00 元');
    expect(fs[0].drillLink.query).toMatchObject({ unit: 'U1', dateFrom: '2025-06-15', dateTo: '2025-06-15', noIndicator: '1' });
  });

  it('R04 bands the supplement rate at 20 / 35 / 50 % with 调减 delivered negative', async () => {
    const depts = { D1: ['300000.00', '-100000.00'], D2: ['199999.99', null], D3: ['350000.00', null], D4: ['500000.00', null], D5: ['349999.99', null] };
    await insertRows(db.knex, {
      agencies: Object.keys(depts).map((d) => ({ agency_code: d, agency_name: `部门${d}` })),
      indicators: Object.entries(depts).flatMap(([d, [add, cut]]) => [
        { indicator_no: `${d}-0`, agency_code: d, amount: '1000000.00' },
        { indicator_no: `${d}-1`, agency_code: d, amount: add, indicator_kind: '追加', issued_on: '2025-05-01' },
        ...(cut ? [{ indicator_no: `${d}-2`, agency_code: d, amount: cut, indicator_kind: '调减', issued_on: '2025-06-01' }] : []),
        { indicator_no: `${d}-3`, agency_code: d, amount: '900000.00', indicator_kind: '结转' },
        { indicator_no: `${d}-4`, agency_code: d, amount: '900000.00', indicator_kind: '追加', issued_on: '2025-10-01' },
      ]),
    });
    const fs = await runRule(db.knex, r04, ctxFor(r04, '2025-09-30'));
    expect(severities(fs)).toEqual({
      'department:D1': 'yellow', 'department:D3': 'orange', 'department:D4': 'red', 'department:D5': 'yellow', 'region:411100': 'yellow',
    });
    expect(byKey(fs, 'department:D1').measured).toEqual({ initial: '1000000.00', supplement: '200000.00', rate: '20' });
    expect(byKey(fs, 'region:411100').measured.rate).toBe('31.9999996');
    expect(r04.explain(byKey(fs, 'region:411100'))).toBe('漯河市追加（含上级转移支付、扣除调减）1,599,999.98 元，为年初预算 5,000,000.00 元的 32.00%');
  });

  it('R05 is red over the 三公 budget and yellow on same-period growth', async () => {
    const sg = (agency: string, amount: string, pay_date: string, fiscal_year = 2025, econ_code = '30217') =>
      ({ agency_code: agency, dept_code: 'D1', amount, pay_date, fiscal_year, econ_code, indicator_no: `B-${agency}` });
    await insertRows(db.knex, {
      agencies: [{ agency_code: 'D1', agency_name: '财政局' }, ...['U1', 'U2', 'U3', 'U4', 'U5'].map((u) => unit(u, `单位${u}`))],
      indicators: ['U1', 'U2', 'U3', 'U4', 'U5'].map((u) => ({ indicator_no: `B-${u}`, agency_code: u, dept_code: 'D1', econ_code: '30217', amount: '100000.00' })),
      vouchers: [
        sg('U1', '100000.01', '2025-03-01'),
        sg('U2', '50000.00', '2025-03-01'), sg('U2', '50000.00', '2024-03-01', 2024),
        sg('U3', '50000.01', '2025-03-01', 2025, '30231'), sg('U3', '50000.00', '2024-03-01', 2024, '30212'),
        sg('U4', '50000.00', '2025-09-30'), sg('U4', '40000.00', '2024-09-30', 2024), sg('U4', '60000.00', '2024-10-01', 2024),
        sg('U5', '100000.00', '2025-03-01', 2025, '31013'), sg('U5', '100000.00', '2024-03-01', 2024, '30913'),
        sg('U5', '999999.00', '2025-03-01', 2025, '30201'),
      ],
    });
    const fs = await runRule(db.knex, r05, ctxFor(r05, '2025-09-30'));
    expect(severities(fs)).toEqual({ 'unit:U1': 'red', 'unit:U3': 'yellow', 'unit:U4': 'yellow', 'region:411100': 'yellow' });
    expect(byKey(fs, 'unit:U4').measured).toMatchObject({ paid: '50000.00', lastYearPaid: '40000.00', growth: '25' });
    expect(r05.explain(byKey(fs, 'unit:U1'))).toBe('单位单位U1三公经费已支付 100,000.01 元，超出预算 100,000.00 元共 0.01 元，上年同期为零');
    expect(r05.explain(byKey(fs, 'unit:U3'))).toBe('单位单位U3三公经费已支付 50,000.01 元，较上年同期 50,000.00 元增长 0.00%');
    expect(byKey(fs, 'region:411100').measured).toMatchObject({ paid: '350000.02', budget: '500000.00', lastYearPaid: '240000.00' });
  });

  it('R06 measures December share from January, Q4 share during Q4', async () => {
    const v = (agency: string, amount: string, pay_date: string) => ({ agency_code: agency, dept_code: 'D1', amount, pay_date });
    await insertRows(db.knex, {
      agencies: [{ agency_code: 'D1', agency_name: '某局' }, ...['U1', 'U2', 'U3', 'U4', 'U6'].map((u) => unit(u, `单位${u}`))],
      vouchers: [
        v('U1', '750000.00', '2025-01-20'), v('U1', '250000.00', '2025-12-20'),
        v('U2', '750000.01', '2025-01-20'), v('U2', '249999.99', '2025-12-20'),
        v('U3', '650000.00', '2025-01-20'), v('U3', '350000.00', '2025-12-01'),
        v('U4', '650000.01', '2025-01-20'), v('U4', '349999.99', '2025-12-31'),
        v('U6', '600000.00', '2025-06-20'), v('U6', '400000.00', '2025-11-30'),
      ],
    });
    const jan = await runRule(db.knex, r06, ctxFor(r06, '2026-01-15'));
    expect(severities(jan)).toEqual({ 'unit:U1': 'yellow', 'unit:U3': 'orange', 'unit:U4': 'yellow' });
    expect(jan.every((f) => f.period === '2025')).toBe(true);
    expect(r06.explain(byKey(jan, 'unit:U3'))).toBe('单位单位U32025年12月支付 350,000.00 元，占全年支付 1,000,000.00 元的 35.00%');
    const nov = await runRule(db.knex, r06, ctxFor(r06, '2025-11-30'));
    expect(severities(nov)).toEqual({ 'unit:U6': 'orange' });
    expect(byKey(nov, 'unit:U6').measured).toMatchObject({ basis: 'Q4', share: '40' });
    expect(r06.covers!('2025', ctxFor(r06, '2026-01-15'))).toBe(true);
  });

  it('R07 flags a 结转 indicator unpaid 180 days after issue', async () => {
    await insertRows(db.knex, {
      agencies: [{ agency_code: 'D1', agency_name: '某局' }, unit('U1', '某中心')],
      indicators: [
        { indicator_no: 'K1', agency_code: 'U1', dept_code: 'D1', amount: '500000.00', indicator_kind: '结转', issued_on: '2025-04-03' },
        { indicator_no: 'K2', agency_code: 'U1', dept_code: 'D1', amount: '500000.00', indicator_kind: '结转', issued_on: '2025-04-04' },
        { indicator_no: 'K3', agency_code: 'U1', dept_code: 'D1', amount: '500000.00', indicator_kind: '结转', issued_on: '2025-01-10' },
        { indicator_no: 'K4', agency_code: 'U1', dept_code: 'D1', amount: '500000.00', indicator_kind: '结转', issued_on: '2025-01-10' },
        { indicator_no: 'K5', agency_code: 'U1', dept_code: 'D1', amount: '500000.00', indicator_kind: '年初预算', issued_on: '2025-01-10' },
      ],
      vouchers: [
        { agency_code: 'U1', dept_code: 'D1', indicator_no: 'K3', amount: '1.00', pay_date: '2025-09-01' },
        { agency_code: 'U1', dept_code: 'D1', indicator_no: 'K4', amount: '1.00', pay_date: '2025-10-01' },
      ],
    });
    const fs = await runRule(db.knex, r07, ctxFor(r07, '2025-09-30'));
    expect(severities(fs)).toEqual({ 'indicator:K1': 'yellow', 'indicator:K4': 'yellow' });
    expect(byKey(fs, 'indicator:K1').measured).toEqual({ amount: '500000.00', issuedOn: '2025-04-03', idleDays: '180' });
    expect(r07.explain(byKey(fs, 'indicator:K1'))).toBe('某中心结转指标 K1金额 500,000.00 元，自 2025-04-03 下达已 180 天无支付');
  });

  it('R08 bands key livelihood classes at 5 / 10 / 20 points', async () => {
    const paid = { '2050202': '950000.00', '2080505': '950100.00', '2100408': '900000.00', '2130122': '800000.00', '2010101': '0.00' };
    await insertRows(db.knex, {
      indicators: Object.keys(paid).map((f) => ({ indicator_no: `F${f}`, agency_code: 'U1', dept_code: 'D1', func_code: f, amount: '1000000.00' })),
      vouchers: Object.entries(paid).map(([f, amount]) => ({ agency_code: 'U1', dept_code: 'D1', indicator_no: `F${f}`, func_code: f, amount })),
    });
    const fs = await runRule(db.knex, r08, ctxFor(r08, '2025-12-31'));
    expect(severities(fs)).toEqual({ 'region_func:411100|205': 'yellow', 'region_func:411100|210': 'orange', 'region_func:411100|213': 'red' });
    expect(r08.explain(byKey(fs, 'region_func:411100|205'))).toBe('漯河市教育支出支出进度 95.00%，低于时序进度 100.00% 共 5.00 个百分点');
    expect(byKey(fs, 'region_func:411100|213').drillLink).toEqual({ route: '/drill', query: { region: '411100', func: '213' } });
  });

  it('R09 compares revenue progress with time progress per budget type, finest lines only', async () => {
    const line = (budget_type: string, month: number, amount: string, revenue_code = '10101') =>
      ({ budget_type, month, amount, revenue_code, budget_amount: '1000000.00' });
    await insertRows(db.knex, {
      revenues: [
        line('1', 1, '0.00'), line('1', 12, '950000.00'), line('1', 12, '950000.00', '101'),
        line('2', 12, '950100.00'),
        line('3', 12, '900000.00'),
        line('4', 6, '400000.00'), line('4', 7, '500000.00'),
      ],
    });
    const fs = await runRule(db.knex, r09, ctxFor(r09, '2025-12-31'));
    expect(severities(fs)).toEqual({ 'region_budget_type:411100|1': 'yellow', 'region_budget_type:411100|3': 'orange', 'region_budget_type:411100|4': 'orange' });
    expect(byKey(fs, 'region_budget_type:411100|1').measured).toMatchObject({ revenue: '950000.00', budget: '1000000.00', gap: '5' });
    expect(r09.explain(byKey(fs, 'region_budget_type:411100|3'))).toBe('漯河市国有资本经营预算收入进度 90.00%，低于时序进度 100.00% 共 10.00 个百分点');
    const june = await runRule(db.knex, r09, ctxFor(r09, '2025-06-30', {}, { convention: 'months' }));
    expect(byKey(june, 'region_budget_type:411100|4').measured).toMatchObject({ revenue: '400000.00', timeProgress: '50', gap: '10' });
  });

  it('R10 keeps the reserve fund within 1 %–3 % of general budget expenditure', async () => {
    const ind = (no: string, func_code: string, amount: string) => ({ indicator_no: no, agency_code: 'U1', dept_code: 'D1', func_code, amount });
    await insertRows(db.knex, { indicators: [ind('A', '2010101', '99000000.00'), ind('R', '22701', '1000000.00')] });
    await insertRows(db.knex, { indicators: [ind('A', '2010101', '99000000.01'), ind('R', '22701', '999999.99')] }, COUNTY);
    await insertRows(db.knex, { indicators: [ind('A', '2010101', '96999999.99'), ind('R', '22701', '3000000.01')] }, '411122');
    expect(await runRule(db.knex, r10, ctxFor(r10, '2025-09-30'))).toEqual([]);
    const [low] = await runRule(db.knex, r10, ctxFor(r10, '2025-09-30', {}, { region: COUNTY }));
    expect(low).toMatchObject({ subjectKey: 'region:411121', severity: 'orange', measured: { share: '0.99999999' } });
    expect(r10.explain(low)).toBe('舞阳县2025年预备费 999,999.99 元，占一般公共预算支出 100,000,000.00 元的 1.00%，低于1%（预算法第四十条）');
    const [high] = await runRule(db.knex, r10, ctxFor(r10, '2025-09-30', {}, { region: '411122' }));
    expect(high.measured.share).toBe('3.00000001');
  });
});
