import { z } from 'zod';
import {
  bandOf, bandsSchema, coversFiscalYear, defineRule, exact, lowestBand, pct2, pctSql, yuan, type Finding,
} from './define-rule.js';

const paramsSchema = z.strictObject({
  /** Time progress since arrival − the indicator's execution rate, in percentage points (as R01). */
  bands: bandsSchema(['yellow', 'orange', 'red'] as const),
  /** Judged from this many days after receipt. */
  afterDays: z.number().int().min(0).max(366),
});
type Params = z.infer<typeof paramsSchema>;

/**
 * R23 转移支付资金闲置: a transfer received from above (fiscal year of the as-of date) that
 * became a budget indicator, judged from 90 days after receipt: the indicator's execution rate
 * (its vouchers / its amount) against the time progress since arrival, i.e. days from
 * received_on to the as-of date over days from received_on to 31 December (both inclusive).
 * Days always: the monthly convention has no meaning for a period starting mid-month.
 */
export default defineRule<Params>({
  id: 'R23',
  nameZh: '转移支付资金闲置',
  subject: '上级转移支付（已形成指标）',
  defaults: { bands: { yellow: '10', orange: '20', red: '30' }, afterDays: 90 },
  paramsSchema,
  covers: coversFiscalYear,
  async evaluate(knex, ctx) {
    const p = ctx.params;
    const { rows } = await knex.raw(
      `with t as (
         select t.transfer_no, t.title, t.kind, t.amount as transfer_amount, t.received_on, t.indicator_no,
                i.amount as available, i.dept_code, i.agency_code, a.agency_name,
                (:asOf::date - t.received_on + 1) as elapsed,
                (make_date(:year, 12, 31) - t.received_on + 1) as span
           from transfer_payments t
           join budget_indicators i on i.region_code = t.region_code and i.indicator_no = t.indicator_no and i.issued_on <= :asOf
           left join agencies a on a.region_code = i.region_code and a.agency_code = i.agency_code
          where t.region_code = :region and t.fiscal_year = :year and t.direction = '收到上级'
            and t.received_on <= :asOf and (:asOf::date - t.received_on) >= :afterDays and i.amount > 0
       ),
       pay as (select indicator_no, sum(amount) as paid from ${ctx.facts} where fiscal_year = :year and indicator_no is not null group by indicator_no),
       m as (
         select t.*, coalesce(p.paid, 0) as paid, ${pctSql('coalesce(p.paid, 0)', 't.available')} as rate,
                ${pctSql('t.elapsed', 't.span')} as progress
           from t left join pay p using (indicator_no)
       )
       select m.*, m.progress - m.rate as gap from m where m.progress - m.rate >= :lowest order by m.transfer_no`,
      { region: ctx.regionCode, year: ctx.fiscalYear, asOf: ctx.asOf, afterDays: p.afterDays, lowest: lowestBand(p.bands) },
    );
    return rows.flatMap((r: Record<string, string | number>): Finding[] => {
      const severity = bandOf(String(r.gap), p.bands);
      if (!severity) return [];
      return [{
        subjectType: 'transfer',
        subjectKey: `transfer:${r.transfer_no}`,
        subjectName: `${r.kind}「${r.title}」（${r.transfer_no}，${r.agency_name ?? r.agency_code}）`,
        period: String(ctx.fiscalYear),
        severity,
        measured: {
          available: String(r.available), paid: String(r.paid), receivedOn: String(r.received_on), daysSince: String(Number(r.elapsed) - 1),
          executionRate: exact(String(r.rate)), sinceProgress: exact(String(r.progress)), gap: exact(String(r.gap)),
        },
        threshold: { ...p.bands, afterDays: String(p.afterDays) },
        drillLink: {
          route: '/drill',
          query: { region: ctx.regionCode, dept: String(r.dept_code), unit: String(r.agency_code), indicator: String(r.indicator_no) },
        },
      }];
    });
  },
  explain(f) {
    const m = f.measured;
    return `${f.subjectName}于 ${m.receivedOn} 到账 ${m.daysSince} 天，指标 ${yuan(m.available)} 元已支付 ${pct2(m.executionRate)}%，低于到账以来时序进度 ${pct2(m.sinceProgress)}% 共 ${pct2(m.gap)} 个百分点`;
  },
});
