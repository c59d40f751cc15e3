import { z } from 'zod';
import { coversFiscalYear, defineRule, severitySchema, yuan, type Finding } from './define-rule.js';

const paramsSchema = z.strictObject({ severity: severitySchema });
type Params = z.infer<typeof paramsSchema>;

/**
 * R03 无指标支付: vouchers whose indicator_no is empty or names no indicator of the region
 * (预算法第十三条: no spending outside the budget), grouped per unit per pay date.
 */
export default defineRule<Params>({
  id: 'R03',
  nameZh: '无指标支付',
  subject: '支付凭证（按单位、按日汇总）',
  defaults: { severity: 'orange' },
  paramsSchema,
  covers: coversFiscalYear,
  async evaluate(knex, ctx) {
    const { rows } = await knex.raw(
      `select v.agency_code, min(v.dept_code) as dept_code, v.pay_date, count(*)::int as vouchers,
              sum(v.amount) as amount, a.agency_name
         from payment_vouchers v
         left join agencies a on a.region_code = v.region_code and a.agency_code = v.agency_code
        where v.region_code = :region and v.fiscal_year = :year and v.pay_date <= :asOf
          and (coalesce(v.indicator_no, '') = ''
               or not exists (select 1 from budget_indicators i
                               where i.region_code = v.region_code and i.indicator_no = v.indicator_no))
        group by v.agency_code, v.pay_date, a.agency_name
        order by v.agency_code, v.pay_date`,
      { region: ctx.regionCode, year: ctx.fiscalYear, asOf: ctx.asOf },
    );
    return rows.map((r: Record<string, string | number>): Finding => ({
      subjectType: 'unit',
      subjectKey: `unit:${r.agency_code}`,
      subjectName: String(r.agency_name ?? r.agency_code),
      period: String(r.pay_date),
      severity: ctx.params.severity,
      measured: { vouchers: String(r.vouchers), amount: String(r.amount) },
      threshold: {},
      drillLink: {
        route: '/drill',
        query: {
          region: ctx.regionCode, dept: String(r.dept_code), unit: String(r.agency_code),
          dateFrom: String(r.pay_date), dateTo: String(r.pay_date), noIndicator: '1',
        },
      },
    }));
  },
  explain(f) {
    return `单位${f.subjectName}于 ${f.period} 无指标支付 ${f.measured.vouchers} 笔，共 ${yuan(f.measured.amount)} 元`;
  },
});
