import { z } from 'zod';
import { bandOf, bandsSchema, coversAll, defineRule, exact, lowestBand, pct2, yuan, pctSql, type Finding } from './define-rule.js';

const paramsSchema = z.strictObject({ bands: bandsSchema(['yellow', 'orange', 'red'] as const) });
type Params = z.infer<typeof paramsSchema>;

/**
 * R11 债务率: (general + special balance) / fiscal capacity, from the region's latest debt_limits
 * row up to the as-of year; bands follow the red/orange/yellow/green grading of local debt risk.
 */
export default defineRule<Params>({
  id: 'R11',
  nameZh: '债务率',
  subject: '地区',
  defaults: { bands: { yellow: '120', orange: '200', red: '300' } },
  paramsSchema,
  // Only the latest year is evaluated: an older year's open alert is superseded, so it clears.
  covers: coversAll,
  async evaluate(knex, ctx) {
    const { bands } = ctx.params;
    const { rows } = await knex.raw(
      `with l as (
         select fiscal_year, general_balance + special_balance as balance, fiscal_capacity
           from debt_limits
          where region_code = :region and fiscal_year <= :year
          order by fiscal_year desc limit 1
       )
       select l.*, ${pctSql('l.balance', 'l.fiscal_capacity')} as ratio, r.name as region_name
         from l left join regions r on r.code = :region
        where l.fiscal_capacity > 0 and ${pctSql('l.balance', 'l.fiscal_capacity')} >= :lowest`,
      { region: ctx.regionCode, year: ctx.fiscalYear, lowest: lowestBand(bands) },
    );
    return rows.flatMap((r: Record<string, string>): Finding[] => {
      const severity = bandOf(r.ratio, bands);
      if (!severity) return [];
      return [{
        subjectType: 'region',
        subjectKey: `region:${ctx.regionCode}`,
        subjectName: r.region_name ?? ctx.regionCode,
        period: String(r.fiscal_year),
        severity,
        measured: { balance: r.balance, fiscalCapacity: r.fiscal_capacity, ratio: exact(r.ratio) },
        threshold: { ...bands },
        drillLink: { route: '/debt', query: { region: ctx.regionCode, year: String(r.fiscal_year) } },
      }];
    });
  },
  explain(f) {
    const m = f.measured;
    return `${f.subjectName}政府债务余额 ${yuan(m.balance)} 元，综合财力 ${yuan(m.fiscalCapacity)} 元，债务率 ${pct2(m.ratio)}%`;
  },
});
