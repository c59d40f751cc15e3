import type { Knex } from 'knex';

/**
 * A batch as the database keys it: batches are distributed by region (docs/SCALE-OUT.md), so a
 * reference to one names its region, and a lookup goes to that region's shard alone.
 */
export interface BatchRef {
  regionCode: string;
  id: string;
}

/** What a successful load changed: the regions and the latest business date of each. */
export interface LoadedScope {
  /** region code → latest committed business date in this run. */
  regions: Map<string, string>;
  /** The committed batches this post-load step covers (their batch_days say which days changed). */
  batches: BatchRef[];
}

export type PostLoadHook = (knex: Knex, scope: LoadedScope) => Promise<void>;

/**
 * Run the hooks after a load that committed something. The ETL knows no hooks of its own: the
 * app's (aggregates, rules — api/src/post-load.ts) are passed in by whoever starts the load. A
 * hook that fails is reported by the run, the data stays loaded.
 */
export async function runPostLoad(knex: Knex, scope: LoadedScope, hooks: readonly PostLoadHook[]): Promise<string[]> {
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
