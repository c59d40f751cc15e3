import Decimal from 'decimal.js';
import { z } from 'zod';
import { coversAll, decimalString, defineRule, exact, nonNegativeDecimal, pct2, severitySchema, yuan, pctSql, type Finding } from './define-rule.js';

const lines = z
  .strictObject({ warning: nonNegativeDecimal, supervision: nonNegativeDecimal })
  .refine((l) => !decimalString.safeParse(l.supervision).success || !decimalString.safeParse(l.warning).success || new Decimal(l.supervision).gt(l.warning), { path: ['supervision'], message: '重点监管线须高于预警线' });

const paramsSchema = z
  .strictObject({
    /** Per industry: 预警线 and 重点监管线, percent of total assets. */
    industries: z.record(z.string().min(1), lines),
    /** Industry line used when an entity's industry is empty or not listed. */
    defaultIndustry: z.string().min(1),
    categories: z.array(z.string().min(1)).min(1),
    warningSeverity: severitySchema,
    supervisionSeverity: severitySchema,
  })
  .refine((p) => p.defaultIndustry in p.industries, { path: ['defaultIndustry'], message: '须为 industries 中的行业' });
type Params = z.infer<typeof paramsSchema>;

/**
 * R15 资产负债率超警戒线: total liabilities / total assets of each enterprise (latest report up
 * to the as-of year) above its industry's warning line (orange) or close-supervision line (red).
 */
export default defineRule<Params>({
  id: 'R15',
  nameZh: '资产负债率超警戒线',
  subject: '国有企业（企业、金融企业）',
  defaults: {
    industries: {
      工业: { warning: '65', supervision: '70' },
      非工业: { warning: '70', supervision: '75' },
      科研设计: { warning: '60', supervision: '65' },
    },
    defaultIndustry: '非工业',
    categories: ['企业', '金融企业'],
    warningSeverity: 'orange',
    supervisionSeverity: 'red',
  },
  paramsSchema,
  // Only each entity's latest report is evaluated: an older report's open alert clears.
  covers: coversAll,
  async evaluate(knex, ctx) {
    const p = ctx.params;
    const lineRows = Object.entries(p.industries).map(([industry, l]) => ({ industry, warning: l.warning, supervision: l.supervision }));
    const { rows } = await knex.raw(
      `with latest as (
         select distinct on (entity_code) entity_code, entity_name, report_year, asset_category, industry,
                total_assets, total_liabilities
           from state_asset_reports
          where region_code = :region and report_year <= :year and asset_category = any(:categories::text[])
          order by entity_code, report_year desc
       ),
       lines as (
         select x.industry, x.warning::numeric as warning, x.supervision::numeric as supervision
           from jsonb_to_recordset(:lines::jsonb) as x(industry text, warning text, supervision text)
       ),
       measured as (
         select e.*, coalesce(l.industry, d.industry) as line_industry,
                coalesce(l.warning, d.warning) as warning, coalesce(l.supervision, d.supervision) as supervision,
                ${pctSql('e.total_liabilities', 'e.total_assets')} as ratio
           from latest e
           left join lines l on l.industry = e.industry
           cross join (select * from lines where industry = :defaultIndustry) d
          where e.total_assets > 0
       )
       select * from measured where ratio > warning order by entity_code`,
      {
        region: ctx.regionCode, year: ctx.fiscalYear, categories: `{${p.categories.join(',')}}`,
        lines: JSON.stringify(lineRows), defaultIndustry: p.defaultIndustry,
      },
    );
    return rows.map((r: Record<string, string>): Finding => {
      const red = new Decimal(r.ratio).gt(r.supervision);
      return {
        subjectType: 'entity',
        subjectKey: `entity:${r.entity_code}`,
        subjectName: r.entity_name,
        period: String(r.report_year),
        severity: red ? p.supervisionSeverity : p.warningSeverity,
        measured: { totalAssets: r.total_assets, totalLiabilities: r.total_liabilities, ratio: exact(r.ratio) },
        threshold: { industry: r.line_industry, warning: exact(r.warning), supervision: exact(r.supervision) },
        drillLink: { route: '/assets', query: { region: ctx.regionCode, entity: r.entity_code, year: String(r.report_year) } },
      };
    });
  },
  explain(f) {
    const m = f.measured;
    const t = f.threshold;
    const red = new Decimal(m.ratio).gt(t.supervision);
    return `${f.subjectName}资产负债率 ${pct2(m.ratio)}%（负债 ${yuan(m.totalLiabilities)} 元 / 资产 ${yuan(m.totalAssets)} 元），高于${t.industry}行业${red ? `重点监管线 ${t.supervision}%` : `预警线 ${t.warning}%`}`;
  },
});
