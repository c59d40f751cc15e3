import { z } from 'zod';
import { bandOf, bandsSchema, coversFiscalYear, defineRule, exact, lowestBand, pct2, pctSql, type Finding } from './define-rule.js';

const paramsSchema = z.strictObject({ bands: bandsSchema(['yellow', 'orange', 'red'] as const) });
type Params = z.infer<typeof paramsSchema>;

/**
 * R09 收入进度滞后: time progress − revenue execution rate per budget type of the region.
 * Revenue execution rate = revenue of the months up to the as-of month / annual budget.
 * Each line's annual budget is the budget_amount of its latest month row (every month row
 * repeats it); only the finest lines delivered count (a line whose code prefixes another
 * delivered line is their total), so nothing is counted twice.
 */
export default defineRule<Params>({
  id: 'R09',
  nameZh: '收入进度滞后',
  subject: '地区×预算类型',
  defaults: { bands: { yellow: '5', orange: '10' } },
  paramsSchema,
  covers: coversFiscalYear,
  async evaluate(knex, ctx) {
    const { bands } = ctx.params;
    const { rows } = await knex.raw(
      `with rev as (
         select budget_type, revenue_code, month, amount, budget_amount
           from revenues
          where region_code = :region and fiscal_year = :year and month <= :month
       ),
       leaf as (
         select * from rev r
          where not exists (select 1 from rev c where c.budget_type = r.budget_type
                               and length(c.revenue_code) > length(r.revenue_code)
                               and left(c.revenue_code, length(r.revenue_code)) = r.revenue_code)
       ),
       line_budget as (
         select distinct on (budget_type, revenue_code) budget_type, revenue_code, budget_amount
           from leaf where budget_amount is not null
          order by budget_type, revenue_code, month desc
       ),
       totals as (
         select l.budget_type, sum(l.amount) as revenue,
                (select sum(b.budget_amount) from line_budget b where b.budget_type = l.budget_type) as budget
           from leaf l group by l.budget_type
       ),
       measured as (
         select t.*, ${pctSql('t.revenue', 't.budget')} as rate, ${pctSql(':elapsed::numeric', ':total::numeric')} as progress
           from totals t where t.budget > 0
       )
       select m.*, m.progress - m.rate as gap, ft.name as type_name, r.name as region_name
         from measured m
         left join fund_types ft on ft.code = m.budget_type
         left join regions r on r.code = :region
        where m.progress - m.rate >= :lowest
        order by m.budget_type`,
      {
        region: ctx.regionCode, year: ctx.fiscalYear, month: Number(ctx.asOf.slice(5, 7)),
        elapsed: ctx.timeProgress.elapsed, total: ctx.timeProgress.total, lowest: lowestBand(bands),
      },
    );
    return rows.flatMap((r: Record<string, string>): Finding[] => {
      const severity = bandOf(r.gap, bands);
      if (!severity) return [];
      return [{
        subjectType: 'region_budget_type',
        subjectKey: `region_budget_type:${ctx.regionCode}|${r.budget_type}`,
        subjectName: `${r.region_name ?? ctx.regionCode}${r.type_name ?? r.budget_type}`,
        period: String(ctx.fiscalYear),
        severity,
        measured: { revenue: r.revenue, budget: r.budget, executionRate: exact(r.rate), timeProgress: exact(r.progress), gap: exact(r.gap) },
        threshold: { ...bands, convention: ctx.timeProgress.convention },
        // Revenue against time progress is shown on the overview (four budgets); there is no revenue drill-down.
        drillLink: { route: '/overview', query: { region: ctx.regionCode, fundType: r.budget_type, year: String(ctx.fiscalYear) } },
      }];
    });
  },
  explain(f) {
    const m = f.measured;
    return `${f.subjectName}收入进度 ${pct2(m.executionRate)}%，低于时序进度 ${pct2(m.timeProgress)}% 共 ${pct2(m.gap)} 个百分点`;
  },
});
