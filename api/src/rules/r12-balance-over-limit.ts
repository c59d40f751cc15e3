import Decimal from 'decimal.js';
import { z } from 'zod';
import { coversAll, defineRule, exact, nonNegativeDecimal, pct2, severitySchema, yuan, pctSql, type Finding } from './define-rule.js';

const paramsSchema = z.strictObject({
  overLimitSeverity: severitySchema,
  nearLimitSeverity: severitySchema,
  /** Balance at or above this percentage of the limit (and not over it) is near the limit. */
  nearLimitPercent: nonNegativeDecimal,
});
type Params = z.infer<typeof paramsSchema>;

const TYPES = [
  { key: 'general', zh: '一般债务' },
  { key: 'special', zh: '专项债务' },
] as const;

/**
 * R12 债务余额超限额: per bond type (一般 / 专项) of the region's latest debt_limits row, balance
 * over the limit (预算法第三十五条) is red, balance at or above 95% of it is yellow.
 */
export default defineRule<Params>({
  id: 'R12',
  nameZh: '债务余额超限额',
  subject: '地区×债务类型',
  defaults: { overLimitSeverity: 'red', nearLimitSeverity: 'yellow', nearLimitPercent: '95' },
  paramsSchema,
  covers: coversAll,
  async evaluate(knex, ctx) {
    const p = ctx.params;
    const { rows } = await knex.raw(
      `with l as (
         select * from debt_limits
          where region_code = :region and fiscal_year <= :year
          order by fiscal_year desc limit 1
       ),
       t as (
         select fiscal_year, 'general' as bond_type, general_balance as balance, general_limit as lim from l
         union all
         select fiscal_year, 'special', special_balance, special_limit from l
       )
       select t.*, t.balance - t.lim as excess, ${pctSql('t.balance', 't.lim')} as usage, r.name as region_name
         from t left join regions r on r.code = :region
        where t.lim > 0 and (t.balance > t.lim or ${pctSql('t.balance', 't.lim')} >= :near)
        order by t.bond_type`,
      { region: ctx.regionCode, year: ctx.fiscalYear, near: p.nearLimitPercent },
    );
    return rows.map((r: Record<string, string>): Finding => ({
      subjectType: 'region_bond_type',
      subjectKey: `region_bond_type:${ctx.regionCode}|${r.bond_type}`,
      subjectName: `${r.region_name ?? ctx.regionCode}${TYPES.find((t) => t.key === r.bond_type)!.zh}`,
      period: String(r.fiscal_year),
      severity: new Decimal(r.excess).gt(0) ? p.overLimitSeverity : p.nearLimitSeverity,
      measured: { balance: r.balance, limit: r.lim, excess: r.excess, usage: exact(r.usage) },
      threshold: { nearLimitPercent: p.nearLimitPercent },
      drillLink: { route: '/debt', query: { region: ctx.regionCode, year: String(r.fiscal_year), bondType: r.bond_type } },
    }));
  },
  explain(f) {
    const m = f.measured;
    const over = new Decimal(m.excess).gt(0);
    return over
      ? `${f.subjectName}余额 ${yuan(m.balance)} 元，超出限额 ${yuan(m.limit)} 元共 ${yuan(m.excess)} 元`
      : `${f.subjectName}余额 ${yuan(m.balance)} 元，已达限额 ${yuan(m.limit)} 元的 ${pct2(m.usage)}%`;
  },
});
