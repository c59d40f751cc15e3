import Decimal from 'decimal.js';
import { z } from 'zod';
import { yuan } from '../rules/define-rule.js';
import { defineCheck, docBindings, docWhere, lineList, reviewSeveritySchema } from './define-check.js';

const paramsSchema = z.strictObject({ severity: reviewSeveritySchema });

/**
 * D12 审计整改与预算安排挂钩: a unit with an audit finding not yet 已整改 (R17's subjects, by
 * the latest delivered status) whose lines in the draft add up to more than last year's
 * budget of the same lines.
 */
export default defineCheck<z.infer<typeof paramsSchema>>({
  id: 'D12',
  nameZh: '审计问题未整改单位预算增长',
  category: '合理性',
  basis: '审计查出问题整改与预算安排挂钩（国务院关于审计整改工作的要求）',
  stages: ['草案'],
  defaults: { severity: 'attention' },
  paramsSchema,
  async evaluate(knex, ctx) {
    const { rows } = await knex.raw(
      `with f as (
         select agency_code, array_agg(finding_no order by finding_no) as findings
           from audit_findings where region_code = :region and status <> '已整改' group by agency_code
       )
       select d.agency_code, max(a.agency_name) as agency_name, sum(d.amount) as amount, coalesce(sum(d.prior_budget), 0) as prior_budget,
              array_agg(d.line_no) as lines, max(f.findings::text) as findings
         from budget_drafts d join f on f.agency_code = d.agency_code
         left join agencies a on a.region_code = d.region_code and a.agency_code = d.agency_code
        where ${docWhere} and d.direction = '支出'
        group by d.agency_code
       having sum(d.amount) > coalesce(sum(d.prior_budget), 0)
        order by d.agency_code`,
      docBindings(ctx),
    );
    return rows.map((r: Record<string, string> & { lines: string[] }) => ({
      subjectKey: `unit:${r.agency_code}`, subjectName: r.agency_name ?? r.agency_code, lineNos: lineList(r.lines), severity: ctx.params.severity, agencyCode: r.agency_code,
      figures: { amount: r.amount, priorBudget: r.prior_budget, increase: new Decimal(r.amount).minus(r.prior_budget).toFixed(2), findings: r.findings.replace(/[{}]/g, '') },
    }));
  },
  explain(f) {
    const m = f.figures;
    return `${f.subjectName}审计查出问题（${m.findings.split(',').join('、')}）尚未整改完毕，今年安排 ${yuan(m.amount)} 元，比上年预算 ${yuan(m.priorBudget)} 元增加 ${yuan(m.increase)} 元（审计整改与预算安排挂钩）`;
  },
});
