import type { Knex } from 'knex';
import { refreshAggregates } from '../../api/src/features/drilldown/aggregates.js';
import { evaluateRules } from '../../api/src/rules/index.js';

/** What a successful load changed: the regions and the latest business date of each. */
export interface LoadedScope {
  /** region code → latest committed business date in this run. */
  regions: Map<string, string>;
}

export type PostLoadHook = (knex: Knex, scope: LoadedScope) => Promise<void>;

/**
 * Run after every load that committed something: the dashboard's aggregates are refreshed,
 * then the rules evaluate each loaded region as of its business date. Order matters (rules
 * may read the aggregates). A hook that fails is reported by the run, the data stays loaded.
 */
export const POST_LOAD_HOOKS: PostLoadHook[] = [
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

export async function runPostLoad(knex: Knex, scope: LoadedScope, hooks: readonly PostLoadHook[] = POST_LOAD_HOOKS): Promise<string[]> {
  const errors: string[] = [];
  if (scope.regions.size === 0) return errors;
  for (const hook of hooks) {
    try {
      await hook(knex, scope);
    } catch (err) {
      errors.push((err as Error).message);
    }
  }
  return errors;
}
