import type { Knex } from 'knex';
import { TIME_PROGRESS_SETTING } from '../../rules/time-progress.js';

/** app_settings key bumped by refreshAggregates: the version of the figures the views hold. */
export const AGGREGATES_VERSION_KEY = 'drilldown_aggregates_version';

/**
 * What cached answers depend on besides the request: the views' version and the
 * time-progress conventions (default and per region) staff may switch at any time (they change
 * every percentage).
 */
export async function aggregatesVersion(knex: Knex): Promise<string> {
  const { rows } = await knex.raw<{ rows: { key: string; value: unknown }[] }>(
    `select key, value from app_settings where key in (?, ?)
     union all
     select region_code || ':' || key, value from region_settings where key = ?
     order by 1`,
    [AGGREGATES_VERSION_KEY, TIME_PROGRESS_SETTING, TIME_PROGRESS_SETTING],
  );
  return JSON.stringify(rows.map((r) => [r.key, r.value]));
}

/**
 * Drill-level answers by (aggregates version, path, query). Each answer depends only on the
 * data and the request (the region was checked before the lookup), so it stays valid until
 * the next refreshAggregates bumps the version — whichever process ran the load. USAspending
 * clears its response cache after loads the same way. Small and per app: a bounded Map in
 * insertion order, the oldest entry evicted first.
 */
export class ResponseCache {
  private readonly entries = new Map<string, unknown>();
  constructor(private readonly maxEntries = 500) {}

  get(key: string): unknown {
    return this.entries.get(key);
  }

  set(key: string, value: unknown): void {
    if (this.entries.size >= this.maxEntries) {
      const oldest = this.entries.keys().next().value;
      if (oldest !== undefined) this.entries.delete(oldest);
    }
    this.entries.set(key, value);
  }
}

/** A stable key for a request's query: sorted parameters, so ?a=1&b=2 and ?b=2&a=1 share an entry. */
export function queryKey(query: Record<string, unknown>): string {
  return JSON.stringify(Object.keys(query).sort().map((k) => [k, query[k]]));
}
