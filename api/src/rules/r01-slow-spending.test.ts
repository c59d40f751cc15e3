import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase, ctxFor, insertRows, resetRows, runRule } from '../testing/index.js';
import rule from './r01-slow-spending.js';

describe('R01 支出进度滞后', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterAll(() => db.drop());
  beforeEach(() => resetRows(db.knex));

  const unit = (code: string, dept = 'D1') => ({ agency_code: code, agency_name: `单位${code}`, parent_code: dept });

  it('bands the gap exactly at, just under and just over 10 / 20 / 30 points (time progress 100% at 2025-12-31)', async () => {
    const paid: Record<string, string> = {
      U1: '900000.00', U2: '900100.00', U3: '899900.00', U4: '800000.00', U5: '800100.00', U6: '700000.00', U7: '700100.00',
    };
    await insertRows(db.knex, {
      agencies: [{ agency_code: 'D1', agency_name: '某局' }, ...Object.keys(paid).map((u) => unit(u))],
      indicators: Object.keys(paid).map((u) => ({ indicator_no: `I-${u}`, agency_code: u, dept_code: 'D1', amount: '1000000.00' })),
      vouchers: Object.entries(paid).map(([u, amount]) => ({ agency_code: u, dept_code: 'D1', indicator_no: `I-${u}`, amount })),
    });
    const findings = await runRule(db.knex, rule, ctxFor(rule, '2025-12-31'));
    const bySubject = Object.fromEntries(findings.map((f) => [f.subjectKey, f]));
    expect(Object.fromEntries(findings.filter((f) => f.subjectType === 'unit').map((f) => [f.subjectKey, f.severity]))).toEqual({
      'unit:U1': 'yellow', 'unit:U3': 'yellow', 'unit:U4': 'orange', 'unit:U5': 'yellow', 'unit:U6': 'red', 'unit:U7': 'orange',
    });
    expect(bySubject['unit:U1'].measured).toMatchObject({ available: '1000000.00', paid: '900000.00', executionRate: '90', timeProgress: '100', gap: '10' });
    expect(bySubject['unit:U3'].measured.gap).toBe('10.01');
    expect(bySubject['unit:U7'].measured.gap).toBe('29.99');
    // The department: 5,700,200.00 paid of 7,000,000.00 = 81.4314…% → 18.5685…% behind.
    expect(bySubject['department:D1']).toMatchObject({ severity: 'yellow', subjectName: '某局', period: '2025' });
    expect(bySubject['department:D1'].measured.paid).toBe('5700200.00');
    expect(rule.explain(bySubject['department:D1'])).toBe('部门某局支出进度 81.43%，低于时序进度 100.00% 共 18.57 个百分点');
    expect(bySubject['unit:U6'].drillLink).toEqual({ route: '/drill', query: { region: '411100', dept: 'D1', unit: 'U6' } });
  });

  it('explains with the days convention: 2025-09-30 → 273/365 = 74.79%', async () => {
    await insertRows(db.knex, {
      agencies: [{ agency_code: 'D1', agency_name: '某局' }, unit('U1')],
      indicators: [{ indicator_no: 'I1', agency_code: 'U1', dept_code: 'D1', amount: '1000000.00' }],
      vouchers: [{ agency_code: 'U1', dept_code: 'D1', indicator_no: 'I1', amount: '412000.00' }],
    });
    const [f] = (await runRule(db.knex, rule, ctxFor(rule, '2025-09-30'))).filter((x) => x.subjectKey === 'unit:U1');
    expect(f.severity).toBe('red');
    expect(f.measured.timeProgress).toBe('74.79452054794520547945');
    expect(rule.explain(f)).toBe('单位单位U1支出进度 41.20%，低于时序进度 74.79% 共 33.59 个百分点');
    const monthly = (await runRule(db.knex, rule, ctxFor(rule, '2025-09-30', {}, { convention: 'months' }))).find((x) => x.subjectKey === 'unit:U1')!;
    expect(monthly.measured).toMatchObject({ timeProgress: '75', gap: '33.8' });
    expect(monthly.threshold.convention).toBe('months');
  });

  it('is silent before the grace date (1 April) and speaks from it', async () => {
    await insertRows(db.knex, {
      agencies: [{ agency_code: 'D1', agency_name: '某局' }, unit('U1')],
      indicators: [{ indicator_no: 'I1', agency_code: 'U1', dept_code: 'D1', amount: '1000000.00' }],
    });
    expect(await runRule(db.knex, rule, ctxFor(rule, '2025-03-31'))).toEqual([]);
    const onApril1 = await runRule(db.knex, rule, ctxFor(rule, '2025-04-01'));
    // 91/365 = 24.93% behind with nothing paid: orange.
    expect(onApril1.find((f) => f.subjectKey === 'unit:U1')?.severity).toBe('orange');
    expect(await runRule(db.knex, rule, ctxFor(rule, '2025-04-01', { graceUntil: '04-02' }))).toEqual([]);
  });

  it('counts only indicators issued and vouchers paid up to the as-of date', async () => {
    await insertRows(db.knex, {
      agencies: [{ agency_code: 'D1', agency_name: '某局' }, unit('U1')],
      indicators: [
        { indicator_no: 'I1', agency_code: 'U1', dept_code: 'D1', amount: '1000000.00' },
        { indicator_no: 'I2', agency_code: 'U1', dept_code: 'D1', amount: '9000000.00', issued_on: '2026-01-05' },
        { indicator_no: 'I0', agency_code: 'U1', dept_code: 'D1', amount: '9000000.00', fiscal_year: 2024, issued_on: '2024-01-05' },
      ],
      vouchers: [
        { agency_code: 'U1', dept_code: 'D1', indicator_no: 'I1', amount: '950000.00', pay_date: '2025-12-31' },
        { agency_code: 'U1', dept_code: 'D1', indicator_no: 'I1', amount: '-50000.00', pay_date: '2025-12-31' },
        { agency_code: 'U1', dept_code: 'D1', indicator_no: 'I1', amount: '500000.00', pay_date: '2026-01-02' },
      ],
    });
    const f = (await runRule(db.knex, rule, ctxFor(rule, '2025-12-31'))).find((x) => x.subjectKey === 'unit:U1')!;
    expect(f.measured).toMatchObject({ available: '1000000.00', paid: '900000.00', gap: '10' });
  });

  it('makes project indicators of at least 500,000 yuan subjects of their own', async () => {
    await insertRows(db.knex, {
      agencies: [{ agency_code: 'D2', agency_name: '某委' }, unit('U8', 'D2')],
      indicators: [
        { indicator_no: 'P1', agency_code: 'U8', dept_code: 'D2', amount: '500000.00', project_code: 'XM1', project_name: '乡村振兴项目' },
        { indicator_no: 'P2', agency_code: 'U8', dept_code: 'D2', amount: '499999.99', project_code: 'XM2', project_name: '小项目' },
        { indicator_no: 'P3', agency_code: 'U8', dept_code: 'D2', amount: '800000.00' },
      ],
    });
    const findings = await runRule(db.knex, rule, ctxFor(rule, '2025-09-30'));
    const indicators = findings.filter((f) => f.subjectType === 'indicator');
    expect(indicators.map((f) => f.subjectKey)).toEqual(['indicator:P1']);
    expect(indicators[0].subjectName).toBe('乡村振兴项目');
    expect(indicators[0].drillLink.query).toEqual({ region: '411100', dept: 'D2', unit: 'U8', indicator: 'P1' });
  });
});
