import { z } from 'zod';
import { coversAll, defineRule, severitySchema, yuan, type Finding } from './define-rule.js';

const paramsSchema = z.strictObject({ severity: severitySchema });
type Params = z.infer<typeof paramsSchema>;

/**
 * R13 逾期未还: a repayment whose due date is before the as-of date and that was not paid in
 * full by then (paid_on empty or after the as-of date, or paid_amount < principal + interest).
 */
export default defineRule<Params>({
  id: 'R13',
  nameZh: '逾期未还',
  subject: '还本付息计划',
  defaults: { severity: 'red' },
  paramsSchema,
  covers: coversAll,
  async evaluate(knex, ctx) {
    const { rows } = await knex.raw(
      `select p.bond_code, p.due_date, p.principal, p.interest, p.principal + p.interest as due,
              case when p.paid_on is not null and p.paid_on <= :asOf then coalesce(p.paid_amount, 0) else 0 end as paid,
              (:asOf::date - p.due_date) as overdue_days, b.bond_name
         from debt_repayments p
         left join debt_bonds b on b.region_code = p.region_code and b.bond_code = p.bond_code
        where p.region_code = :region and p.due_date < :asOf
          and (case when p.paid_on is not null and p.paid_on <= :asOf then coalesce(p.paid_amount, 0) else 0 end)
              < p.principal + p.interest
        order by p.bond_code, p.due_date`,
      { region: ctx.regionCode, asOf: ctx.asOf },
    );
    return rows.map((r: Record<string, string | number>): Finding => ({
      subjectType: 'repayment',
      subjectKey: `repayment:${r.bond_code}|${r.due_date}`,
      subjectName: `${r.bond_name ?? r.bond_code}（${r.due_date} 应还）`,
      period: String(r.due_date),
      severity: ctx.params.severity,
      measured: {
        principal: String(r.principal), interest: String(r.interest), due: String(r.due), paid: String(r.paid),
        overdueDays: String(r.overdue_days),
      },
      threshold: {},
      drillLink: { route: '/debt', query: { region: ctx.regionCode, bond: String(r.bond_code) } },
    }));
  },
  explain(f) {
    const m = f.measured;
    return `${f.subjectName}本息 ${yuan(m.due)} 元，已逾期 ${m.overdueDays} 天，实付 ${yuan(m.paid)} 元`;
  },
});
