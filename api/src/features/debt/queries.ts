import type { Knex } from 'knex';
import type { Maturity } from './contract.js';

export interface DebtLimitRow {
  fiscal_year: number;
  general_limit: string;
  special_limit: string;
  general_balance: string;
  special_balance: string;
  fiscal_capacity: string;
  batch_id: string;
  source_line: number;
}

/** The limits row of `year`, or the latest one not after it. */
export const debtLimits = (knex: Knex, regionCode: string, year: number) =>
  knex('debt_limits')
    .where({ region_code: regionCode })
    .andWhere('fiscal_year', '<=', year)
    .orderBy('fiscal_year', 'desc')
    .first<DebtLimitRow | undefined>();

/** Each region's limits row of `year`, or its latest one not after it. */
export const debtLimitsOf = (knex: Knex, regionCodes: string[], year: number) =>
  knex('debt_limits')
    .distinctOn('region_code')
    .whereIn('region_code', regionCodes)
    .andWhere('fiscal_year', '<=', year)
    .orderBy([{ column: 'region_code' }, { column: 'fiscal_year', order: 'desc' }])
    .select<(DebtLimitRow & { region_code: string })[]>('*');

/** A bond as the query reads it (the table's columns); routes answer it through wire.ts, exports as is. */
export interface BondRow {
  region_code: string;
  bond_code: string;
  bond_name: string;
  bond_type: string;
  purpose: string | null;
  issue_date: string;
  maturity_date: string;
  coupon_rate: string;
  amount: string;
  principal_repaid: string;
  next_due_date: string | null;
}

export function bonds(knex: Knex, regionCodes: string[], asOf: string, bondType?: string): Knex.QueryBuilder<BondRow, BondRow[]> {
  const q = knex('debt_bonds as b')
    .whereIn('b.region_code', regionCodes)
    .select(
      'b.region_code', 'b.bond_code', 'b.bond_name', 'b.bond_type', 'b.purpose', 'b.issue_date', 'b.maturity_date', 'b.coupon_rate', 'b.amount',
      knex.raw(
        `coalesce((select sum(r.principal) from debt_repayments r where r.region_code = b.region_code and r.bond_code = b.bond_code
                    and r.paid_on is not null and r.paid_on <= ?), 0)::numeric(18,2) as principal_repaid`,
        [asOf],
      ),
      knex.raw(
        `(select min(r.due_date) from debt_repayments r where r.region_code = b.region_code and r.bond_code = b.bond_code
           and r.paid_on is null) as next_due_date`,
      ),
    )
    .orderBy([{ column: 'b.maturity_date' }, { column: 'b.region_code' }, { column: 'b.bond_code' }]);
  if (bondType) q.andWhere('b.bond_type', bondType);
  return q;
}

export type MaturityRow = Maturity;

/**
 * Principal and interest due per year or month: the maturity wall. With `from` (today), only
 * what falls due from then on — repayments already made years ago are history, not a wall —
 * and each period also carries the outstanding principal of the bonds maturing in it.
 */
export async function maturitySchedule(knex: Knex, regionCodes: string[], by: 'year' | 'month', from?: string): Promise<MaturityRow[]> {
  const fmt = by === 'year' ? 'YYYY' : 'YYYY-MM';
  if (from) {
    const { rows } = await knex.raw<{ rows: MaturityRow[] }>(
      `with rep as (
         select to_char(due_date, :fmt) as period, sum(principal) as principal, sum(interest) as interest,
                coalesce(sum(paid_amount), 0) as paid, count(*) as repayments
           from debt_repayments where region_code = any(:regions) and due_date >= :from::date group by 1
       ), mat as (
         select to_char(b.maturity_date, :fmt) as period,
                sum(b.amount - coalesce((select sum(r.principal) from debt_repayments r
                                          where r.region_code = b.region_code and r.bond_code = b.bond_code
                                            and r.paid_on is not null and r.paid_on <= :from::date), 0)) as maturing
           from debt_bonds b where b.region_code = any(:regions) and b.maturity_date >= :from::date group by 1
       )
       select period, coalesce(rep.principal, 0)::numeric(18,2) as principal, coalesce(rep.interest, 0)::numeric(18,2) as interest,
              coalesce(rep.paid, 0)::numeric(18,2) as paid, coalesce(rep.repayments, 0)::text as repayments,
              coalesce(mat.maturing, 0)::numeric(18,2) as maturing
         from rep full join mat using (period) order by 1`,
      { fmt, regions: regionCodes, from },
    );
    return rows;
  }
  const { rows } = await knex.raw<{ rows: MaturityRow[] }>(
    `select to_char(due_date, ?) as period, sum(principal)::numeric(18,2) as principal, sum(interest)::numeric(18,2) as interest,
            coalesce(sum(paid_amount), 0)::numeric(18,2) as paid, count(*)::text as repayments
       from debt_repayments where region_code = any(?) and (?::date is null or due_date >= ?::date)
      group by 1 order by 1`,
    [fmt, regionCodes, from ?? null, from ?? null],
  );
  return rows;
}

/** A repayment as the query reads it (the table's columns, the bond's name and type). */
export interface RepaymentRow {
  region_code: string;
  bond_code: string;
  bond_name: string | null;
  bond_type: string | null;
  due_date: string;
  principal: string;
  interest: string;
  paid_on: string | null;
  paid_amount: string | null;
  days_overdue: number;
}

/**
 * Repayments by status at `asOf`: due (unpaid, due within `withinDays`), overdue (due date
 * passed and not fully paid), paid, or all.
 */
const unpaid = '(r.paid_on is null or coalesce(r.paid_amount, 0) < r.principal + r.interest)';
const settled = `(r.paid_on <= ?::date and not ${unpaid})`;

export function repayments(knex: Knex, regionCodes: string[], asOf: string, status: 'due' | 'overdue' | 'paid' | 'all', withinDays: number): Knex.QueryBuilder<RepaymentRow, RepaymentRow[]> {
  const q = knex('debt_repayments as r')
    .leftJoin('debt_bonds as b', function () {
      this.on('b.region_code', 'r.region_code').andOn('b.bond_code', 'r.bond_code');
    })
    .whereIn('r.region_code', regionCodes)
    .select(
      'r.region_code', 'r.bond_code', 'b.bond_name', 'b.bond_type', 'r.due_date', 'r.principal', 'r.interest', 'r.paid_on', 'r.paid_amount',
      // A repayment settled by asOf was late by (paid − due) days, however long ago; one still
      // open is late by the days since it fell due.
      knex.raw(
        `greatest(case when ${settled} then r.paid_on - r.due_date else ?::date - r.due_date end, 0)::int as days_overdue`,
        [asOf, asOf],
      ),
    )
    .orderBy([{ column: 'r.due_date' }, { column: 'r.region_code' }, { column: 'r.bond_code' }]);
  if (status === 'due') q.whereRaw(`r.paid_on is null and r.due_date >= ?::date and r.due_date <= ?::date + ?::int`, [asOf, asOf, withinDays]);
  if (status === 'overdue') q.whereRaw(`r.due_date < ?::date and ${unpaid}`, [asOf]);
  if (status === 'paid') q.whereNotNull('r.paid_on');
  return q;
}
