import { z } from 'zod';
import { coversAll, defineRule, severitySchema, type Finding } from './define-rule.js';

const paramsSchema = z.strictObject({
  /** Different audit years with a finding of the same category for the same unit. */
  minYears: z.number().int().min(2).max(10),
  severity: severitySchema,
});
type Params = z.infer<typeof paramsSchema>;

/**
 * R18 屡审屡犯: the same unit has findings of the same category in two or more different
 * audit years (up to the as-of year). The period is the unit × category's first audit year,
 * so a further year updates the alert instead of opening another.
 */
export default defineRule<Params>({
  id: 'R18',
  nameZh: '屡审屡犯',
  subject: '单位×问题类别',
  defaults: { minYears: 2, severity: 'orange' },
  paramsSchema,
  covers: coversAll,
  async evaluate(knex, ctx) {
    const { rows } = await knex.raw(
      `select f.agency_code, f.category, count(distinct f.audit_year)::int as years, count(*)::int as findings,
              min(f.audit_year) as first_year, string_agg(distinct f.audit_year::text, ',' order by f.audit_year::text) as year_list,
              a.agency_name
         from audit_findings f
         left join agencies a on a.region_code = f.region_code and a.agency_code = f.agency_code
        where f.region_code = :region and f.audit_year <= :year
        group by f.agency_code, f.category, a.agency_name
       having count(distinct f.audit_year) >= :minYears
        order by f.agency_code, f.category`,
      { region: ctx.regionCode, year: ctx.fiscalYear, minYears: ctx.params.minYears },
    );
    return rows.map((r: Record<string, string | number>): Finding => ({
      subjectType: 'unit_category',
      subjectKey: `unit_category:${r.agency_code}|${r.category}`,
      subjectName: `${r.agency_name ?? r.agency_code}「${r.category}」`,
      period: String(r.first_year),
      severity: ctx.params.severity,
      measured: { years: String(r.years), findings: String(r.findings), auditYears: String(r.year_list) },
      threshold: { minYears: String(ctx.params.minYears) },
      drillLink: { route: '/audit', query: { region: ctx.regionCode, unit: String(r.agency_code), category: String(r.category) } },
    }));
  },
  explain(f) {
    const m = f.measured;
    return `${f.subjectName}类问题在 ${m.auditYears} 共 ${m.years} 个审计年度被查出 ${m.findings} 个，屡审屡犯`;
  },
});
