import type { Knex } from 'knex';

// Issue 19 item 5: a 全辖 overview sums every region's fund type × month cells. Read from the
// department rollups that is departments × days per region (≈ 40× the cells it needs); these
// two tables hold one row per region × fiscal year × fund type × day (or month), maintained
// with the others (api/src/features/drilldown/aggregates.ts), so a province's overview reads a
// few thousand rows. Keys lead with (region_code, fiscal_year, day): a query joins each
// region to its own as-of date and reads a date range within it.

const SUMS = `sum(budget)::numeric(18,2) as budget, sum(paid)::numeric(18,2) as paid,
              sum(paid_unmatched)::numeric(18,2) as paid_unmatched, sum(vouchers)::bigint as vouchers`;

export async function up(knex: Knex): Promise<void> {
  await knex.raw(
    `create table mv_exec_region_day as
     select region_code, fiscal_year, fund_type, day, ${SUMS} from mv_exec_dept_day group by region_code, fiscal_year, fund_type, day`,
  );
  await knex.raw(
    `create table mv_exec_region_month as
     select region_code, fiscal_year, fund_type, date_trunc('month', day)::date as month, ${SUMS}
       from mv_exec_region_day group by region_code, fiscal_year, fund_type, date_trunc('month', day)`,
  );
  await knex.raw('alter table mv_exec_region_day add constraint mv_exec_region_day_key primary key (region_code, fiscal_year, day, fund_type)');
  await knex.raw('alter table mv_exec_region_month add constraint mv_exec_region_month_key primary key (region_code, fiscal_year, month, fund_type)');
  for (const t of ['mv_exec_region_day', 'mv_exec_region_month']) await knex.raw(`analyze ${t}`);
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTableIfExists('mv_exec_region_month');
  await knex.schema.dropTableIfExists('mv_exec_region_day');
}
