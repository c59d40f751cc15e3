import Decimal from 'decimal.js';
import { z } from 'zod';
import { coversFiscalYear, defineRule, exact, nonNegativeDecimal, pct2, severitySchema, yuan, pctSql, type Finding } from './define-rule.js';

const paramsSchema = z.strictObject({
  /** 三公经费 economic classes: 因公出国(境)费, 公务接待费, 公务用车运行维护费, 公务用车购置. */
  econCodes: z.array(z.string().regex(/^\d{3,5}$/, '须为 3–5 位经济分类代码')).min(1),
  overBudgetSeverity: severitySchema,
  growthSeverity: severitySchema,
  /** Same-period growth above this percentage raises the growth alert (0: any increase). */
  growthAbove: nonNegativeDecimal,
});
type Params = z.infer<typeof paramsSchema>;

/**
 * R05 三公经费超支或增长: paid on the 三公 classes vs their budget (red when over) and vs the
 * same period of last year (yellow when it grew). Same period = last fiscal year's vouchers
 * paid up to the as-of date one year earlier. Growth is only judged when the region has any
 * voucher in last year's same period (otherwise there is nothing to compare with).
 */
export default defineRule<Params>({
  id: 'R05',
  nameZh: '三公经费超支或增长',
  subject: '单位；地区',
  defaults: {
    econCodes: ['30212', '30217', '30231', '30913', '31013'],
    overBudgetSeverity: 'red',
    growthSeverity: 'yellow',
    growthAbove: '0',
  },
  paramsSchema,
  covers: coversFiscalYear,
  async evaluate(knex, ctx) {
    const p = ctx.params;
    const { rows } = await knex.raw(
      `with pay as (
         select agency_code, min(dept_code) as dept_code,
                coalesce(sum(amount) filter (where fiscal_year = :year), 0) as paid,
                coalesce(sum(amount) filter (where fiscal_year = :prevYear and in_last_period), 0) as last_paid
           from ${ctx.facts}
          where econ_code = any(:codes::text[])
          group by agency_code
       ),
       bud as (
         select agency_code, min(dept_code) as dept_code, sum(amount) as budget
           from budget_indicators
          where region_code = :region and fiscal_year = :year and issued_on <= :asOf and econ_code = any(:codes::text[])
          group by agency_code
       ),
       units as (
         select 'unit' as subject_type, coalesce(p.agency_code, b.agency_code) as code, coalesce(p.dept_code, b.dept_code) as dept_code,
                coalesce(p.paid, 0) as paid, coalesce(b.budget, 0) as budget, coalesce(p.last_paid, 0) as last_paid
           from pay p full join bud b using (agency_code)
       ),
       subjects as (
         select * from units
         union all
         select 'region', :region::text, null, coalesce(sum(paid), 0), coalesce(sum(budget), 0), coalesce(sum(last_paid), 0) from units
       ),
       comparable as (
         select exists (select 1 from ${ctx.facts} where fiscal_year = :prevYear and in_last_period) as ok
       )
       select s.*, s.paid - s.budget as over_budget,
              case when s.last_paid > 0 then ${pctSql('s.paid - s.last_paid', 's.last_paid')} end as growth,
              (select ok from comparable) as comparable,
              case when s.subject_type = 'region' then r.name else a.agency_name end as name
         from subjects s
         left join agencies a on a.region_code = :region and a.agency_code = s.code and s.subject_type = 'unit'
         left join regions r on r.code = :region
        where s.paid > s.budget or s.paid > s.last_paid
        order by s.subject_type, s.code`,
      { region: ctx.regionCode, year: ctx.fiscalYear, prevYear: ctx.fiscalYear - 1, asOf: ctx.asOf, codes: `{${p.econCodes.join(',')}}` },
    );
    return rows.flatMap((r: Record<string, string> & { comparable: boolean }): Finding[] => {
      const overBudget = new Decimal(r.over_budget).gt(0);
      const paid = new Decimal(r.paid);
      // Growth from a zero base is an increase of unbounded rate: it counts whenever anything was paid.
      const grew = r.comparable && paid.gt(r.last_paid) &&
        (r.growth == null ? new Decimal(r.last_paid).isZero() : new Decimal(r.growth).gt(p.growthAbove));
      if (!overBudget && !grew) return [];
      const isRegion = r.subject_type === 'region';
      const measured: Record<string, string> = { paid: r.paid, budget: r.budget, lastYearPaid: r.last_paid, overBudget: r.over_budget };
      if (r.growth != null) measured.growth = exact(r.growth);
      return [{
        subjectType: r.subject_type,
        subjectKey: `${r.subject_type}:${r.code}`,
        subjectName: r.name ?? r.code,
        period: String(ctx.fiscalYear),
        severity: overBudget ? p.overBudgetSeverity : p.growthSeverity,
        measured,
        threshold: { growthAbove: p.growthAbove, econCodes: p.econCodes.join(',') },
        drillLink: {
          route: '/drill',
          // The drill-down filters one economic class at a time: the unit's page lists them all.
          query: isRegion ? { region: ctx.regionCode } : { region: ctx.regionCode, dept: r.dept_code, unit: r.code },
        },
      }];
    });
  },
  explain(f) {
    const m = f.measured;
    const who = f.subjectType === 'region' ? f.subjectName : `单位${f.subjectName}`;
    const parts = [`${who}三公经费已支付 ${yuan(m.paid)} 元`];
    if (new Decimal(m.overBudget).gt(0)) parts.push(`超出预算 ${yuan(m.budget)} 元共 ${yuan(m.overBudget)} 元`);
    if (m.growth !== undefined && new Decimal(m.growth).gt(0)) {
      parts.push(`较上年同期 ${yuan(m.lastYearPaid)} 元增长 ${pct2(m.growth)}%`);
    } else if (m.growth === undefined && new Decimal(m.lastYearPaid).isZero() && new Decimal(m.paid).gt(0)) {
      parts.push('上年同期为零');
    }
    return parts.join('，');
  },
});
