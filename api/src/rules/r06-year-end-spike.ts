import { z } from 'zod';
import { bandOf, bandsSchema, defineRule, exact, lowestBand, pct2, yuan, pctSql, type Finding } from './define-rule.js';

const paramsSchema = z.strictObject({ bands: bandsSchema(['yellow', 'orange'] as const) });
type Params = z.infer<typeof paramsSchema>;

/**
 * The year a run measures and how: during Q4 of year Y, the Q4 share of Y's payments so far;
 * from January to September of Y+1, December's share of Y's whole year.
 */
function basisOf(asOf: string, fiscalYear: number) {
  const month = Number(asOf.slice(5, 7));
  if (month >= 10) {
    return { basis: 'Q4' as const, year: fiscalYear, from: `${fiscalYear}-10-01`, to: asOf };
  }
  const y = fiscalYear - 1;
  return { basis: 'December' as const, year: y, from: `${y}-12-01`, to: `${y}-12-31` };
}

/** R06 年底突击花钱: December's (or, during Q4, the fourth quarter's) share of a unit's yearly payments. */
export default defineRule<Params>({
  id: 'R06',
  nameZh: '年底突击花钱',
  subject: '单位',
  defaults: { bands: { yellow: '25', orange: '35' } },
  paramsSchema,
  covers: (period, ctx) => period === String(basisOf(ctx.asOf, ctx.fiscalYear).year),
  async evaluate(knex, ctx) {
    const { bands } = ctx.params;
    const b = basisOf(ctx.asOf, ctx.fiscalYear);
    const { rows } = await knex.raw(
      `with pay as (
         select agency_code, min(dept_code) as dept_code, sum(amount) as year_paid,
                coalesce(sum(amount) filter (where pay_month >= :from::date), 0) as spike_paid
           from ${ctx.facts}
          where fiscal_year = :year and pay_month between make_date(:year, 1, 1) and make_date(:year, 12, 1)
          group by agency_code
       )
       select p.*, ${pctSql('p.spike_paid', 'p.year_paid')} as share, a.agency_name
         from pay p
         left join agencies a on a.region_code = :region and a.agency_code = p.agency_code
        where p.year_paid > 0 and ${pctSql('p.spike_paid', 'p.year_paid')} >= :lowest
        order by p.agency_code`,
      { region: ctx.regionCode, year: b.year, from: b.from, lowest: lowestBand(bands) },
    );
    return rows.flatMap((r: Record<string, string>): Finding[] => {
      const severity = bandOf(r.share, bands);
      if (!severity) return [];
      return [{
        subjectType: 'unit',
        subjectKey: `unit:${r.agency_code}`,
        subjectName: r.agency_name ?? r.agency_code,
        period: String(b.year),
        severity,
        measured: { basis: b.basis, spikePaid: r.spike_paid, yearPaid: r.year_paid, share: exact(r.share) },
        threshold: { ...bands },
        drillLink: {
          route: '/drill',
          query: { region: ctx.regionCode, dept: r.dept_code, unit: r.agency_code, year: String(b.year), dateFrom: b.from, dateTo: b.to },
        },
      }];
    });
  },
  explain(f) {
    const m = f.measured;
    const part = m.basis === 'Q4' ? `${f.period}年第四季度` : `${f.period}年12月`;
    const whole = m.basis === 'Q4' ? '全年截至目前支付' : '全年支付';
    return `单位${f.subjectName}${part}支付 ${yuan(m.spikePaid)} 元，占${whole} ${yuan(m.yearPaid)} 元的 ${pct2(m.share)}%`;
  },
});
