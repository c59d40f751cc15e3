import type { Knex } from 'knex';

// The functions and economics levels read the finest rollups, one row per unit × class × day:
// a region's year is ~100,000 of them however big the region, so in a province's largest
// region those levels cost 3–4× the departments level. Monthly roll-ups of the two (maintained
// with the others, api/src/features/drilldown/aggregates.ts) let a query as of D read whole
// months before D's month from them and only D's month by day, as the unit and department
// levels already do. Keys lead with (region_code, fiscal_year, month) like mv_exec_region_month.

const SUMS = `sum(budget)::numeric(18,2) as budget, sum(paid)::numeric(18,2) as paid,
              sum(paid_unmatched)::numeric(18,2) as paid_unmatched, sum(vouchers)::bigint as vouchers`;
const TABLES = [
  ['mv_exec_func_month', 'mv_exec_func_day', 'func_code'],
  ['mv_exec_econ_month', 'mv_exec_econ_day', 'econ_code'],
] as const;

export async function up(knex: Knex): Promise<void> {
  for (const [table, from, code] of TABLES) {
    await knex.raw(
      `create table ${table} as
       select region_code, fiscal_year, fund_type, dept_code, agency_code, ${code}, date_trunc('month', day)::date as month, ${SUMS}
         from ${from} group by region_code, fiscal_year, fund_type, dept_code, agency_code, ${code}, date_trunc('month', day)`,
    );
    await knex.raw(`alter table ${table} add constraint ${table}_key primary key (region_code, fiscal_year, month, dept_code, agency_code, ${code}, fund_type)`);
    await knex.raw(`analyze ${table}`);
  }
}

export async function down(knex: Knex): Promise<void> {
  for (const [table] of [...TABLES].reverse()) await knex.schema.dropTableIfExists(table);
}
