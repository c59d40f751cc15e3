import { z } from 'zod';
import {
  bandOf, bandsSchema, coversFiscalYear, defineRule, exact, lowestBand, monthDay, pct2, pctSql, type Finding,
} from './define-rule.js';

const paramsSchema = z.strictObject({
  bands: bandsSchema(['yellow', 'orange', 'red'] as const),
  graceUntil: monthDay,
  /** Function classes (类, 3 digits) watched as key livelihood spending. */
  funcClasses: z.array(z.string().regex(/^\d{3}$/, '须为 3 位功能分类（类）代码')).min(1),
});
type Params = z.infer<typeof paramsSchema>;

/**
 * R08 重点民生支出滞后: as R01 (time progress − execution rate, percentage points) for each
 * key livelihood function class (教育 205, 社会保障和就业 208, 卫生健康 210, 农林水 213) of the region.
 */
export default defineRule<Params>({
  id: 'R08',
  nameZh: '重点民生支出滞后',
  subject: '地区×重点民生功能分类',
  defaults: {
    bands: { yellow: '5', orange: '10', red: '20' },
    graceUntil: '04-01',
    funcClasses: ['205', '208', '210', '213'],
  },
  paramsSchema,
  covers: coversFiscalYear,
  async evaluate(knex, ctx) {
    const { bands, graceUntil, funcClasses } = ctx.params;
    if (ctx.asOf < `${ctx.fiscalYear}-${graceUntil}`) return [];
    const { rows } = await knex.raw(
      `with budget as (
         select left(func_code, 3) as class, sum(amount) as available
           from budget_indicators
          where region_code = :region and fiscal_year = :year and issued_on <= :asOf
            and left(func_code, 3) = any(:classes::text[])
          group by 1
       ),
       paid as (
         select left(func_code, 3) as class, sum(amount) as paid
           from ${ctx.facts}
          where fiscal_year = :year and left(func_code, 3) = any(:classes::text[])
          group by 1
       ),
       measured as (
         select b.class, b.available, coalesce(p.paid, 0) as paid,
                ${pctSql('coalesce(p.paid, 0)', 'b.available')} as rate,
                ${pctSql(':elapsed::numeric', ':total::numeric')} as progress
           from budget b left join paid p using (class)
          where b.available > 0
       )
       select m.*, m.progress - m.rate as gap, f.name as class_name, r.name as region_name
         from measured m
         left join func_classes f on f.code = m.class
         left join regions r on r.code = :region
        where m.progress - m.rate >= :lowest
        order by m.class`,
      {
        region: ctx.regionCode, year: ctx.fiscalYear, asOf: ctx.asOf, classes: `{${funcClasses.join(',')}}`,
        elapsed: ctx.timeProgress.elapsed, total: ctx.timeProgress.total, lowest: lowestBand(bands),
      },
    );
    return rows.flatMap((r: Record<string, string>): Finding[] => {
      const severity = bandOf(r.gap, bands);
      if (!severity) return [];
      return [{
        subjectType: 'region_func',
        subjectKey: `region_func:${ctx.regionCode}|${r.class}`,
        subjectName: `${r.region_name ?? ctx.regionCode}${r.class_name ?? r.class}`,
        period: String(ctx.fiscalYear),
        severity,
        measured: {
          available: r.available, paid: r.paid, executionRate: exact(r.rate), timeProgress: exact(r.progress), gap: exact(r.gap),
        },
        threshold: { ...bands, convention: ctx.timeProgress.convention },
        drillLink: { route: '/drill', query: { region: ctx.regionCode, func: r.class } },
      }];
    });
  },
  explain(f) {
    const m = f.measured;
    return `${f.subjectName}支出进度 ${pct2(m.executionRate)}%，低于时序进度 ${pct2(m.timeProgress)}% 共 ${pct2(m.gap)} 个百分点`;
  },
});
