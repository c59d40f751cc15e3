import Decimal from 'decimal.js';
import { z } from 'zod';
import { nonNegativeDecimal, yuan } from '../rules/define-rule.js';
import { defineCheck, docBindings, docWhere, reviewSeveritySchema } from './define-check.js';

const paramsSchema = z.strictObject({ tolerance: nonNegativeDecimal, severity: reviewSeveritySchema });

export const BUDGET_TYPE_ZH: Record<string, string> = { '1': '一般公共预算', '2': '政府性基金预算', '3': '国有资本经营预算', '4': '社会保险基金预算' };

/**
 * D04 收支平衡: per budget type, the total budget's revenue lines (taxes, transfers, debt and
 * carried funds as delivered) against its expenditure lines; a difference above the tolerance.
 */
export default defineCheck<z.infer<typeof paramsSchema>>({
  id: 'D04',
  nameZh: '收支平衡',
  category: '合法性',
  basis: '《预算法》第十二条',
  stages: ['草案'],
  defaults: { tolerance: '0.01', severity: 'issue' },
  paramsSchema,
  async evaluate(knex, ctx) {
    const { rows } = await knex.raw(
      `select d.budget_type,
              coalesce(sum(d.amount) filter (where d.direction = '收入'), 0) as revenue,
              coalesce(sum(d.amount) filter (where d.direction = '支出'), 0) as expenditure
         from budget_drafts d
        where ${docWhere} and d.agency_code is null
        group by d.budget_type order by d.budget_type`,
      docBindings(ctx),
    );
    return rows
      .filter((r: Record<string, string>) => new Decimal(r.revenue).minus(r.expenditure).abs().gt(ctx.params.tolerance))
      .map((r: Record<string, string>) => ({
        subjectKey: `budget_type:${r.budget_type}`, subjectName: BUDGET_TYPE_ZH[r.budget_type] ?? r.budget_type, lineNos: [], severity: ctx.params.severity, agencyCode: null,
        figures: { revenue: r.revenue, expenditure: r.expenditure, gap: new Decimal(r.revenue).minus(r.expenditure).toFixed(2), tolerance: ctx.params.tolerance },
      }));
  },
  explain(f) {
    const m = f.figures;
    const short = new Decimal(m.gap).lt(0);
    return `${f.subjectName}收入 ${yuan(m.revenue)} 元，支出 ${yuan(m.expenditure)} 元，${short ? '收入少于支出' : '收入多于支出'} ${yuan(new Decimal(m.gap).abs().toFixed(2))} 元，收支不平衡（预算法第十二条）`;
  },
});
