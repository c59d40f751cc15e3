import Decimal from 'decimal.js';
import { z } from 'zod';
import { exact, nonNegativeDecimal, pct2, pctSql, yuan } from '../rules/define-rule.js';
import { AGENCY_JOIN, DEPT_OF, defineCheck, docBindings, docWhere, lineList, reviewSeveritySchema } from './define-check.js';

const paramsSchema = z.strictObject({ growthAbove: nonNegativeDecimal, severity: reviewSeveritySchema });

/**
 * D09 部门预算增长: a department's expenditure (itself and its units) against last year's
 * budget of the same lines; growth above 20 % with no explanation (note) on any of its lines.
 */
export default defineCheck<z.infer<typeof paramsSchema>>({
  id: 'D09',
  nameZh: '部门预算增长过快且无说明',
  category: '合理性',
  basis: '合理性审查（预算法第四十八条）',
  stages: ['草案'],
  defaults: { growthAbove: '20', severity: 'attention' },
  paramsSchema,
  async evaluate(knex, ctx) {
    const { rows } = await knex.raw(
      `with l as (
         select d.line_no, d.amount, d.prior_budget, d.note, ${DEPT_OF} as dept
           from budget_drafts d ${AGENCY_JOIN}
          where ${docWhere} and d.agency_code is not null and d.direction = '支出'
       ), g as (
         select l.dept, sum(l.amount) as amount, coalesce(sum(l.prior_budget), 0) as prior_budget,
                bool_or(coalesce(l.note, '') <> '') as noted, array_agg(l.line_no) as lines
           from l group by l.dept
       )
       select g.*, a.agency_name as dept_name, ${pctSql('g.amount - g.prior_budget', 'g.prior_budget')} as growth
         from g left join agencies a on a.region_code = :region and a.agency_code = g.dept
        where g.prior_budget > 0 and not g.noted
        order by g.dept`,
      docBindings(ctx),
    );
    return rows
      .filter((r: { growth: string }) => new Decimal(r.growth).gt(ctx.params.growthAbove))
      .map((r: Record<string, string> & { lines: string[] }) => ({
        subjectKey: `department:${r.dept}`, subjectName: r.dept_name ?? r.dept, lineNos: lineList(r.lines), severity: ctx.params.severity, agencyCode: r.dept,
        figures: { amount: r.amount, priorBudget: r.prior_budget, growth: exact(r.growth), growthAbove: ctx.params.growthAbove },
      }));
  },
  explain(f) {
    const m = f.figures;
    return `${f.subjectName}部门预算 ${yuan(m.amount)} 元，比上年预算 ${yuan(m.priorBudget)} 元增长 ${pct2(m.growth)}%，超过 ${m.growthAbove}% 且未附说明`;
  },
});
