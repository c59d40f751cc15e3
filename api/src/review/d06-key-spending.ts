import Decimal from 'decimal.js';
import { z } from 'zod';
import { yuan } from '../rules/define-rule.js';
import { defineCheck, docBindings, docWhere, lineList, reviewSeveritySchema } from './define-check.js';

const KEY_BASIS: Record<string, string> = {
  '205': '《教育法》第五十九条', '206': '《科学技术进步法》', '213': '《农业法》', '210': '《基本医疗卫生与健康促进法》', '208': '《社会保险法》',
};

const paramsSchema = z.strictObject({ classes: z.array(z.string().regex(/^\d{3}$/, '须为 3 位功能分类（类）代码')).min(1), severity: reviewSeveritySchema });

/**
 * D06 重点支出: the total budget's general-budget expenditure of each key function class
 * against last year's budget and last year's execution of the same lines; lower than either
 * = attention, with the three figures (the laws require these areas to grow).
 */
export default defineCheck<z.infer<typeof paramsSchema>>({
  id: 'D06',
  nameZh: '重点支出不低于上年',
  category: '合法性',
  basis: '《教育法》第五十九条、《科学技术进步法》、《农业法》等法定增长要求',
  stages: ['草案'],
  defaults: { classes: ['205', '206', '208', '210', '213'], severity: 'attention' },
  paramsSchema,
  async evaluate(knex, ctx) {
    const { rows } = await knex.raw(
      `select left(d.func_code, 3) as cls, max(c.name) as cls_name, sum(d.amount) as amount,
              coalesce(sum(d.prior_budget), 0) as prior_budget, coalesce(sum(d.prior_actual), 0) as prior_actual, array_agg(d.line_no) as lines
         from budget_drafts d left join func_classes c on c.code = left(d.func_code, 3)
        where ${docWhere} and d.agency_code is null and d.budget_type = '1' and d.direction = '支出' and left(d.func_code, 3) = any(:classes)
        group by left(d.func_code, 3)
       having sum(d.amount) < coalesce(sum(d.prior_budget), 0) or sum(d.amount) < coalesce(sum(d.prior_actual), 0)
        order by 1`,
      { ...docBindings(ctx), classes: ctx.params.classes },
    );
    return rows.map((r: Record<string, string> & { lines: string[] }) => ({
      subjectKey: `func:${r.cls}`, subjectName: r.cls_name ?? r.cls, lineNos: lineList(r.lines), severity: ctx.params.severity, agencyCode: null,
      figures: {
        funcClass: r.cls, amount: r.amount, priorBudget: r.prior_budget, priorActual: r.prior_actual,
        vsBudget: new Decimal(r.amount).minus(r.prior_budget).toFixed(2), vsActual: new Decimal(r.amount).minus(r.prior_actual).toFixed(2),
      },
    }));
  },
  explain(f) {
    const m = f.figures;
    return `${f.subjectName}（${m.funcClass}）安排 ${yuan(m.amount)} 元，上年预算 ${yuan(m.priorBudget)} 元、上年执行 ${yuan(m.priorActual)} 元，比上年预算${new Decimal(m.vsBudget).lt(0) ? `减少 ${yuan(new Decimal(m.vsBudget).neg().toFixed(2))} 元` : '未减少'}，比上年执行${new Decimal(m.vsActual).lt(0) ? `减少 ${yuan(new Decimal(m.vsActual).neg().toFixed(2))} 元` : '未减少'}（${KEY_BASIS[m.funcClass] ?? '法定增长要求'}）`;
  },
});
