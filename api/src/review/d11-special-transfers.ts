import { z } from 'zod';
import { yuan } from '../rules/define-rule.js';
import { defineCheck, docBindings, docWhere, reviewSeveritySchema } from './define-check.js';

const paramsSchema = z.strictObject({
  /** Function classes of 专项转移支付 to lower levels (23003 专项转移支付). */
  funcPrefix: z.string().regex(/^\d{3,7}$/, '须为 3–7 位功能分类代码'),
  severity: reviewSeveritySchema,
});

/**
 * D11 专项转移支付列示: a total-budget expenditure line of 专项转移支付 to the regions below that
 * does not name its project (project_code) or the region it goes to — a region directly below
 * the document's region, by code or by name, in the line's note or project name.
 */
export default defineCheck<z.infer<typeof paramsSchema>>({
  id: 'D11',
  nameZh: '专项转移支付分地区分项目列示',
  category: '完整性',
  basis: '《预算法》第三十八条',
  stages: ['草案'],
  defaults: { funcPrefix: '23003', severity: 'issue' },
  paramsSchema,
  async evaluate(knex, ctx) {
    const { rows } = await knex.raw(
      `select d.line_no, d.func_code, d.amount, d.project_code, d.project_name, d.note,
              (select r.name from regions r
                where r.parent_code = d.region_code
                  and (position(r.code in coalesce(d.note, '') || coalesce(d.project_name, '')) > 0
                       or position(r.name in coalesce(d.note, '') || coalesce(d.project_name, '')) > 0)
                order by r.code limit 1) as region_named
         from budget_drafts d
        where ${docWhere} and d.agency_code is null and d.direction = '支出' and d.func_code like :prefix || '%'
        order by d.line_no`,
      { ...docBindings(ctx), prefix: ctx.params.funcPrefix },
    );
    return rows
      .filter((r: Record<string, string | null>) => !r.project_code || !r.region_named)
      .map((r: Record<string, string | null>) => ({
        subjectKey: `line:${r.line_no}`, subjectName: r.project_name ?? r.note ?? null, lineNos: [r.line_no!], severity: ctx.params.severity, agencyCode: null,
        figures: { funcCode: r.func_code!, amount: r.amount!, missing: [!r.project_code ? '项目' : '', !r.region_named ? '地区' : ''].filter(Boolean).join('、') },
      }));
  },
  explain(f) {
    const m = f.figures;
    return `第 ${f.lineNos[0]} 行专项转移支付${f.subjectName ? `「${f.subjectName}」` : ''} ${yuan(m.amount)} 元未列明${m.missing}（预算法第三十八条要求分地区、分项目编制）`;
  },
});
