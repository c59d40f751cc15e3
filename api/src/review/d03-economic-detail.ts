import { z } from 'zod';
import { yuan } from '../rules/define-rule.js';
import { AGENCY_JOIN, defineCheck, docBindings, docWhere, reviewSeveritySchema } from './define-check.js';

const paramsSchema = z.strictObject({ severity: reviewSeveritySchema });

/**
 * D03 基本支出细化到经济分类的款: a department's 基本支出 line without an economic class, or
 * coded at a 类 (3 digits) that has 款 in the code table.
 */
export default defineCheck<z.infer<typeof paramsSchema>>({
  id: 'D03',
  nameZh: '基本支出经济分类细化到款',
  category: '完整性',
  basis: '《预算法》第四十六条',
  stages: ['草案'],
  defaults: { severity: 'issue' },
  paramsSchema,
  async evaluate(knex, ctx) {
    const { rows } = await knex.raw(
      `select d.line_no, d.agency_code, d.econ_code, d.amount, a.agency_name
         from budget_drafts d ${AGENCY_JOIN}
        where ${docWhere} and d.agency_code is not null and d.direction = '支出' and d.spending_kind = '基本支出'
          and (d.econ_code is null
               or (length(d.econ_code) < 5 and exists (select 1 from econ_classes k where k.code like d.econ_code || '%' and length(k.code) > length(d.econ_code))))
        order by d.line_no`,
      docBindings(ctx),
    );
    return rows.map((r: Record<string, string | null>) => ({
      subjectKey: `line:${r.line_no}`, subjectName: r.agency_name ?? r.agency_code, lineNos: [r.line_no!], severity: ctx.params.severity, agencyCode: r.agency_code,
      figures: { econCode: r.econ_code ?? '', amount: r.amount! },
    }));
  },
  explain(f) {
    const m = f.figures;
    const where = m.econCode ? `只列到经济分类的类（${m.econCode}）` : '没有列经济分类';
    return `${f.subjectName}第 ${f.lineNos[0]} 行基本支出 ${yuan(m.amount)} 元${where}，未细化到款（预算法第四十六条）`;
  },
});
