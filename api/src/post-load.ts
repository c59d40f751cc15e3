import type { NightlyHook, PostLoadHook } from '../../etl/src/index.js';
import { today } from './clock.js';
import { makeReminderList, REMINDER_DAYS } from './features/reminders/queries.js';
import { refreshAggregates } from './features/drilldown/aggregates.js';
import { reviewRegion } from './review/index.js';
import { evaluateRules } from './rules/index.js';

/**
 * What runs after every load that committed something, passed to the ETL by each entry point
 * (the server's startup and scheduler, the data routes, the etl CLI): the dashboard's aggregates
 * are refreshed, then the rules evaluate each loaded region as of its business date. Order
 * matters (rules may read the aggregates). A hook that fails is reported by the run, the data
 * stays loaded.
 */
export const POST_LOAD_HOOKS: readonly PostLoadHook[] = [
  // Autovacuum analyzes each region's partition of payment_vouchers but never the partitioned
  // parent, whose statistics plan the queries that span regions (the aggregates' refresh).
  async (knex) => {
    await knex.raw('analyze payment_vouchers');
  },
  async (knex) => refreshAggregates(knex),
  async (knex, scope) => {
    for (const [regionCode, asOf] of [...scope.regions].sort()) await evaluateRules(knex, { regionCode, asOf, trigger: 'etl' });
  },
  // The budget review (预决算审查): its checks read alerts (D07), so after the rules.
  async (knex, scope) => {
    for (const regionCode of [...scope.regions.keys()].sort()) await reviewRegion(knex, regionCode);
  },
];

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
