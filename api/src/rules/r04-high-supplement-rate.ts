import { z } from 'zod';
import { bandOf, bandsSchema, coversFiscalYear, defineRule, exact, lowestBand, pct2, yuan, pctSql, type Finding } from './define-rule.js';

const paramsSchema = z.strictObject({ bands: bandsSchema(['yellow', 'orange', 'red'] as const) });
type Params = z.infer<typeof paramsSchema>;

/**
 * R04 追加率过高: (追加 + 上级转移支付 − 调减) / 年初预算 per department and for the region.
 * 调减 arrives negative, so the numerator is the plain sum of the three kinds as delivered.
 */
export default defineRule<Params>({
  id: 'R04',
  nameZh: '追加率过高',
  subject: '部门；地区',
  defaults: { bands: { yellow: '20', orange: '35', red: '50' } },
  paramsSchema,
  covers: coversFiscalYear,
  async evaluate(knex, ctx) {
    const { bands } = ctx.params;
    const { rows } = await knex.raw(
      `with ind as (
         select dept_code,
                sum(amount) filter (where indicator_kind = '年初预算') as initial,
                sum(amount) filter (where indicator_kind in ('追加', '上级转移支付', '调减')) as supplement
           from budget_indicators
          where region_code = :region and fiscal_year = :year and issued_on <= :asOf
          group by dept_code
       ),
       subjects as (
         select 'department' as subject_type, dept_code as code, coalesce(initial, 0) as initial, coalesce(supplement, 0) as supplement from ind
         union all
         select 'region', :region::text, coalesce(sum(initial), 0), coalesce(sum(supplement), 0) from ind
       )
       select s.*, ${pctSql('s.supplement', 's.initial')} as rate,
              case when s.subject_type = 'region' then r.name else a.agency_name end as name
         from subjects s
         left join agencies a on a.region_code = :region and a.agency_code = s.code and s.subject_type = 'department'
         left join regions r on r.code = :region
        where s.initial > 0 and ${pctSql('s.supplement', 's.initial')} >= :lowest
        order by s.subject_type, s.code`,
      { region: ctx.regionCode, year: ctx.fiscalYear, asOf: ctx.asOf, lowest: lowestBand(bands) },
    );
    return rows.flatMap((r: Record<string, string>): Finding[] => {
      const severity = bandOf(r.rate, bands);
      if (!severity) return [];
      const isRegion = r.subject_type === 'region';
      return [{
        subjectType: r.subject_type,
        subjectKey: `${r.subject_type}:${r.code}`,
        subjectName: r.name ?? r.code,
        period: String(ctx.fiscalYear),
        severity,
        measured: { initial: r.initial, supplement: r.supplement, rate: exact(r.rate) },
        threshold: { ...bands },
        drillLink: { route: '/drill', query: isRegion ? { region: ctx.regionCode } : { region: ctx.regionCode, dept: r.code } },
      }];
    });
  },
  explain(f) {
    const m = f.measured;
    const who = f.subjectType === 'region' ? f.subjectName : `部门${f.subjectName}`;
    return `${who}追加（含上级转移支付、扣除调减）${yuan(m.supplement)} 元，为年初预算 ${yuan(m.initial)} 元的 ${pct2(m.rate)}%`;
  },
});
