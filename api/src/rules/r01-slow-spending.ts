import { z } from 'zod';
import {
  bandOf, bandsSchema, coversFiscalYear, defineRule, exact, lowestBand, monthDay, nonNegativeDecimal, pct2,
  pctSql, type Finding,
} from './define-rule.js';

const paramsSchema = z.strictObject({
  bands: bandsSchema(['yellow', 'orange', 'red'] as const),
  /** No alert before this day of the fiscal year (MM-DD): early-year progress says little. */
  graceUntil: monthDay,
  /** A project indicator is a subject of its own from this amount (yuan). */
  minProjectIndicator: nonNegativeDecimal,
});
type Params = z.infer<typeof paramsSchema>;

const TYPE_ZH: Record<string, string> = { department: '部门', unit: '单位', indicator: '项目指标' };

/**
 * R01 支出进度滞后: time progress − execution rate (paid / available budget), in percentage
 * points, per department, per unit and per project indicator of at least 500,000 yuan.
 */
export default defineRule<Params>({
  id: 'R01',
  nameZh: '支出进度滞后',
  subject: '部门；单位；50万元及以上项目指标',
  defaults: {
    bands: { yellow: '10', orange: '20', red: '30' },
    graceUntil: '04-01',
    minProjectIndicator: '500000',
  },
  paramsSchema,
  covers: coversFiscalYear,
  async evaluate(knex, ctx) {
    const { bands, graceUntil, minProjectIndicator } = ctx.params;
    if (ctx.asOf < `${ctx.fiscalYear}-${graceUntil}`) return [];
    const { rows } = await knex.raw(
      `with ind as (
         select dept_code, agency_code, indicator_no, project_code, project_name, amount
           from budget_indicators
          where region_code = :region and fiscal_year = :year and issued_on <= :asOf
       ),
       pay as (
         select dept_code, agency_code, indicator_no, sum(amount) as paid
           from ${ctx.facts}
          where fiscal_year = :year
          group by dept_code, agency_code, indicator_no
       ),
       budget as (
         select 'department' as subject_type, dept_code as code, dept_code, null::text as unit_code, sum(amount) as available, null::text as name
           from ind group by dept_code
         union all
         select 'unit', agency_code, min(dept_code), agency_code, sum(amount), null from ind group by agency_code
         union all
         select 'indicator', indicator_no, dept_code, agency_code, amount, project_name
           from ind where coalesce(project_code, '') <> '' and amount >= :minProject
       ),
       paid as (
         select 'department' as subject_type, dept_code as code, sum(paid) as paid from pay group by dept_code
         union all
         select 'unit', agency_code, sum(paid) from pay group by agency_code
         union all
         select 'indicator', indicator_no, sum(paid) from pay where indicator_no is not null group by indicator_no
       ),
       measured as (
         select b.*, coalesce(p.paid, 0) as paid,
                ${pctSql('coalesce(p.paid, 0)', 'b.available')} as rate,
                ${pctSql(':elapsed::numeric', ':total::numeric')} as progress
           from budget b left join paid p using (subject_type, code)
          where b.available > 0
       )
       select m.subject_type, m.code, m.dept_code, m.unit_code, m.available, m.paid, m.rate, m.progress,
              m.progress - m.rate as gap, coalesce(m.name, a.agency_name) as name
         from measured m
         left join agencies a on a.region_code = :region and a.agency_code = m.code and m.subject_type <> 'indicator'
        where m.progress - m.rate >= :lowest
        order by m.subject_type, m.code`,
      {
        region: ctx.regionCode, year: ctx.fiscalYear, asOf: ctx.asOf, minProject: minProjectIndicator,
        elapsed: ctx.timeProgress.elapsed, total: ctx.timeProgress.total, lowest: lowestBand(bands),
      },
    );
    return rows.flatMap((r: Record<string, string>): Finding[] => {
      const severity = bandOf(r.gap, bands);
      if (!severity) return [];
      const query: Record<string, string> = { region: ctx.regionCode, dept: r.dept_code };
      if (r.subject_type !== 'department') query.unit = r.unit_code;
      if (r.subject_type === 'indicator') query.indicator = r.code;
      return [{
        subjectType: r.subject_type,
        subjectKey: `${r.subject_type}:${r.code}`,
        subjectName: r.name ?? r.code,
        period: String(ctx.fiscalYear),
        severity,
        measured: {
          available: r.available, paid: r.paid, executionRate: exact(r.rate), timeProgress: exact(r.progress), gap: exact(r.gap),
        },
        threshold: { ...bands, convention: ctx.timeProgress.convention },
        drillLink: { route: '/drill', query },
      }];
    });
  },
  explain(f) {
    const m = f.measured;
    return `${TYPE_ZH[f.subjectType] ?? ''}${f.subjectName}支出进度 ${pct2(m.executionRate)}%，低于时序进度 ${pct2(m.timeProgress)}% 共 ${pct2(m.gap)} 个百分点`;
  },
});
