import Decimal from 'decimal.js';
import { z } from 'zod';
import { bandsSchema, coversFiscalYear, defineRule, lowestBand, yuan, type Bands, type Finding, type Severity } from './define-rule.js';

const paramsSchema = z.strictObject({
  /** Days from arrival to allocation; a severity applies when the days are strictly above its bound. */
  bands: bandsSchema(['yellow', 'orange', 'red'] as const),
});
type Params = z.infer<typeof paramsSchema>;

/** The highest band whose bound `value` exceeds (RULES.md words R22 as "> 30 days"). */
export function bandAbove(value: string, bands: Bands): Severity | undefined {
  const v = new Decimal(value);
  for (const s of ['red', 'orange', 'yellow'] as const) {
    const bound = bands[s];
    if (bound !== undefined && v.gt(bound)) return s;
  }
  return undefined;
}

/**
 * R22 直达资金分配滞后: direct funds (直达资金) received from above in the fiscal year, days from
 * received_on to allocated_on, or to the as-of date while not yet allocated (an allocation
 * dated after the as-of date is not yet known then). Strictly above 30 / 60 / 90 days.
 */
export default defineRule<Params>({
  id: 'R22',
  nameZh: '直达资金分配滞后',
  subject: '直达资金（收到上级）',
  defaults: { bands: { yellow: '30', orange: '60', red: '90' } },
  paramsSchema,
  covers: coversFiscalYear,
  async evaluate(knex, ctx) {
    const { bands } = ctx.params;
    const { rows } = await knex.raw(
      `select t.transfer_no, t.title, t.amount, t.received_on, t.counterpart_region, r.name as counterpart_name,
              case when t.allocated_on <= :asOf then t.allocated_on end as allocated_on,
              (case when t.allocated_on <= :asOf then t.allocated_on else :asOf::date end) - t.received_on as days
         from transfer_payments t
         left join regions r on r.code = t.counterpart_region
        where t.region_code = :region and t.fiscal_year = :year and t.direction = '收到上级' and t.kind = '直达资金'
          and t.received_on <= :asOf
          and (case when t.allocated_on <= :asOf then t.allocated_on else :asOf::date end) - t.received_on > :lowest::numeric
        order by t.transfer_no`,
      { region: ctx.regionCode, year: ctx.fiscalYear, asOf: ctx.asOf, lowest: lowestBand(bands) },
    );
    return rows.flatMap((r: Record<string, string | number | null>): Finding[] => {
      const severity = bandAbove(String(r.days), bands);
      if (!severity) return [];
      return [{
        subjectType: 'transfer',
        subjectKey: `transfer:${r.transfer_no}`,
        subjectName: `直达资金「${r.title}」（${r.transfer_no}）`,
        period: String(ctx.fiscalYear),
        severity,
        measured: {
          amount: String(r.amount), receivedOn: String(r.received_on), allocatedOn: r.allocated_on === null ? '' : String(r.allocated_on),
          delayDays: String(r.days), from: String(r.counterpart_name ?? r.counterpart_region),
        },
        threshold: { ...bands },
        drillLink: { route: '/transfers', query: { region: ctx.regionCode, transfer: String(r.transfer_no), year: String(ctx.fiscalYear) } },
      }];
    });
  },
  explain(f) {
    const m = f.measured;
    const state = m.allocatedOn ? `至 ${m.allocatedOn} 才分配下达，用时 ${m.delayDays} 天` : `至今 ${m.delayDays} 天仍未分配下达`;
    return `${f.subjectName}${yuan(m.amount)} 元于 ${m.receivedOn} 到账，${state}`;
  },
});
