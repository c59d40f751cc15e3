import { loadGeneratedCity, type GeneratedCity, type PostLoadHook } from '../../../etl/src/index.js';
import type { TestDatabase } from './database.js';

/**
 * Vouchers of the tests' generated city: a little above the generator's minimum, and the same
 * count everywhere so each as-of date is generated once (cached under .data/demo-fixtures).
 */
export const CITY_VOUCHERS = 16_000;

/**
 * The fixture generator's city (漯河市 and five districts and counties, every feed) as of
 * `until`, loaded through the real ETL: the one source of generated test data. Throws unless
 * every bundle committed.
 */
export async function loadCity(db: TestDatabase, until: string, postLoad: readonly PostLoadHook[] = []): Promise<GeneratedCity> {
  const city = await loadGeneratedCity(db.knex, { until, vouchers: CITY_VOUCHERS, postLoad });
  const failed = city.run.results.filter((r) => r.outcome !== 'committed');
  if (failed.length) throw new Error(`generated city not loaded: ${failed.map((r) => `${r.regionCode} ${r.code} ${r.reason}`).join('; ')}`);
  return city;
}
