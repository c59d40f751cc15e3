import Decimal from 'decimal.js';
import { z } from 'zod';
import { yuan } from '../rules/define-rule.js';
import { AGENCY_JOIN, DEPT_OF, defineCheck, docBindings, docWhere, lineList, reviewSeveritySchema } from './define-check.js';

const paramsSchema = z.strictObject({
  econCodes: z.array(z.string().regex(/^\d{3,5}$/, '须为 3–5 位经济分类代码')).min(1),
  severity: reviewSeveritySchema,
});

/**
 * D05 三公经费: the departments' 三公 lines (因公出国(境), 公务接待, 公务用车运行维护, 公务用车购置)
 * against last year's budget of the same lines, per department and in total; higher = attention
 * (党政机关厉行节约, 过紧日子). Equal is not higher.
 */
export default defineCheck<z.infer<typeof paramsSchema>>({
  id: 'D05',
  nameZh: '三公经费不高于上年预算',
  category: '合理性',
  basis: '《党政机关厉行节约反对浪费条例》、党政机关习惯过紧日子要求',
  stages: ['草案'],
  defaults: { econCodes: ['30212', '30217', '30231', '30913', '31013'], severity: 'attention' },
  paramsSchema,
  async evaluate(knex, ctx) {
    const { rows } = await knex.raw(
      `with l as (
         select d.line_no, d.amount, d.prior_budget, ${DEPT_OF} as dept
           from budget_drafts d ${AGENCY_JOIN}
          where ${docWhere} and d.agency_code is not null and d.direction = '支出' and d.econ_code = any(:codes)
       )
       select l.dept, grouping(l.dept) = 1 as is_total, sum(l.amount) as amount, coalesce(sum(l.prior_budget), 0) as prior_budget,
              array_agg(l.line_no) as lines, max(a.agency_name) as dept_name
         from l left join agencies a on a.region_code = :region and a.agency_code = l.dept
        group by grouping sets ((l.dept), ())
       having sum(l.amount) > coalesce(sum(l.prior_budget), 0)`,
      { ...docBindings(ctx), codes: ctx.params.econCodes },
    );
    return rows.map((r: { dept: string | null; is_total: boolean; amount: string; prior_budget: string; lines: string[]; dept_name: string | null }) => ({
      subjectKey: r.is_total ? 'total' : `department:${r.dept}`,
      subjectName: r.is_total ? '全部部门' : r.dept_name ?? r.dept,
      lineNos: lineList(r.lines), severity: ctx.params.severity, agencyCode: r.is_total ? null : r.dept,
      figures: { amount: r.amount, priorBudget: r.prior_budget, increase: new Decimal(r.amount).minus(r.prior_budget).toFixed(2) },
    }));
  },
  explain(f) {
    const m = f.figures;
    return `${f.subjectName}三公经费预算 ${yuan(m.amount)} 元，比上年预算 ${yuan(m.priorBudget)} 元增加 ${yuan(m.increase)} 元（厉行节约、过紧日子要求三公经费只减不增）`;
  },
});
