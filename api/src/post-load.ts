import type { Knex } from 'knex';
import type { NightlyHook, PostLoadHook } from '../../etl/src/index.js';
import { today } from './clock.js';
import { makeReminderList, REMINDER_DAYS } from './features/reminders/queries.js';
import { maintainAggregates } from './features/drilldown/aggregates.js';
import { mapLimit, parallelDegree } from './parallel.js';
import { reviewRegion } from './review/index.js';
import { evaluateRules } from './rules/index.js';

/**
 * What runs after every load that committed something, passed to the ETL by each entry point
 * (the server's startup and scheduler, the data routes, the etl CLI): the dashboard's rollups
 * are maintained for the days the batches touched, then the rules evaluate each loaded region
 * as of its business date (BW_PARALLEL regions at once). Order
 * matters (rules may read the aggregates). A hook that fails is reported by the run, the data
 * stays loaded.
 */
export const POST_LOAD_HOOKS: readonly PostLoadHook[] = [
  // Statistics and the rollups are two hooks so each can be timed (bench/province): the first
  // costs a partition's ANALYZE only when a delta moved it by ANALYZE_SHARE or more, the
  // second follows the delta's days.
  async (knex, scope) => analyzeLoadedRegions(knex, [...scope.regions.keys()]),
  async (knex, scope) => {
    const done = await maintainAggregates(knex, scope.batches);
    // Autovacuum never analyzes the partitioned parent, whose statistics plan the queries that
    // span regions (a rebuild, 全辖 voucher lists): refresh them when a region's rows arrived
    // whole (its first delivery) — the day-to-day deltas barely move them.
    if (done.wholeRegions) await knex.raw('analyze payment_vouchers');
  },
  async (knex, scope) => {
    await mapLimit([...scope.regions].sort(), parallelDegree(), ([regionCode, asOf]) => evaluateRules(knex, { regionCode, asOf, trigger: 'etl' }));
  },
  // The budget review (预决算审查): its checks read alerts (D07), so after the rules.
  async (knex, scope) => {
    await mapLimit([...scope.regions.keys()].sort(), parallelDegree(), (regionCode) => reviewRegion(knex, regionCode));
  },
];

/**
 * Fresh statistics for the loaded regions' partitions of payment_vouchers (partitioned by
 * region): the maintenance and the drill queries of one region are planned on its partition
 * alone, and other regions' partitions did not change. A partition is analyzed when the rows
 * changed since its last analyze are at least ANALYZE_SHARE of it (or it never was): a nightly
 * delta of a few thousand rows barely moves the statistics (a date past the histogram's end
 * is looked up in the index by the planner), and analyzing every loaded region each night
 * would cost what analyzing the whole table did. The regions' partitions of payee_names (their
 * distinct payees, partitioned by region too) and its default one by the same rule: the payee
 * search's planner weighs its characters index against reading a region's names by the primary
 * key from their statistics.
 */
const ANALYZE_SHARE = 0.02;

export async function analyzeLoadedRegions(knex: Knex, regionCodes: string[]): Promise<void> {
  const stale = async (relation: string) => {
    const { rows } = await knex.raw<{ rows: { stale: boolean | null }[] }>(
      `select s.last_analyze is null and s.last_autoanalyze is null
              or s.n_mod_since_analyze >= greatest(c.reltuples, 0) * ? as stale
         from pg_class c join pg_stat_user_tables s on s.relid = c.oid
        where c.oid = to_regclass(?)`,
      [ANALYZE_SHARE, relation],
    );
    return rows[0]?.stale === true;
  };
  for (const code of regionCodes) {
    if (!/^\d{6}$/.test(code)) continue; // codes reach here validated; an identifier is built from them
    if (await stale(`payment_vouchers_${code}`)) await knex.raw(`analyze payment_vouchers_${code}`);
    if (await stale(`payee_names_${code}`)) await knex.raw(`analyze payee_names_${code}`);
  }
  if (regionCodes.length && (await stale('payee_names_default'))) await knex.raw('analyze payee_names_default');
}

/**
 * What the nightly job does after its load, whatever it loaded: the reminder list of 交办
 * items past or within REMINDER_DAYS of their 答复期限, for the staff's 工作台.
 */
export const NIGHTLY_HOOKS: readonly NightlyHook[] = [
  async (knex) => {
    const on = today();
    const n = await makeReminderList(knex, on);
    return `${on} 交办答复提醒：${n} 项（逾期或 ${REMINDER_DAYS} 天内到期）`;
  },
];
