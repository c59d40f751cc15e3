import type { Knex } from 'knex';

// A batch recorded the days of its region it touched, and the rollups recomputed those days
// whole from the vouchers. A night's corrections touch old days, and an old day holds more
// vouchers the more was loaded: at 30M the maintenance took 1.58× what it took at 10M for the
// same delta. Recording the unit (dept_code, agency_code) beside the day narrows the recompute
// to the units the batch changed on that day, whose vouchers are a small share of the day.
// Rows recorded before this migration keep agency_code '' — the whole day, as before (agency
// codes are required in every feed that has a day, so '' names no unit).
export async function up(knex: Knex): Promise<void> {
  await knex.raw(`alter table batch_days
                    add column dept_code text not null default '',
                    add column agency_code text not null default '',
                    drop constraint batch_days_pkey,
                    add constraint batch_days_pkey primary key (region_code, batch_id, day, dept_code, agency_code)`);
}

export async function down(knex: Knex): Promise<void> {
  // A unit's day becomes the whole day again: a superset of what it stood for.
  await knex.raw(`create temporary table batch_days_whole on commit drop as
                    select distinct region_code, batch_id, day from batch_days`);
  await knex.raw('delete from batch_days');
  await knex.raw(`alter table batch_days
                    drop constraint batch_days_pkey,
                    drop column dept_code,
                    drop column agency_code,
                    add constraint batch_days_pkey primary key (region_code, batch_id, day)`);
  await knex.raw('insert into batch_days (region_code, batch_id, day) select region_code, batch_id, day from batch_days_whole');
}
