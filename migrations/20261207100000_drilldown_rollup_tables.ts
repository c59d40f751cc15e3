import type { Knex } from 'knex';

// The drill-down's six materialized views become ordinary tables of the same names, columns
// and keys (issue #20): a REFRESH recomputes every region and every year, ~15–18 s per million
// vouchers whatever a load changed, while a table can be maintained for the (region, day) keys
// a load touched (api/src/features/drilldown/aggregates.ts). The readers keep their names.
//
// What a load touched is recorded by the loader in batch_days, in the load's own transaction:
// a committed batch then always says which of its region's days the rollups must recompute,
// even when the process dies before its post-load step. Corrections move the old version of
// a row to superseded_rows; the loader reads it back by superseded_by_batch_id (indexed here)
// to recompute the day the old version was on.

const DAY_TABLES = {
  mv_exec_func_day: ['region_code, fiscal_year, dept_code, agency_code, func_code, fund_type, day'],
  mv_exec_econ_day: ['region_code, fiscal_year, dept_code, agency_code, econ_code, fund_type, day'],
  mv_exec_unit_day: ['region_code, fiscal_year, dept_code, agency_code, fund_type, day'],
  mv_exec_dept_day: ['region_code, fiscal_year, dept_code, fund_type, day'],
} as const;
const MONTH_TABLES = {
  mv_exec_unit_month: 'region_code, fiscal_year, dept_code, agency_code, fund_type, month',
  mv_exec_dept_month: 'region_code, fiscal_year, dept_code, fund_type, month',
} as const;
/** Finest first (the order the views were built in); dropped in reverse. */
const ORDER = ['mv_exec_func_day', 'mv_exec_econ_day', 'mv_exec_unit_day', 'mv_exec_dept_day', 'mv_exec_unit_month', 'mv_exec_dept_month'] as const;

export async function up(knex: Knex): Promise<void> {
  // The figures the views hold now move into the tables: no reload needed after upgrading.
  for (const v of ORDER) await knex.raw(`create table ${v}_rollup as select * from ${v}`);
  for (const v of [...ORDER].reverse()) await knex.raw(`drop materialized view ${v}`);
  for (const v of ORDER) await knex.raw(`alter table ${v}_rollup rename to ${v}`);
  // The views' unique keys become primary keys (every key column is NOT NULL in the feed
  // tables; econ_code is coalesced), led by region_code as a table distributed by region needs
  // (migrations/distribution-keys.test.ts).
  for (const [t, [key]] of Object.entries(DAY_TABLES)) {
    await knex.raw(`alter table ${t} add constraint ${t}_key primary key (${key})`);
    // Maintenance deletes and re-inserts a region's touched days.
    await knex.raw(`create index ${t}_region_day on ${t} (region_code, day)`);
  }
  for (const [t, key] of Object.entries(MONTH_TABLES)) {
    await knex.raw(`alter table ${t} add constraint ${t}_key primary key (${key})`);
    await knex.raw(`create index ${t}_region_month on ${t} (region_code, month)`);
  }
  await knex.raw(`create index mv_exec_func_day_func on mv_exec_func_day (region_code, fiscal_year, func_code)`);
  await knex.raw(`create index mv_exec_dept_day_day on mv_exec_dept_day (region_code, fiscal_year, day)`);

  // day -infinity: every day of the region (its first delivery of a feed, COPYed without a stage).
  await knex.schema.createTable('batch_days', (t) => {
    t.text('region_code').notNullable();
    t.bigInteger('batch_id').notNullable().references('batches.id').onDelete('CASCADE');
    t.date('day').notNullable();
    t.primary(['region_code', 'batch_id', 'day']);
    t.index(['batch_id']);
  });
  // A batch committed but not yet post-loaded when this runs touched what no one recorded:
  // its region is recomputed whole by the next post-load step.
  await knex.raw(
    `insert into batch_days (region_code, batch_id, day)
     select region_code, id, '-infinity' from batches where status = 'committed' and post_loaded_at is null`,
  );
  await knex.raw('create index superseded_rows_by_batch on superseded_rows (superseded_by_batch_id, feed)');
}

// The view definitions as 20261123040000 and 20261123040100 created them.
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
const SUMS = `sum(budget)::numeric(18,2) as budget, sum(paid)::numeric(18,2) as paid,
              sum(paid_unmatched)::numeric(18,2) as paid_unmatched, sum(vouchers)::bigint as vouchers`;
const MONTHLY = (from: string, dims: string) => `
  select region_code, fiscal_year, fund_type, ${dims}, date_trunc('month', day)::date as month, ${SUMS}
    from ${from}
   group by region_code, fiscal_year, fund_type, ${dims}, date_trunc('month', day)`;
const VIEWS: Record<(typeof ORDER)[number], string> = {
  mv_exec_func_day: EXEC_SOURCE('func_code', 'i.func_code', 'v.func_code'),
  mv_exec_econ_day: EXEC_SOURCE('econ_code', "coalesce(i.econ_code, '')", 'v.econ_code'),
  mv_exec_unit_day: `select region_code, fiscal_year, fund_type, dept_code, agency_code, day, ${SUMS}
                       from mv_exec_func_day group by region_code, fiscal_year, fund_type, dept_code, agency_code, day`,
  mv_exec_dept_day: `select region_code, fiscal_year, fund_type, dept_code, day, ${SUMS}
                       from mv_exec_unit_day group by region_code, fiscal_year, fund_type, dept_code, day`,
  mv_exec_unit_month: MONTHLY('mv_exec_unit_day', 'dept_code, agency_code'),
  mv_exec_dept_month: MONTHLY('mv_exec_dept_day', 'dept_code'),
};

export async function down(knex: Knex): Promise<void> {
  await knex.raw('drop index if exists superseded_rows_by_batch');
  await knex.schema.dropTableIfExists('batch_days');
  for (const v of ORDER) await knex.raw(`alter table ${v} rename to ${v}_rollup`);
  for (const v of ORDER) {
    await knex.raw(`create materialized view ${v} as ${VIEWS[v]}`);
    await knex.raw(`drop table ${v}_rollup`);
  }
  for (const [t, [key]] of Object.entries(DAY_TABLES)) await knex.raw(`create unique index ${t}_key on ${t} (${key})`);
  for (const [t, key] of Object.entries(MONTH_TABLES)) await knex.raw(`create unique index ${t}_key on ${t} (${key})`);
  await knex.raw(`create index mv_exec_func_day_func on mv_exec_func_day (region_code, fiscal_year, func_code)`);
  await knex.raw(`create index mv_exec_dept_day_day on mv_exec_dept_day (region_code, fiscal_year, day)`);
}
