import type { Knex } from 'knex';

// Monthly roll-ups of the department and unit views. A query as of date D reads whole months
// before D's month from these and only D's own month day by day, so the overview and the
// department pages add up ~10× fewer rows than the daily views alone.
// Built from the daily views: refresh after them (aggregates.ts lists the order).

const MONTHLY = (from: string, dims: string) => `
  select region_code, fiscal_year, fund_type, ${dims}, date_trunc('month', day)::date as month,
         sum(budget)::numeric(18,2) as budget, sum(paid)::numeric(18,2) as paid,
         sum(paid_unmatched)::numeric(18,2) as paid_unmatched, sum(vouchers)::bigint as vouchers
    from ${from}
   group by region_code, fiscal_year, fund_type, ${dims}, date_trunc('month', day)`;

export async function up(knex: Knex): Promise<void> {
  await knex.raw(`create materialized view mv_exec_unit_month as ${MONTHLY('mv_exec_unit_day', 'dept_code, agency_code')}`);
  await knex.raw(`create unique index mv_exec_unit_month_key on mv_exec_unit_month
                    (region_code, fiscal_year, dept_code, agency_code, fund_type, month)`);
  await knex.raw(`create materialized view mv_exec_dept_month as ${MONTHLY('mv_exec_dept_day', 'dept_code')}`);
  await knex.raw(`create unique index mv_exec_dept_month_key on mv_exec_dept_month (region_code, fiscal_year, dept_code, fund_type, month)`);
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('drop materialized view if exists mv_exec_dept_month');
  await knex.raw('drop materialized view if exists mv_exec_unit_month');
}
