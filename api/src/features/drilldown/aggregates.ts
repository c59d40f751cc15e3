import type { Knex } from 'knex';
import { AGGREGATES_VERSION_KEY } from './response-cache.js';

/** The drill-down's materialized views, finest first: each coarser one is built from the one before. */
export const AGGREGATE_VIEWS = [
  'mv_exec_func_day', 'mv_exec_econ_day', 'mv_exec_unit_day', 'mv_exec_dept_day', 'mv_exec_unit_month', 'mv_exec_dept_month',
] as const;

/**
 * Refresh every drill-down aggregate after a load (the ETL calls this after each commit;
 * main.ts after the demo seed). CONCURRENTLY keeps the dashboard answering from the old
 * figures while the new ones are computed; `concurrently: false` is faster for a first fill.
 */
export async function refreshAggregates(knex: Knex, opts: { concurrently?: boolean } = {}): Promise<void> {
  const mode = opts.concurrently === false ? '' : 'concurrently ';
  for (const view of AGGREGATE_VIEWS) {
    await knex.raw(`refresh materialized view ${mode}${view}`);
    // Fresh statistics, or the planner guesses from the empty view the migration created.
    await knex.raw(`analyze ${view}`);
  }
  // New figures: every server's cached drill-down answers are now stale.
  await knex.raw(
    `insert into app_settings (key, value, updated_at) values (?, to_jsonb(clock_timestamp()::text), now())
     on conflict (key) do update set value = excluded.value, updated_at = excluded.updated_at`,
    [AGGREGATES_VERSION_KEY],
  );
}
