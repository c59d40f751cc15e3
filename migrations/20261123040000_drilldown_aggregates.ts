import type { Knex } from 'knex';

// Pre-aggregated execution figures for the drill-down's upper levels, so the overview and
// department pages never scan payment_vouchers. One row per day keeps any as-of date exact.
// Budget (indicators, by issued_on) and paid (vouchers, by pay_date) share each row;
// paid_unmatched is the part of paid whose indicator_no is empty or unknown in the region.
// The finer views feed the coarser ones: refresh in the order listed (func → unit → dept).

const EXEC_SOURCE = (dim: string, indicatorDim: string, voucherDim: string) => `
  select region_code, fiscal_year, fund_type, dept_code, agency_code, ${dim}, day,
         sum(budget)::numeric(18,2) as budget, sum(paid)::numeric(18,2) as paid,
         sum(paid_unmatched)::numeric(18,2) as paid_unmatched, sum(vouchers)::bigint as vouchers
    from (
      select i.region_code, i.fiscal_year, i.fund_type, i.dept_code, i.agency_code, ${indicatorDim} as ${dim},
             i.issued_on as day, i.amount as budget, 0::numeric as paid, 0::numeric as paid_unmatched, 0 as vouchers
        from budget_indicators i
      union all
      select v.region_code, v.fiscal_year, v.fund_type, v.dept_code, v.agency_code, ${voucherDim} as ${dim},
             v.pay_date, 0, v.amount, case when k.indicator_no is null then v.amount else 0 end, 1
        from payment_vouchers v
        left join budget_indicators k on k.region_code = v.region_code and k.indicator_no = v.indicator_no
    ) x
   group by region_code, fiscal_year, fund_type, dept_code, agency_code, ${dim}, day`;

export async function up(knex: Knex): Promise<void> {
  await knex.raw(`create materialized view mv_exec_func_day as ${EXEC_SOURCE('func_code', 'i.func_code', 'v.func_code')}`);
  await knex.raw(`create unique index mv_exec_func_day_key on mv_exec_func_day
                    (region_code, fiscal_year, dept_code, agency_code, func_code, fund_type, day)`);
  await knex.raw(`create index mv_exec_func_day_func on mv_exec_func_day (region_code, fiscal_year, func_code)`);

  await knex.raw(`create materialized view mv_exec_econ_day as
                    ${EXEC_SOURCE('econ_code', "coalesce(i.econ_code, '')", 'v.econ_code')}`);
  await knex.raw(`create unique index mv_exec_econ_day_key on mv_exec_econ_day
                    (region_code, fiscal_year, dept_code, agency_code, econ_code, fund_type, day)`);

  await knex.raw(`create materialized view mv_exec_unit_day as
    select region_code, fiscal_year, fund_type, dept_code, agency_code, day,
           sum(budget)::numeric(18,2) as budget, sum(paid)::numeric(18,2) as paid,
           sum(paid_unmatched)::numeric(18,2) as paid_unmatched, sum(vouchers)::bigint as vouchers
      from mv_exec_func_day
     group by region_code, fiscal_year, fund_type, dept_code, agency_code, day`);
  await knex.raw(`create unique index mv_exec_unit_day_key on mv_exec_unit_day
                    (region_code, fiscal_year, dept_code, agency_code, fund_type, day)`);

  await knex.raw(`create materialized view mv_exec_dept_day as
    select region_code, fiscal_year, fund_type, dept_code, day,
           sum(budget)::numeric(18,2) as budget, sum(paid)::numeric(18,2) as paid,
           sum(paid_unmatched)::numeric(18,2) as paid_unmatched, sum(vouchers)::bigint as vouchers
      from mv_exec_unit_day
     group by region_code, fiscal_year, fund_type, dept_code, day`);
  await knex.raw(`create unique index mv_exec_dept_day_key on mv_exec_dept_day (region_code, fiscal_year, dept_code, fund_type, day)`);
  await knex.raw(`create index mv_exec_dept_day_day on mv_exec_dept_day (region_code, fiscal_year, day)`);

  // Voucher pages sorted by amount, at any depth, walk this index instead of sorting the region.
  await knex.raw(`create index payment_vouchers_amount_idx on payment_vouchers (region_code, amount, voucher_no)`);
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('drop index if exists payment_vouchers_amount_idx');
  for (const mv of ['mv_exec_dept_day', 'mv_exec_unit_day', 'mv_exec_econ_day', 'mv_exec_func_day']) {
    await knex.raw(`drop materialized view if exists ${mv}`);
  }
}
