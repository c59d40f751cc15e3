import type { PostLoadHook } from '../../etl/src/index.js';
import { refreshAggregates } from './features/drilldown/aggregates.js';
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
];
