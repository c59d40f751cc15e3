import Decimal from 'decimal.js';
import { z } from 'zod';
import { exact, nonNegativeDecimal, pct2, pctSql, yuan } from '../rules/define-rule.js';
import { AGENCY_JOIN, defineCheck, docBindings, docWhere, lineList, reviewSeveritySchema } from './define-check.js';

const paramsSchema = z.strictObject({
  /** Last year's execution rate below this percentage, in percent. */
  executionBelow: nonNegativeDecimal,
  /** Alerts on last year's indicators of the project that count as poor execution. */
  alertRules: z.array(z.string().regex(/^R\d{2}$/, '须为规则编号，例如 R01')),
  severity: reviewSeveritySchema,
});

/**
 * D07 执行差仍足额安排: a project (unit × project code) budgeted at or above last year's budget
 * although last year it spent less than 60 % (prior_actual / prior_budget), or last year's
 * indicators of the project raised R01/R07/R23 (绩效结果应用).
 */
export default defineCheck<z.infer<typeof paramsSchema>>({
  id: 'D07',
  nameZh: '上年执行差的项目仍足额安排',
  category: '绩效',
  basis: '《预算法》第四十八条（审查重点）、预算绩效结果应用',
  stages: ['草案'],
  defaults: { executionBelow: '60', alertRules: ['R01', 'R07', 'R23'], severity: 'issue' },
  paramsSchema,
  async evaluate(knex, ctx) {
    const { rows } = await knex.raw(
      `with p as (
         select d.agency_code, d.project_code, max(d.project_name) as project_name, max(a.agency_name) as agency_name,
                sum(d.amount) as amount, coalesce(sum(d.prior_budget), 0) as prior_budget, coalesce(sum(d.prior_actual), 0) as prior_actual,
                array_agg(d.line_no) as lines
           from budget_drafts d ${AGENCY_JOIN}
          where ${docWhere} and d.agency_code is not null and d.direction = '支出' and d.project_code is not null
          group by d.agency_code, d.project_code
       ),
       -- Last year's alerts of the project's indicators, grouped once: a subquery per project
       -- joining on 'indicator:' || indicator_no ran for minutes per region.
       ar as (
         select i.agency_code, i.project_code, array_agg(distinct al.rule_id order by al.rule_id) as alert_rules
           from alerts al
           join budget_indicators i on i.region_code = al.region_code and i.indicator_no = substr(al.subject_key, 11) and i.fiscal_year = :fy - 1
          where al.region_code = :region and al.rule_id = any(:rules) and al.period = :prevYear and al.subject_key like 'indicator:%'
          group by i.agency_code, i.project_code
       )
       select p.*, case when p.prior_budget > 0 then ${pctSql('p.prior_actual', 'p.prior_budget')} end as rate, ar.alert_rules
         from p left join ar on ar.agency_code = p.agency_code and ar.project_code = p.project_code
        where p.prior_budget > 0 and p.amount >= p.prior_budget
        order by p.agency_code, p.project_code`,
      { ...docBindings(ctx), rules: ctx.params.alertRules, prevYear: String(ctx.fiscalYear - 1) },
    );
    return rows
      .filter((r: { rate: string | null; alert_rules: string[] | null }) => (r.rate !== null && new Decimal(r.rate).lt(ctx.params.executionBelow)) || (r.alert_rules?.length ?? 0) > 0)
      .map((r: Record<string, string> & { lines: string[]; alert_rules: string[] | null }) => ({
        subjectKey: `project:${r.agency_code}|${r.project_code}`, subjectName: `${r.agency_name ?? r.agency_code}${r.project_name ? `「${r.project_name}」` : ''}`,
        lineNos: lineList(r.lines), severity: ctx.params.severity, agencyCode: r.agency_code,
        figures: {
          amount: r.amount, priorBudget: r.prior_budget, priorActual: r.prior_actual, executionRate: exact(r.rate),
          executionBelow: ctx.params.executionBelow, alertRules: (r.alert_rules ?? []).join(','),
        },
      }));
  },
  explain(f) {
    const m = f.figures;
    const alerts = m.alertRules ? `，上年曾触发预警 ${m.alertRules}` : '';
    return `${f.subjectName}上年预算 ${yuan(m.priorBudget)} 元、执行 ${yuan(m.priorActual)} 元（执行率 ${pct2(m.executionRate)}%，低于 ${m.executionBelow}%）${alerts}，今年仍安排 ${yuan(m.amount)} 元，不低于上年（预算法第四十八条、绩效结果应用）`;
  },
});
