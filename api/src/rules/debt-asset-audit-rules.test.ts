import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase, ctxFor, insertRows, resetRows, runRule } from '../testing/index.js';
import type { Finding } from './define-rule.js';
import r11 from './r11-debt-ratio.js';
import r12 from './r12-balance-over-limit.js';
import r13 from './r13-overdue-repayment.js';
import r14 from './r14-maturity-wall.js';
import r15 from './r15-liability-ratio.js';
import r16 from './r16-idle-asset.js';
import r17 from './r17-overdue-rectification.js';
import r18 from './r18-repeat-finding.js';

const severities = (fs: Finding[]) => Object.fromEntries(fs.map((f) => [f.subjectKey, f.severity]));
const byKey = (fs: Finding[], key: string) => fs.find((f) => f.subjectKey === key)!;
const AS_OF = '2025-09-30';

describe('debt, asset and audit rules (R11–R18) on hand-made rows', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterAll(() => db.drop());
  beforeEach(() => resetRows(db.knex));

  const limits = (general_balance: string, special_balance: string, fiscal_capacity: string, more: Record<string, string> = {}) => ({
    general_limit: '1000000000.00', special_limit: '1000000000.00', general_balance, special_balance, fiscal_capacity, ...more,
  });

  it('R11 grades the debt ratio at 120 / 200 / 300 %', async () => {
    const cases: Record<string, [string, string | undefined]> = {
      '411100': ['120000000.00', 'yellow'], '411121': ['119990000.00', undefined], '411122': ['200000000.00', 'orange'],
      '411102': ['300000000.00', 'red'], '411103': ['299999999.99', 'orange'],
    };
    for (const [region, [balance]] of Object.entries(cases)) {
      await insertRows(db.knex, { limits: [limits(balance, '0.00', '100000000.00'), { ...limits('0.00', '0.00', '100000000.00'), fiscal_year: 2024 }] }, region);
    }
    for (const [region, [, expected]] of Object.entries(cases)) {
      const fs = await runRule(db.knex, r11, ctxFor(r11, AS_OF, {}, { region }));
      expect([region, fs[0]?.severity]).toEqual([region, expected]);
    }
    const [f] = await runRule(db.knex, r11, ctxFor(r11, AS_OF));
    expect(f).toMatchObject({ subjectKey: 'region:411100', period: '2025', measured: { ratio: '120' } });
    expect(r11.explain(f)).toBe('漯河市政府债务余额 120,000,000.00 元，综合财力 100,000,000.00 元，债务率 120.00%');
    // The 2024 row alone (as of 2024) is green.
    expect(await runRule(db.knex, r11, ctxFor(r11, '2024-12-31'))).toEqual([]);
  });

  it('R12 is red over the limit and yellow from 95 % of it, per bond type', async () => {
    await insertRows(db.knex, { limits: [limits('100.00', '95.00', '1000.00', { general_limit: '100.00', special_limit: '100.00' })] });
    await insertRows(db.knex, { limits: [limits('100.01', '94.99', '1000.00', { general_limit: '100.00', special_limit: '100.00' })] }, '411121');
    const city = await runRule(db.knex, r12, ctxFor(r12, AS_OF));
    expect(severities(city)).toEqual({ 'region_bond_type:411100|general': 'yellow', 'region_bond_type:411100|special': 'yellow' });
    const county = await runRule(db.knex, r12, ctxFor(r12, AS_OF, {}, { region: '411121' }));
    expect(severities(county)).toEqual({ 'region_bond_type:411121|general': 'red' });
    expect(r12.explain(county[0])).toBe('舞阳县一般债务余额 100.01 元，超出限额 100.00 元共 0.01 元');
    expect(r12.explain(byKey(city, 'region_bond_type:411100|special'))).toBe('漯河市专项债务余额 95.00 元，已达限额 100.00 元的 95.00%');
  });

  it('R13 flags repayments past due and not paid in full by the as-of date', async () => {
    const rep = (due_date: string, paid_on: string | null, paid_amount: string | null) =>
      ({ bond_code: 'B1', due_date, principal: '1000.00', interest: '30.00', paid_on, paid_amount });
    await insertRows(db.knex, {
      bonds: [{ bond_code: 'B1', bond_name: '2020年河南省政府一般债券（一期）' }],
      repayments: [
        rep('2025-09-30', null, null), rep('2025-09-29', null, null), rep('2025-06-15', '2025-06-15', '1030.00'),
        rep('2025-03-15', '2025-03-15', '1029.99'), rep('2025-01-15', '2025-10-05', '1030.00'),
      ],
    });
    const fs = await runRule(db.knex, r13, ctxFor(r13, AS_OF));
    expect(severities(fs)).toEqual({ 'repayment:B1|2025-01-15': 'red', 'repayment:B1|2025-03-15': 'red', 'repayment:B1|2025-09-29': 'red' });
    expect(byKey(fs, 'repayment:B1|2025-03-15').measured).toMatchObject({ due: '1030.00', paid: '1029.99' });
    expect(r13.explain(byKey(fs, 'repayment:B1|2025-09-29'))).toBe('2020年河南省政府一般债券（一期）（2025-09-29 应还）本息 1,030.00 元，已逾期 1 天，实付 0.00 元');
  });

  it('R14 measures principal due within 12 months against the balance', async () => {
    const rep = (due_date: string, principal: string) => ({ bond_code: 'B1', due_date, principal });
    await insertRows(db.knex, {
      limits: [limits('600000.00', '400000.00', '1.00')],
      repayments: [rep('2025-09-30', '500000.00'), rep('2025-10-01', '100000.00'), rep('2026-09-30', '100000.00'), rep('2026-10-01', '500000.00')],
    });
    await insertRows(db.knex, {
      limits: [limits('600000.00', '400000.00', '1.00')],
      repayments: [rep('2025-10-01', '199999.99')],
    }, '411121');
    await insertRows(db.knex, { limits: [limits('600000.00', '400000.00', '1.00')], repayments: [rep('2026-01-01', '300000.00')] }, '411122');
    const [f] = await runRule(db.knex, r14, ctxFor(r14, AS_OF));
    expect(f).toMatchObject({ severity: 'yellow', measured: { duePrincipal: '200000.00', balance: '1000000.00', share: '20', windowEnd: '2026-09-30' } });
    expect(r14.explain(f)).toBe('漯河市未来 12 个月内（至 2026-09-30）到期本金 200,000.00 元，占债务余额 1,000,000.00 元的 20.00%');
    expect(await runRule(db.knex, r14, ctxFor(r14, AS_OF, {}, { region: '411121' }))).toEqual([]);
    expect((await runRule(db.knex, r14, ctxFor(r14, AS_OF, {}, { region: '411122' })))[0].severity).toBe('orange');
  });

  it('R15 compares liability ratios with the industry lines (strictly above)', async () => {
    const e = (entity_code: string, industry: string | null, total_liabilities: string, more: Record<string, unknown> = {}) =>
      ({ entity_code, entity_name: `企业${entity_code}`, industry, total_assets: '10000.00', total_liabilities, ...more });
    await insertRows(db.knex, {
      reports: [
        e('E1', '工业', '6500.00'), e('E2', '工业', '6501.00'), e('E3', '工业', '7000.00'), e('E4', '工业', '7001.00'),
        e('E5', '非工业', '7001.00'), e('E6', null, '7501.00'), e('E7', '科研设计', '6001.00'),
        e('E8', '非工业', '9900.00', { asset_category: '行政事业' }),
        e('E9', '工业', '9000.00', { report_year: 2023 }), e('E9', '工业', '1000.00'),
        e('E10', '工业', '9000.00', { report_year: 2026 }),
      ],
    });
    const fs = await runRule(db.knex, r15, ctxFor(r15, AS_OF));
    expect(severities(fs)).toEqual({
      'entity:E2': 'orange', 'entity:E3': 'orange', 'entity:E4': 'red', 'entity:E5': 'orange', 'entity:E6': 'red', 'entity:E7': 'orange',
    });
    expect(byKey(fs, 'entity:E6').threshold).toEqual({ industry: '非工业', warning: '70', supervision: '75' });
    expect(r15.explain(byKey(fs, 'entity:E4'))).toBe('企业E4资产负债率 70.01%（负债 7,001.00 元 / 资产 10,000.00 元），高于工业行业重点监管线 70%');
    expect(r15.explain(byKey(fs, 'entity:E2'))).toBe('企业E2资产负债率 65.01%（负债 6,501.00 元 / 资产 10,000.00 元），高于工业行业预警线 65%');
  });

  it('R16 counts days idle: 365 yellow, 730 orange', async () => {
    const a = (asset_no: string, status: string, status_since: string) => ({ asset_no, agency_code: 'U1', asset_name: `设备${asset_no}`, status, status_since });
    await insertRows(db.knex, {
      agencies: [{ agency_code: 'U1', agency_name: '农业技术推广中心' }],
      assets: [a('A1', '闲置', '2024-09-30'), a('A2', '闲置', '2024-10-01'), a('A3', '闲置', '2023-10-01'), a('A4', '闲置', '2023-10-02'), a('A5', '在用', '2020-01-01')],
    });
    const fs = await runRule(db.knex, r16, ctxFor(r16, AS_OF));
    expect(severities(fs)).toEqual({ 'asset:A1': 'yellow', 'asset:A3': 'orange', 'asset:A4': 'yellow' });
    expect(byKey(fs, 'asset:A3').measured.idleDays).toBe('730');
    expect(r16.explain(byKey(fs, 'asset:A1'))).toBe('农业技术推广中心设备A1（A1）自 2024-09-30 起闲置已 365 天，原值 100,000.00 元');
  });

  it('R17 flags overdue rectification: orange, red from 90 days', async () => {
    const f = (finding_no: string, rectify_deadline: string, status: string) => ({ finding_no, audit_year: 2024, agency_code: 'U1', rectify_deadline, status });
    await insertRows(db.knex, {
      agencies: [{ agency_code: 'U1', agency_name: '教育局' }],
      findings: [f('F1', '2025-09-30', '未整改'), f('F2', '2025-09-29', '整改中'), f('F3', '2025-07-02', '未整改'), f('F4', '2025-07-03', '未整改'), f('F5', '2024-12-31', '已整改')],
    });
    const fs = await runRule(db.knex, r17, ctxFor(r17, AS_OF));
    expect(severities(fs)).toEqual({ 'finding:F2': 'orange', 'finding:F3': 'red', 'finding:F4': 'orange' });
    expect(byKey(fs, 'finding:F3').measured.overdueDays).toBe('90');
    expect(r17.explain(byKey(fs, 'finding:F2'))).toBe('教育局审计问题 F2（预算执行）整改期限 2025-09-29，已逾期 1 天，状态为整改中');
  });

  it('R18 flags the same category for the same unit in two different audit years', async () => {
    const f = (finding_no: string, agency_code: string, category: string, audit_year: number) =>
      ({ finding_no, agency_code, category, audit_year, rectify_deadline: '2030-01-01', status: '已整改' });
    await insertRows(db.knex, {
      agencies: [{ agency_code: 'U1', agency_name: '卫生健康委员会' }],
      findings: [
        f('F1', 'U1', '预算执行', 2023), f('F2', 'U1', '预算执行', 2024),
        f('F3', 'U1', '三公经费', 2024), f('F4', 'U1', '三公经费', 2024),
        f('F5', 'U2', '预算执行', 2024), f('F6', 'U3', '政府采购', 2023), f('F7', 'U3', '政府采购', 2026),
      ],
    });
    const fs = await runRule(db.knex, r18, ctxFor(r18, AS_OF));
    expect(severities(fs)).toEqual({ 'unit_category:U1|预算执行': 'orange' });
    expect(fs[0].period).toBe('2023');
    expect(r18.explain(fs[0])).toBe('卫生健康委员会「预算执行」类问题在 2023,2024 共 2 个审计年度被查出 2 个，屡审屡犯');
  });
});
