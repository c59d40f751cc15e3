import { z } from 'zod';
import { bandOf, bandsSchema, coversFiscalYear, defineRule, exact, lowestBand, pct2, yuan, pctSql, type Finding } from './define-rule.js';

const paramsSchema = z.strictObject({
  bands: bandsSchema(['yellow', 'orange', 'red'] as const),
  windowMonths: z.number().int().min(1).max(60),
});
type Params = z.infer<typeof paramsSchema>;

/**
 * R14 到期集中: principal due after the as-of date and within the next 12 months, over the
 * region's total debt balance (general + special, latest debt_limits row up to the as-of year).
 */
export default defineRule<Params>({
  id: 'R14',
  nameZh: '到期集中',
  subject: '地区',
  defaults: { bands: { yellow: '20', orange: '30' }, windowMonths: 12 },
  paramsSchema,
  covers: coversFiscalYear,
  async evaluate(knex, ctx) {
    const { bands, windowMonths } = ctx.params;
    const { rows } = await knex.raw(
      `with l as (
         select general_balance + special_balance as balance from debt_limits
          where region_code = :region and fiscal_year <= :year
          order by fiscal_year desc limit 1
       ),
       d as (
         select coalesce(sum(principal), 0) as due_principal from debt_repayments
          where region_code = :region and due_date > :asOf
            and due_date <= (:asOf::date + make_interval(months => :months))::date
       )
       select l.balance, d.due_principal, ${pctSql('d.due_principal', 'l.balance')} as share,
              (:asOf::date + make_interval(months => :months))::date as window_end, r.name as region_name
         from l cross join d left join regions r on r.code = :region
        where l.balance > 0 and ${pctSql('d.due_principal', 'l.balance')} >= :lowest`,
      { region: ctx.regionCode, year: ctx.fiscalYear, asOf: ctx.asOf, months: windowMonths, lowest: lowestBand(bands) },
    );
    return rows.flatMap((r: Record<string, string>): Finding[] => {
      const severity = bandOf(r.share, bands);
      if (!severity) return [];
      return [{
        subjectType: 'region',
        subjectKey: `region:${ctx.regionCode}`,
        subjectName: r.region_name ?? ctx.regionCode,
        period: String(ctx.fiscalYear),
        severity,
        measured: { duePrincipal: r.due_principal, balance: r.balance, share: exact(r.share), windowEnd: r.window_end },
        threshold: { ...bands, windowMonths: String(windowMonths) },
        drillLink: { route: '/debt', query: { region: ctx.regionCode, dueFrom: ctx.asOf, dueTo: r.window_end } },
      }];
    });
  },
  explain(f) {
    const m = f.measured;
    return `${f.subjectName}未来 ${f.threshold.windowMonths} 个月内（至 ${m.windowEnd}）到期本金 ${yuan(m.duePrincipal)} 元，占债务余额 ${yuan(m.balance)} 元的 ${pct2(m.share)}%`;
  },
});
