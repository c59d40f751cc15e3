import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase, ctxFor, insertRows, resetRows, runRule } from '../testing/index.js';
import type { Finding } from './define-rule.js';
import r19 from './r19-large-personal-payment.js';
import r20 from './r20-split-payments.js';
import r21 from './r21-performance-behind.js';
import r22 from './r22-direct-funds-delay.js';
import r23 from './r23-idle-transfer.js';

const severities = (fs: Finding[]) => Object.fromEntries(fs.map((f) => [f.subjectKey, f.severity]));
const AGENCIES = [{ agency_code: 'D1', agency_name: '民政局' }, { agency_code: 'U1', agency_name: '社会救助服务中心', parent_code: 'D1' }];
const v = (voucher_no: string, amount: string, more: Record<string, unknown> = {}) => ({
  voucher_no, agency_code: 'U1', dept_code: 'D1', indicator_no: 'I1', amount, ...more,
});

describe('key-supervision rules (R19–R23) on hand-made rows', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterAll(() => db.drop());
  beforeEach(() => resetRows(db.knex));

  it('R19 flags the demo\'s 1,571,293.85 bonus and 1,354,600.00 低保 paid to single named people, and grades other classes at 50k / 200k / 1M', async () => {
    await insertRows(db.knex, {
      agencies: AGENCIES,
      indicators: [{ indicator_no: 'I1', agency_code: 'U1', dept_code: 'D1', amount: '90000000.00' }],
      vouchers: [
        v('BONUS', '1571293.85', { econ_code: '30103', payee_name: '王建华', payee_account: '6217001234567890123', purpose: '发放12月奖金' }),
        v('DIBAO', '1354600.00', { econ_code: '30305', payee_name: '李秀英', purpose: '发放低保金' }),
        v('SALARY-BANK', '2400000.00', { econ_code: '30101', payee_name: '中国工商银行漯河分行（工资代发户）' }),
        v('SALARY-SMALL', '499999.99', { econ_code: '30101', payee_name: '张伟' }),
        v('G50K', '50000.00', { econ_code: '30226', payee_name: '刘洋' }),
        v('G49K', '49999.99', { econ_code: '30226', payee_name: '刘洋' }),
        v('G200K', '200000.00', { econ_code: '30227', payee_name: '赵敏' }),
        v('G1M', '1000000.00', { econ_code: '31099', payee_name: '孙立', payee_account: '6228480012345678901' }),
        v('CO', '3000000.00', { econ_code: '31005', payee_name: '漯河市宏达建设工程有限公司' }),
        v('LATE', '3000000.00', { econ_code: '31005', payee_name: '周强', pay_date: '2025-10-01' }),
      ],
    });
    const fs = await runRule(db.knex, r19, ctxFor(r19, '2025-09-30'));
    expect(severities(fs)).toEqual({
      'voucher:BONUS': 'red', 'voucher:DIBAO': 'red', 'voucher:G50K': 'yellow', 'voucher:G200K': 'orange', 'voucher:G1M': 'red',
    });
    const bonus = fs.find((f) => f.subjectKey === 'voucher:BONUS')!;
    expect(bonus.measured).toMatchObject({ amount: '1571293.85', payee: '王建华', econCode: '30103' });
    expect(r19.explain(bonus)).toBe('社会救助服务中心支付凭证 BONUS于 2025-06-15 向个人「王建华」支付 1,571,293.85 元（经济分类 30103，名称为 3 个汉字且不含单位用字）');
    expect(bonus.drillLink).toEqual({ route: '/drill', query: { region: '411100', dept: 'D1', unit: 'U1', voucher: 'BONUS' } });
    expect(r19.explain(fs.find((f) => f.subjectKey === 'voucher:DIBAO')!)).toContain('向个人「李秀英」支付 1,354,600.00 元');
    // The individual classes' own bands are settings: raised above the bonus, it no longer fires.
    const raised = await runRule(db.knex, r19, ctxFor(r19, '2025-09-30', { individualClassBands: { red: '2000000' } }));
    expect(severities(raised)['voucher:BONUS']).toBeUndefined();
  });

  it('R20 finds three payments under the procurement limit within 10 days that reach it, once per cluster', async () => {
    const pay = (no: string, amount: string, pay_date: string, payee = '漯河市恒泰商贸有限公司', econ_code = '30201') =>
      v(no, amount, { pay_date, payee_name: payee, econ_code });
    await insertRows(db.knex, {
      agencies: AGENCIES,
      indicators: [{ indicator_no: 'I1', agency_code: 'U1', dept_code: 'D1', amount: '90000000.00' }],
      vouchers: [
        // Split: 3 × < 1M within 10 days (05-01 … 05-10), 1,050,000 together.
        pay('S1', '350000.00', '2025-05-01'), pay('S2', '350000.00', '2025-05-06'), pay('S3', '350000.00', '2025-05-10'),
        // Near miss: same pattern spread over 11 days.
        pay('N1', '350000.00', '2025-07-01', '漯河市鑫源办公用品有限公司'), pay('N2', '350000.00', '2025-07-06', '漯河市鑫源办公用品有限公司'),
        pay('N3', '350000.00', '2025-07-11', '漯河市鑫源办公用品有限公司'),
        // Near miss: 999,999.99 together.
        pay('M1', '333333.33', '2025-08-01', '漯河市华宇印务有限公司'), pay('M2', '333333.33', '2025-08-02', '漯河市华宇印务有限公司'),
        pay('M3', '333333.33', '2025-08-03', '漯河市华宇印务有限公司'),
        // Not procurement: salary batches to a bank.
        pay('W1', '600000.00', '2025-06-12', '工资代发户', '30101'), pay('W2', '600000.00', '2025-06-13', '工资代发户', '30101'),
        pay('W3', '600000.00', '2025-06-14', '工资代发户', '30101'),
        // One payment at the limit is not a part.
        pay('L1', '1000000.00', '2025-09-01', '漯河市中联电子科技有限公司'), pay('L2', '10.00', '2025-09-02', '漯河市中联电子科技有限公司'),
        pay('L3', '10.00', '2025-09-03', '漯河市中联电子科技有限公司'),
      ],
    });
    const fs = await runRule(db.knex, r20, ctxFor(r20, '2025-09-30'));
    expect(fs.map((f) => [f.subjectKey, f.period, f.severity])).toEqual([['unit_payee:U1|漯河市恒泰商贸有限公司', '2025-05-01', 'orange']]);
    expect(fs[0].measured).toEqual({ total: '1050000.00', payments: '3', firstDate: '2025-05-01', lastDate: '2025-05-10', payee: '漯河市恒泰商贸有限公司' });
    expect(r20.explain(fs[0])).toBe('社会救助服务中心 → 漯河市恒泰商贸有限公司：2025-05-01 至 2025-05-10 共支付 3 笔合计 1,050,000.00 元，每笔均低于采购限额 1,000,000.00 元，合计达到限额');
    expect(fs[0].drillLink.query).toMatchObject({ unit: 'U1', dateFrom: '2025-05-01', dateTo: '2025-05-10', payee: '漯河市恒泰商贸有限公司' });
  });

  it('R21 compares spending with the 产出 targets on track from 1 July, and flags a ≥ 500,000 project without targets', async () => {
    const ind = (indicator_no: string, project_code: string, amount: string) => ({
      indicator_no, agency_code: 'U1', dept_code: 'D1', project_code, project_name: `项目${project_code}`, amount,
    });
    await insertRows(db.knex, {
      agencies: AGENCIES,
      indicators: [ind('I1', 'P1', '1000000.00'), ind('I2', 'P2', '1000000.00'), ind('I3', 'P3', '500000.00'), ind('I4', 'P4', '499999.99'), ind('I5', 'P5', '800000.00')],
      vouchers: [v('V1', '900000.00'), v('V2', '600000.00', { indicator_no: 'I2' }), v('V5', '900000.00', { indicator_no: 'I5' })],
      targets: [
        // I1: 90 % spent, 1 of 2 output targets on track at 74.79 % → gap 40 → orange.
        { indicator_no: 'I1', target_no: 'T1', target_value: '100', actual_value: '75', actual_as_of: '2025-09-20' },
        { indicator_no: 'I1', target_no: 'T2', target_value: '100', actual_value: '74', actual_as_of: '2025-09-20' },
        { indicator_no: 'I1', target_no: 'T3', level1: '满意度', direction: '定性', target_value: '较高' },
        // I2 (by project code): 60 % spent, 1 of 3 on track → gap 26.67 → yellow.
        { indicator_no: 'P2', target_no: 'T1', target_value: '10', actual_value: '8', actual_as_of: '2025-09-20' },
        { indicator_no: 'P2', target_no: 'T2', target_value: '10' },
        { indicator_no: 'P2', target_no: 'T3', target_value: '10', actual_value: '7', actual_as_of: '2025-09-20' },
        // I5: only qualitative targets: not measured.
        { indicator_no: 'I5', target_no: 'T1', level1: '效益', direction: '定性', target_value: '明显改善' },
      ],
    });
    const fs = await runRule(db.knex, r21, ctxFor(r21, '2025-09-30'));
    expect(severities(fs)).toEqual({ 'indicator:I1': 'orange', 'indicator:I2': 'yellow', 'indicator:I3': 'orange' });
    const i1 = fs.find((f) => f.subjectKey === 'indicator:I1')!;
    expect(i1.measured).toMatchObject({ executionRate: '90', onTrack: '1', measuredTargets: '2', onTrackShare: '50', gap: '40' });
    expect(r21.explain(i1)).toBe('社会救助服务中心「项目P1」（I1）支出进度 90.00%，产出指标按时序达标 1/2 项（50.00%），绩效落后支出 40.00 个百分点');
    expect(r21.explain(fs.find((f) => f.subjectKey === 'indicator:I3')!)).toBe('社会救助服务中心「项目P3」（I3）金额 500,000.00 元，未设定绩效目标');
    // Before 1 July only the missing targets count.
    expect(severities(await runRule(db.knex, r21, ctxFor(r21, '2025-06-30')))).toEqual({ 'indicator:I3': 'orange' });
  });

  it('R22 counts the days from arrival to allocation of direct funds, strictly above 30 / 60 / 90', async () => {
    const t = (transfer_no: string, received_on: string, allocated_on: string | null, more: Record<string, string> = {}) => ({
      transfer_no, received_on, allocated_on, amount: '1000000.00', ...more,
    });
    await insertRows(db.knex, {
      transfers: [
        t('A30', '2025-03-01', '2025-03-31'), t('A31', '2025-03-01', '2025-04-01'), t('A61', '2025-03-01', '2025-05-01'),
        t('OPEN', '2025-06-01', null), t('LATER', '2025-06-01', '2025-10-15'),
        t('GENERAL', '2025-01-01', null, { kind: '一般性转移支付' }), t('DOWN', '2025-01-01', null, { direction: '下达下级' }),
      ],
    });
    const fs = await runRule(db.knex, r22, ctxFor(r22, '2025-09-30'));
    // OPEN and LATER: 121 days to the as-of date (the allocation after it is not known yet).
    expect(severities(fs)).toEqual({ 'transfer:A31': 'yellow', 'transfer:A61': 'orange', 'transfer:OPEN': 'red', 'transfer:LATER': 'red' });
    expect(r22.explain(fs.find((f) => f.subjectKey === 'transfer:A61')!)).toBe('直达资金「上级补助资金」（A61）1,000,000.00 元于 2025-03-01 到账，至 2025-05-01 才分配下达，用时 61 天');
    expect(r22.explain(fs.find((f) => f.subjectKey === 'transfer:OPEN')!)).toBe('直达资金「上级补助资金」（OPEN）1,000,000.00 元于 2025-06-01 到账，至今 121 天仍未分配下达');
  });

  it('R23 compares the indicator a transfer became with the time progress since arrival, from 90 days after', async () => {
    await insertRows(db.knex, {
      agencies: AGENCIES,
      indicators: [
        { indicator_no: 'I1', agency_code: 'U1', dept_code: 'D1', amount: '1000000.00', indicator_kind: '上级转移支付', issued_on: '2025-04-15' },
        { indicator_no: 'I2', agency_code: 'U1', dept_code: 'D1', amount: '1000000.00', indicator_kind: '上级转移支付', issued_on: '2025-07-15' },
      ],
      vouchers: [v('V1', '100000.00'), v('V2', '10000.00', { indicator_no: 'I2' })],
      transfers: [
        { transfer_no: 'T1', kind: '专项转移支付', received_on: '2025-04-01', allocated_on: '2025-04-15', indicator_no: 'I1', amount: '1000000.00' },
        { transfer_no: 'T2', kind: '专项转移支付', received_on: '2025-07-03', allocated_on: '2025-07-15', indicator_no: 'I2', amount: '1000000.00' },
      ],
    });
    const fs = await runRule(db.knex, r23, ctxFor(r23, '2025-09-30'));
    // T1: 183/275 days since arrival = 66.55 %, paid 10 % → 56.55 points → red. T2: 89 days: not yet judged.
    expect(severities(fs)).toEqual({ 'transfer:T1': 'red' });
    expect(fs[0].measured).toMatchObject({ daysSince: '182', executionRate: '10' });
    expect(r23.explain(fs[0])).toBe('专项转移支付「上级补助资金」（T1，社会救助服务中心）于 2025-04-01 到账 182 天，指标 1,000,000.00 元已支付 10.00%，低于到账以来时序进度 66.55% 共 56.55 个百分点');
    expect(severities(await runRule(db.knex, r23, ctxFor(r23, '2025-10-01')))).toEqual({ 'transfer:T1': 'red', 'transfer:T2': 'red' });
  });
});
