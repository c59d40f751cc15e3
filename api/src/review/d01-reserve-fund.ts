import Decimal from 'decimal.js';
import { z } from 'zod';
import { decimalString, exact, nonNegativeDecimal, pct2, pctSql, yuan } from '../rules/define-rule.js';
import { defineCheck, docBindings, docWhere, lineList, reviewSeveritySchema } from './define-check.js';

const paramsSchema = z
  .strictObject({ minPercent: nonNegativeDecimal, maxPercent: nonNegativeDecimal, severity: reviewSeveritySchema })
  .refine((p) => !decimalString.safeParse(p.maxPercent).success || !decimalString.safeParse(p.minPercent).success || new Decimal(p.maxPercent).gt(p.minPercent), { path: ['maxPercent'], message: '须大于 minPercent' });

/**
 * D01 预备费: the total budget's 预备费 (function class 227) as a share of the general public
 * budget's expenditure (the reserve included, as R10 counts it) lies within 1 %–3 %, bounds
 * included (预算法第四十条).
 */
export default defineCheck<z.infer<typeof paramsSchema>>({
  id: 'D01',
  nameZh: '预备费设置',
  category: '合法性',
  basis: '《预算法》第四十条',
  stages: ['草案'],
  defaults: { minPercent: '1', maxPercent: '3', severity: 'issue' },
  paramsSchema,
  async evaluate(knex, ctx) {
    const { rows } = await knex.raw(
      `with b as (
         select coalesce(sum(d.amount) filter (where d.func_code like '227%'), 0) as reserve, sum(d.amount) as expenditure,
                array_agg(d.line_no) filter (where d.func_code like '227%') as lines
           from budget_drafts d
          where ${docWhere} and d.agency_code is null and d.budget_type = '1' and d.direction = '支出'
       )
       select b.*, ${pctSql('b.reserve', 'b.expenditure')} as share from b where b.expenditure > 0`,
      docBindings(ctx),
    );
    const { minPercent, maxPercent, severity } = ctx.params;
    return rows
      .filter((r: { share: string }) => new Decimal(r.share).lt(minPercent) || new Decimal(r.share).gt(maxPercent))
      .map((r: { reserve: string; expenditure: string; share: string; lines: string[] | null }) => ({
        subjectKey: 'region', subjectName: null, lineNos: lineList(r.lines), severity, agencyCode: null,
        figures: { reserve: r.reserve, expenditure: r.expenditure, share: exact(r.share), minPercent, maxPercent },
      }));
  },
  explain(f) {
    const m = f.figures;
    const low = new Decimal(m.share).lt(m.minPercent);
    return `预备费 ${yuan(m.reserve)} 元，占一般公共预算支出 ${yuan(m.expenditure)} 元的 ${pct2(m.share)}%，${low ? `低于 ${m.minPercent}%` : `高于 ${m.maxPercent}%`}（预算法第四十条规定按 1%–3% 设置）`;
  },
});
