import { z } from 'zod';
import { nonNegativeDecimal, yuan } from '../rules/define-rule.js';
import { AGENCY_JOIN, defineCheck, docBindings, docWhere, lineList, reviewSeveritySchema } from './define-check.js';

const paramsSchema = z.strictObject({ minAmount: nonNegativeDecimal, noTargetSeverity: reviewSeveritySchema, qualitativeSeverity: reviewSeveritySchema });

/**
 * D08 绩效目标: a project of at least 500,000 yuan with no performance target, or only
 * qualitative (定性) ones. A target belongs to the project through its project code, or through
 * the fiscal year's indicators of the project. Judged only when the region delivered targets
 * for the fiscal year at all (performance_targets): without them the check cannot tell
 * "no target" from "not delivered" and reports nothing.
 */
export default defineCheck<z.infer<typeof paramsSchema>>({
  id: 'D08',
  nameZh: '项目绩效目标',
  category: '绩效',
  basis: '《预算法》第三十二条、全面实施预算绩效管理',
  stages: ['草案'],
  defaults: { minAmount: '500000', noTargetSeverity: 'issue', qualitativeSeverity: 'attention' },
  paramsSchema,
  async evaluate(knex, ctx) {
    const { rows: [{ present }] } = await knex.raw(`select to_regclass('performance_targets') is not null as present`);
    if (!present) return [];
    const { rows: [{ delivered }] } = await knex.raw('select exists (select 1 from performance_targets where region_code = ? and fiscal_year = ?) as delivered', [ctx.regionCode, ctx.fiscalYear]);
    if (!delivered) return [];
    const { rows } = await knex.raw(
      `with p as (
         select d.agency_code, d.project_code, max(d.project_name) as project_name, max(a.agency_name) as agency_name, sum(d.amount) as amount, array_agg(d.line_no) as lines
           from budget_drafts d ${AGENCY_JOIN}
          where ${docWhere} and d.agency_code is not null and d.direction = '支出' and d.project_code is not null
          group by d.agency_code, d.project_code
         having sum(d.amount) >= :minAmount
       ),
       -- The indicators a project's targets may name: the project code itself and the fiscal
       -- year's indicators of the project (a set, so a target is counted once). An OR join with a
       -- subquery per row made this a nested loop that ran for minutes on the demo city.
       keys as (
         select agency_code, project_code, project_code as indicator_no from p
         union
         select p.agency_code, p.project_code, i.indicator_no
           from p join budget_indicators i on i.region_code = :region and i.fiscal_year = :fy
                                         and i.project_code = p.project_code and i.agency_code = p.agency_code
       ), t as (
         select k.agency_code, k.project_code,
                count(pt.*) as targets, count(pt.*) filter (where pt.direction <> '定性') as quantitative
           from keys k left join performance_targets pt on pt.region_code = :region and pt.fiscal_year = :fy and pt.indicator_no = k.indicator_no
          group by k.agency_code, k.project_code
       )
       select p.*, t.targets, t.quantitative from p join t using (agency_code, project_code)
        where t.quantitative = 0 order by p.agency_code, p.project_code`,
      { ...docBindings(ctx), minAmount: ctx.params.minAmount },
    );
    return rows.map((r: Record<string, string> & { lines: string[] }) => ({
      subjectKey: `project:${r.agency_code}|${r.project_code}`, subjectName: `${r.agency_name ?? r.agency_code}${r.project_name ? `「${r.project_name}」` : ''}`,
      lineNos: lineList(r.lines), severity: Number(r.targets) === 0 ? ctx.params.noTargetSeverity : ctx.params.qualitativeSeverity, agencyCode: r.agency_code,
      figures: { amount: r.amount, targets: String(r.targets), minAmount: ctx.params.minAmount },
    }));
  },
  explain(f) {
    const m = f.figures;
    const what = m.targets === '0' ? '没有设置绩效目标' : `只有 ${m.targets} 个定性绩效目标，没有可衡量的定量指标`;
    return `${f.subjectName}安排 ${yuan(m.amount)} 元（不少于 ${yuan(m.minAmount)} 元），${what}（预算法第三十二条、全面实施预算绩效管理）`;
  },
});
