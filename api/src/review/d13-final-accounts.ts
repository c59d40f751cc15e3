import Decimal from 'decimal.js';
import { z } from 'zod';
import { exact, nonNegativeDecimal, pct2, yuan } from '../rules/define-rule.js';
import { defineCheck, docBindings, lineList, reviewSeveritySchema } from './define-check.js';
import { LINE_IDENTITY } from './line-identity.js';

const paramsSchema = z.strictObject({ deviationPercent: nonNegativeDecimal, deviationAmount: nonNegativeDecimal, severity: reviewSeveritySchema });

/**
 * D13 决算偏离预算: the final accounts (决算) against the approved budget (批准) of the same
 * fiscal year, line by line (a line = budget type × direction × agency × function × economic
 * class × revenue class × project): execution more than 10 % or more than 5,000,000 yuan away
 * from the budget, either way, with the bureau's explanation when it gave one. A line the
 * budget did not have counts as fully deviating.
 */
export default defineCheck<z.infer<typeof paramsSchema>>({
  id: 'D13',
  nameZh: '决算偏离批准预算',
  category: '合理性',
  basis: '《预算法》第七十九条（决算审查重点）',
  stages: ['决算'],
  defaults: { deviationPercent: '10', deviationAmount: '5000000', severity: 'attention' },
  paramsSchema,
  async evaluate(knex, ctx) {
    const { rows } = await knex.raw(
      `with fin as (
         select ${LINE_IDENTITY} as ident, min(d.line_no) as first_line, array_agg(d.line_no) as lines, sum(d.amount) as actual,
                string_agg(d.note, '；') filter (where coalesce(d.note, '') <> '') as note, max(d.agency_code) as agency_code,
                max(coalesce(d.project_name, '')) as project_name, max(coalesce(d.func_code, d.revenue_code)) as code
           from budget_drafts d where d.region_code = :region and d.fiscal_year = :fy and d.stage = '决算' group by 1
       ), bud as (
         select ${LINE_IDENTITY} as ident, sum(d.amount) as budget
           from budget_drafts d where d.region_code = :region and d.fiscal_year = :fy and d.stage = '批准' group by 1
       )
       select fin.*, bud.budget, a.agency_name
         from fin left join bud using (ident)
         left join agencies a on a.region_code = :region and a.agency_code = fin.agency_code
        where exists (select 1 from budget_drafts b where b.region_code = :region and b.fiscal_year = :fy and b.stage = '批准')
        order by fin.first_line`,
      docBindings(ctx),
    );
    const { deviationPercent, deviationAmount, severity } = ctx.params;
    return rows.flatMap((r: Record<string, string | null> & { lines: string[] }) => {
      const budget = new Decimal(r.budget ?? 0);
      const diff = new Decimal(r.actual!).minus(budget);
      const pct = budget.isZero() ? null : diff.times(100).div(budget);
      const over = pct === null ? !diff.isZero() : pct.abs().gt(deviationPercent) || diff.abs().gt(deviationAmount);
      if (!over) return [];
      return [{
        subjectKey: `line:${r.first_line}`, subjectName: `${r.agency_name ?? ''}${r.project_name ? `「${r.project_name}」` : ''}${r.code ? ` ${r.code}` : ''}`.trim() || null,
        lineNos: lineList(r.lines), severity, agencyCode: r.agency_code ?? null,
        figures: {
          budget: budget.toFixed(2), actual: new Decimal(r.actual!).toFixed(2), deviation: diff.toFixed(2), deviationPct: pct === null ? '' : exact(pct.toFixed(20)),
          deviationPercent, deviationAmount, note: r.note ?? '',
        },
      }];
    });
  },
  explain(f) {
    const m = f.figures;
    const pct = m.deviationPct ? `（${new Decimal(m.deviationPct).gt(0) ? '+' : ''}${pct2(m.deviationPct)}%）` : '（预算未列）';
    const why = m.note ? `；财政部门说明：${m.note}` : '；未附说明';
    return `${f.subjectName ?? `第 ${f.lineNos[0]} 行`}批准预算 ${yuan(m.budget)} 元，决算 ${yuan(m.actual)} 元，偏离 ${yuan(m.deviation)} 元${pct}，超过 ±${m.deviationPercent}% 或 ${yuan(m.deviationAmount)} 元${why}（预算法第七十九条）`;
  },
});
