import type { Knex } from 'knex';
import { seedSmallCity } from './small-city.js';
import { refreshAggregates } from '../features/drilldown/aggregates.js';

/**
 * The small city as of 2025-09-30, plus the awkward cases the drill-down must reconcile:
 * vouchers with an empty and with an unknown indicator, a refund (negative amount), a
 * negative indicator (调减), and an indicator without any voucher.
 */
export async function seedDrillData(knex: Knex): Promise<void> {
  await seedSmallCity(knex, '2025-10-01');
  const batch = await knex('batches').where({ region_code: '411100' }).first('id');
  const base = { region_code: '411100', batch_id: batch.id, fiscal_year: 2025, fund_type: '1' };
  await knex('budget_indicators').insert([
    { ...base, source_line: 9001, indicator_no: 'ZBTEST-CUT', doc_no: '漯财预〔2025〕99号', agency_code: '411100101001', dept_code: '411100101', func_code: '2050202', econ_code: '30201', indicator_kind: '调减', amount: '-12345.67', issued_on: '2025-06-01' },
    { ...base, source_line: 9002, indicator_no: 'ZBTEST-IDLE', doc_no: null, agency_code: '411100103001', dept_code: '411100103', func_code: '2130122', econ_code: null, fund_type: '2', indicator_kind: '结转', amount: '800000.01', issued_on: '2025-02-01' },
  ]);
  const v = (no: string, extra: Record<string, unknown>) => ({
    ...base, source_line: 9100 + Number(no.slice(-2)), voucher_no: no, pay_date: '2025-08-15', agency_code: '411100101001', dept_code: '411100101',
    func_code: '2050202', econ_code: '30201', payee_name: '测试收款单位', payee_account: '6222020200112233445', pay_method: '授权支付', purpose: '测试', ...extra,
  });
  await knex('payment_vouchers').insert([
    v('PZTEST01', { indicator_no: null, amount: '1000.01' }),
    v('PZTEST02', { indicator_no: 'ZB-NOT-EXISTING', amount: '2500.50', agency_code: '411100102001', dept_code: '411100102', func_code: '2100408' }),
    v('PZTEST03', { indicator_no: 'ZB2025411100101001' + '2', amount: '-300.33', purpose: '退回' }),
    v('PZTEST04', { indicator_no: null, amount: '0.01', pay_date: '2025-09-30', econ_code: '30217' }),
    // Coded to the 类 205 itself (no 款/项): its own row at every deeper function level.
    v('PZTEST05', { indicator_no: 'ZB2025411100101001' + '1', amount: '500.00', func_code: '205', payee_name: '类级科目收款' }),
  ]);
  await refreshAggregates(knex);
}
