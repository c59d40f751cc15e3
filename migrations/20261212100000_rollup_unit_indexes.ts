import type { Knex } from 'knex';

// The rollup maintenance (api/src/features/drilldown/aggregates.ts) recomputes the units' days
// a load touched. It read each table by (region_code, day | month) — every unit of the region on
// those days, or on every day of a touched month for the monthly tables' sources — and then kept
// the touched units: reads that follow the region's density, not the delivery (issue #20: 6.00 →
// 8.29 s for the same nightly delta at 10M and 30M vouchers). These indexes let it read a touched
// unit's (or department's) day or month alone, each by equality: by agency where every statement
// on the table names the unit, by department where the next coarser table is summed by
// department from it (unit day → department day). A day table's index holds the day's month
// (the expression the maintenance writes) before the day, for the monthly tables' sources.
// The (region_code, day | month) indexes stay: the dashboard's as-of reads use them.

const MONTH = `(date_trunc('month', day::timestamp)::date), day`;
const INDEXES: [table: string, unit: string | null, period: string][] = [
  ['mv_exec_func_day', 'agency_code', MONTH],
  ['mv_exec_econ_day', 'agency_code', MONTH],
  ['mv_exec_unit_day', 'dept_code', MONTH],
  ['mv_exec_dept_day', 'dept_code', MONTH],
  ['mv_exec_region_day', null, MONTH],
  ['mv_exec_unit_month', 'agency_code', 'month'],
  ['mv_exec_dept_month', 'dept_code', 'month'],
  ['mv_exec_region_month', null, 'month'],
  ['mv_exec_func_month', 'agency_code', 'month'],
  ['mv_exec_econ_month', 'agency_code', 'month'],
];

const name = (table: string) => `${table}_maintain`;

export async function up(knex: Knex): Promise<void> {
  for (const [t, unit, period] of INDEXES) {
    await knex.raw(`create index ${name(t)} on ${t} (${['region_code', unit, period].filter(Boolean).join(', ')})`);
  }
}

export async function down(knex: Knex): Promise<void> {
  for (const [t] of INDEXES) await knex.raw(`drop index if exists ${name(t)}`);
}
