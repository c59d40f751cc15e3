import { z } from 'zod';
import { coversFiscalYear, defineRule, nonNegativeDecimal, severitySchema, yuan, type Finding } from './define-rule.js';

const paramsSchema = z.strictObject({
  /** Alert when paid − available budget exceeds this many yuan (0: any excess). */
  tolerance: nonNegativeDecimal,
  severity: severitySchema,
});
type Params = z.infer<typeof paramsSchema>;

/**
 * R02 超指标支付: paid − available budget > 0, per indicator (vouchers naming it) and per
 * unit × function class (all of the unit's vouchers and indicators of that class).
 */
export default defineRule<Params>({
  id: 'R02',
  nameZh: '超指标支付',
  subject: '指标；单位×功能分类',
  defaults: { tolerance: '0', severity: 'red' },
  paramsSchema,
  covers: coversFiscalYear,
  async evaluate(knex, ctx) {
    const { rows } = await knex.raw(
      `with ind as (
         select indicator_no, dept_code, agency_code, func_code, project_name, amount
           from budget_indicators
          where region_code = :region and fiscal_year = :year and issued_on <= :asOf
       ),
       pay as (
         select dept_code, agency_code, func_code, indicator_no, sum(amount) as paid
           from ${ctx.facts}
          where fiscal_year = :year
          group by dept_code, agency_code, func_code, indicator_no
       ),
       by_indicator as (
         select 'indicator' as subject_type, i.indicator_no as code, i.dept_code, i.agency_code, i.func_code,
                i.indicator_no, i.amount as available, p.paid, i.project_name as name
           from ind i
           join (select indicator_no, sum(paid) as paid from pay group by indicator_no) p using (indicator_no)
       ),
       by_unit_func as (
         select 'unit_func' as subject_type, p.agency_code || '|' || p.func_code as code, p.dept_code, p.agency_code,
                p.func_code, null::text as indicator_no, coalesce(b.available, 0) as available, p.paid, null::text as name
           from (select min(dept_code) as dept_code, agency_code, func_code, sum(paid) as paid from pay group by agency_code, func_code) p
           left join (select agency_code, func_code, sum(amount) as available from ind group by agency_code, func_code) b
             using (agency_code, func_code)
       ),
       candidates as (select * from by_indicator union all select * from by_unit_func)
       select c.*, c.paid - c.available as excess, a.agency_name, f.name as func_name
         from candidates c
         left join agencies a on a.region_code = :region and a.agency_code = c.agency_code
         left join func_classes f on f.code = c.func_code
        where c.paid - c.available > :tolerance
        order by c.subject_type, c.code`,
      { region: ctx.regionCode, year: ctx.fiscalYear, asOf: ctx.asOf, tolerance: ctx.params.tolerance },
    );
    return rows.map((r: Record<string, string>): Finding => {
      const isIndicator = r.subject_type === 'indicator';
      const query: Record<string, string> = { region: ctx.regionCode, dept: r.dept_code, unit: r.agency_code, func: r.func_code };
      if (isIndicator) query.indicator = r.indicator_no;
      return {
        subjectType: r.subject_type,
        subjectKey: `${r.subject_type}:${r.code}`,
        subjectName: isIndicator
          ? `${r.agency_name ?? r.agency_code}指标 ${r.indicator_no}${r.name ? `（${r.name}）` : ''}`
          : `${r.agency_name ?? r.agency_code}「${r.func_name ?? r.func_code}」`,
        period: String(ctx.fiscalYear),
        severity: ctx.params.severity,
        measured: { paid: r.paid, available: r.available, excess: r.excess },
        threshold: { tolerance: ctx.params.tolerance },
        drillLink: { route: '/drill', query },
      };
    });
  },
  explain(f) {
    const m = f.measured;
    return `${f.subjectName}已支付 ${yuan(m.paid)} 元，超出可用指标 ${yuan(m.available)} 元共 ${yuan(m.excess)} 元`;
  },
});
