import Decimal from 'decimal.js';
import { z } from 'zod';
import { coversFiscalYear, decimalString, defineRule, exact, nonNegativeDecimal, pct2, severitySchema, yuan, pctSql, type Finding } from './define-rule.js';

const paramsSchema = z
  .strictObject({ minPercent: nonNegativeDecimal, maxPercent: nonNegativeDecimal, severity: severitySchema })
  .refine((p) => !decimalString.safeParse(p.maxPercent).success || !decimalString.safeParse(p.minPercent).success || new Decimal(p.maxPercent).gt(p.minPercent), { path: ['maxPercent'], message: '须大于 minPercent' });
type Params = z.infer<typeof paramsSchema>;

/**
 * R10 预备费设置: 预备费 (function class 227) / general public budget expenditure, both from the
 * 年初预算 indicators of fund type 1 — 预算法第四十条 sets 1%–3%. Outside [min, max] alerts.
 */
export default defineRule<Params>({
  id: 'R10',
  nameZh: '预备费设置',
  subject: '地区（年初预算）',
  defaults: { minPercent: '1', maxPercent: '3', severity: 'orange' },
  paramsSchema,
  covers: coversFiscalYear,
  async evaluate(knex, ctx) {
    const { minPercent, maxPercent, severity } = ctx.params;
    const { rows } = await knex.raw(
      `with b as (
         select coalesce(sum(amount) filter (where func_code like '227%'), 0) as reserve, sum(amount) as expenditure
           from budget_indicators
          where region_code = :region and fiscal_year = :year and issued_on <= :asOf
            and fund_type = '1' and indicator_kind = '年初预算'
       )
       select b.*, ${pctSql('b.reserve', 'b.expenditure')} as share, r.name as region_name
         from b left join regions r on r.code = :region
        where b.expenditure > 0
          and (${pctSql('b.reserve', 'b.expenditure')} < :minPercent or ${pctSql('b.reserve', 'b.expenditure')} > :maxPercent)`,
      { region: ctx.regionCode, year: ctx.fiscalYear, asOf: ctx.asOf, minPercent, maxPercent },
    );
    return rows.map((r: Record<string, string>): Finding => ({
      subjectType: 'region',
      subjectKey: `region:${ctx.regionCode}`,
      subjectName: r.region_name ?? ctx.regionCode,
      period: String(ctx.fiscalYear),
      severity,
      measured: { reserve: r.reserve, expenditure: r.expenditure, share: exact(r.share) },
      threshold: { minPercent, maxPercent },
      drillLink: { route: '/drill', query: { region: ctx.regionCode, func: '227', fundType: '1', year: String(ctx.fiscalYear) } },
    }));
  },
  explain(f) {
    const m = f.measured;
    const low = new Decimal(m.share).lt(f.threshold.minPercent);
    return `${f.subjectName}${f.period}年预备费 ${yuan(m.reserve)} 元，占一般公共预算支出 ${yuan(m.expenditure)} 元的 ${pct2(m.share)}%，${low ? '低于' : '高于'}${low ? f.threshold.minPercent : f.threshold.maxPercent}%（预算法第四十条）`;
  },
});
