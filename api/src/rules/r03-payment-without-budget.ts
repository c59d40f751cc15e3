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
      // The facts keep the pay date of vouchers whose indicator_no is empty or matches no indicator.
      `with unmatched as (
         select agency_code, min(dept_code) as dept_code, unmatched_date as pay_date, sum(vouchers)::int as vouchers,
                sum(amount) as amount
           from ${ctx.facts}
          where fiscal_year = :year and unmatched_date is not null
          group by agency_code, unmatched_date
       )
       select u.*, a.agency_name
         from unmatched u
         left join agencies a on a.region_code = :region and a.agency_code = u.agency_code
        order by u.agency_code, u.pay_date`,
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
