import Decimal from 'decimal.js';
import { z } from 'zod';
import { yuan } from '../rules/define-rule.js';
import { defineCheck, docBindings, docWhere, lineList, reviewSeveritySchema } from './define-check.js';

const paramsSchema = z.strictObject({
  /** Revenue classes of new bond money: 105 债务收入 (its general part in budget type 1, special in 2). */
  debtRevenuePrefix: z.string().regex(/^\d{3,7}$/, '须为 3–7 位收入分类代码'),
  severity: reviewSeveritySchema,
});

const BOND_ZH = { general: '一般债券', special: '专项债券' } as const;

/**
 * D10 新增债务: the draft's new bond revenue — general bonds in the general public budget,
 * special bonds in the government-fund budget — against what the limit leaves (limit − balance)
 * in the latest debt_limits row up to the fiscal year. Nothing to judge without new debt or
 * without a limits row.
 */
export default defineCheck<z.infer<typeof paramsSchema>>({
  id: 'D10',
  nameZh: '新增债务不超过限额空间',
  category: '合法性',
  basis: '《预算法》第三十五条',
  stages: ['草案'],
  defaults: { debtRevenuePrefix: '105', severity: 'issue' },
  paramsSchema,
  async evaluate(knex, ctx) {
    const { rows } = await knex.raw(
      `with lim as (
         select * from debt_limits where region_code = :region and fiscal_year <= :fy order by fiscal_year desc limit 1
       ), debt as (
         select case d.budget_type when '1' then 'general' else 'special' end as bond_type, sum(d.amount) as new_debt, array_agg(d.line_no) as lines
           from budget_drafts d
          where ${docWhere} and d.agency_code is null and d.direction = '收入' and d.budget_type in ('1', '2') and d.revenue_code like :prefix || '%'
          group by 1
       )
       select debt.*, lim.fiscal_year as limits_year,
              case debt.bond_type when 'general' then lim.general_limit else lim.special_limit end as limit_amount,
              case debt.bond_type when 'general' then lim.general_balance else lim.special_balance end as balance
         from debt cross join lim
        where debt.new_debt > 0
        order by debt.bond_type`,
      { ...docBindings(ctx), prefix: ctx.params.debtRevenuePrefix },
    );
    return rows
      .map((r: Record<string, string> & { lines: string[] }) => ({ ...r, headroom: new Decimal(r.limit_amount).minus(r.balance).toFixed(2) }))
      .filter((r: { new_debt: string; headroom: string }) => new Decimal(r.new_debt).gt(r.headroom))
      .map((r: Record<string, string> & { lines: string[] }) => ({
        subjectKey: `bond_type:${r.bond_type}`, subjectName: BOND_ZH[r.bond_type as keyof typeof BOND_ZH], lineNos: lineList(r.lines), severity: ctx.params.severity, agencyCode: null,
        figures: { newDebt: r.new_debt, limit: r.limit_amount, balance: r.balance, headroom: r.headroom, limitsYear: String(r.limits_year) },
      }));
  },
  explain(f) {
    const m = f.figures;
    return `新增${f.subjectName} ${yuan(m.newDebt)} 元，超过${m.limitsYear}年限额 ${yuan(m.limit)} 元减余额 ${yuan(m.balance)} 元后的剩余空间 ${yuan(m.headroom)} 元（预算法第三十五条）`;
  },
});
