import { z } from 'zod';
import { bandOf, bandsSchema, coversFiscalYear, defineRule, lowestBand, yuan, type Finding } from './define-rule.js';

const paramsSchema = z.strictObject({
  /** Days since issue without any payment against the indicator (N). */
  bands: bandsSchema(['yellow', 'orange', 'red'] as const),
});
type Params = z.infer<typeof paramsSchema>;

/**
 * R07 结转资金闲置: a 结转 indicator of the fiscal year with no payment against it (no voucher
 * with a positive amount up to the as-of date) N or more days after it was issued.
 */
export default defineRule<Params>({
  id: 'R07',
  nameZh: '结转资金闲置',
  subject: '结转指标',
  defaults: { bands: { yellow: '180' } },
  paramsSchema,
  covers: coversFiscalYear,
  async evaluate(knex, ctx) {
    const { bands } = ctx.params;
    const { rows } = await knex.raw(
      `select i.indicator_no, i.dept_code, i.agency_code, i.func_code, i.project_name, i.amount, i.issued_on,
              (:asOf::date - i.issued_on) as idle_days, a.agency_name
         from budget_indicators i
         left join agencies a on a.region_code = i.region_code and a.agency_code = i.agency_code
        where i.region_code = :region and i.fiscal_year = :year and i.indicator_kind = '结转'
          and i.issued_on <= :asOf and i.amount > 0
          and (:asOf::date - i.issued_on) >= :lowest::numeric
          and not exists (select 1 from ${ctx.facts} f where f.indicator_no = i.indicator_no and f.max_amount > 0)
        order by i.indicator_no`,
      { region: ctx.regionCode, year: ctx.fiscalYear, asOf: ctx.asOf, lowest: lowestBand(bands) },
    );
    return rows.flatMap((r: Record<string, string | number>): Finding[] => {
      const severity = bandOf(String(r.idle_days), bands);
      if (!severity) return [];
      return [{
        subjectType: 'indicator',
        subjectKey: `indicator:${r.indicator_no}`,
        subjectName: `${r.agency_name ?? r.agency_code}结转指标 ${r.indicator_no}${r.project_name ? `（${r.project_name}）` : ''}`,
        period: String(ctx.fiscalYear),
        severity,
        measured: { amount: String(r.amount), issuedOn: String(r.issued_on), idleDays: String(r.idle_days) },
        threshold: { ...bands },
        drillLink: {
          route: '/drill',
          query: { region: ctx.regionCode, dept: String(r.dept_code), unit: String(r.agency_code), indicator: String(r.indicator_no) },
        },
      }];
    });
  },
  explain(f) {
    const m = f.measured;
    return `${f.subjectName}金额 ${yuan(m.amount)} 元，自 ${m.issuedOn} 下达已 ${m.idleDays} 天无支付`;
  },
});
