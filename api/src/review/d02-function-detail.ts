import { z } from 'zod';
import { yuan } from '../rules/define-rule.js';
import { defineCheck, docBindings, docWhere, reviewSeveritySchema } from './define-check.js';

const paramsSchema = z.strictObject({ severity: reviewSeveritySchema });

/**
 * D02 本级一般公共预算支出细化到项: a total-budget (总预算) expenditure line of the general
 * public budget coded above 项 (3 or 5 digits) while the code table has 项 under it. A 类 with
 * no subdivision (227 预备费) is as detailed as it can be.
 */
export default defineCheck<z.infer<typeof paramsSchema>>({
  id: 'D02',
  nameZh: '支出功能分类细化到项',
  category: '完整性',
  basis: '《预算法》第四十六条',
  stages: ['草案'],
  defaults: { severity: 'issue' },
  paramsSchema,
  async evaluate(knex, ctx) {
    const { rows } = await knex.raw(
      `select d.line_no, d.func_code, d.amount, c.name as func_name
         from budget_drafts d left join func_classes c on c.code = d.func_code
        where ${docWhere} and d.agency_code is null and d.budget_type = '1' and d.direction = '支出'
          and length(d.func_code) < 7
          and exists (select 1 from func_classes k where k.code like d.func_code || '%' and length(k.code) > length(d.func_code))
        order by d.line_no`,
      docBindings(ctx),
    );
    return rows.map((r: Record<string, string>) => ({
      subjectKey: `line:${r.line_no}`, subjectName: r.func_name ?? null, lineNos: [r.line_no], severity: ctx.params.severity, agencyCode: null,
      figures: { funcCode: r.func_code, amount: r.amount, level: r.func_code.length === 3 ? '类' : '款' },
    }));
  },
  explain(f) {
    const m = f.figures;
    return `第 ${f.lineNos[0]} 行 ${m.funcCode}${f.subjectName ? ` ${f.subjectName}` : ''} ${yuan(m.amount)} 元只列到${m.level}，未按功能分类细化到项（预算法第四十六条）`;
  },
});
