import fs from 'node:fs';
import path from 'node:path';
import type { Knex } from 'knex';
import { BUSINESS_DATE, REGION_CODE } from '../dates.js';
import { runPostLoad, type PostLoadHook } from '../post-load.js';
import { loadBundle, summarise, type BundleResult, type LoadOptions } from './load-bundle.js';
import { withRunLock } from './lock.js';
import { finishRun, startRun } from './runs.js';

export interface BundleRef {
  regionCode: string;
  businessDate: string;
  dir: string;
}

/** Bundles of an inbox `<inbox>/<region>/<date>/`, oldest date first (then region). */
export function scanInbox(inboxDir: string, filter: { region?: string; date?: string; from?: Record<string, string>; until?: string } = {}): BundleRef[] {
  if (!fs.existsSync(inboxDir)) return [];
  const out: BundleRef[] = [];
  for (const region of fs.readdirSync(inboxDir)) {
    if (!REGION_CODE.test(region) || (filter.region && region !== filter.region)) continue;
    const regionDir = path.join(inboxDir, region);
    if (!fs.statSync(regionDir).isDirectory()) continue;
    for (const date of fs.readdirSync(regionDir)) {
      if (!BUSINESS_DATE.test(date) || (filter.date && date !== filter.date)) continue;
      if (filter.until && date > filter.until) continue;
      const from = filter.from?.[region];
      if (from && date < from) continue;
      const dir = path.join(regionDir, date);
      if (fs.statSync(dir).isDirectory()) out.push({ regionCode: region, businessDate: date, dir });
    }
  }
  return out.sort((a, b) => a.businessDate.localeCompare(b.businessDate) || a.regionCode.localeCompare(b.regionCode));
}

export interface InboxOptions extends Omit<LoadOptions, 'runId' | 'regionCode' | 'businessDate'> {
  region?: string;
  date?: string;
  /** Only dates up to this one (the nightly run: T-1). */
  until?: string;
  /** Per region, skip dates before this one (the nightly catch-up window). */
  from?: Record<string, string>;
  /** false: give up at once if another loader holds the lock (LoaderBusy). */
  wait?: boolean;
  onBundle?: (r: BundleResult) => void;
  /** Override the post-load hooks (tests); default refresh aggregates + evaluate rules. */
  postLoad?: readonly PostLoadHook[];
}

export interface RunResult {
  runId: string;
  results: BundleResult[];
  postLoadErrors: string[];
}

/**
 * Load every bundle of an inbox in date order, in one etl_run under the run lock; after
 * the loads, refresh the aggregates and evaluate the rules of the regions that changed.
 */
export async function loadInbox(knex: Knex, inboxDir: string, opts: InboxOptions = {}): Promise<RunResult> {
  const bundles = scanInbox(inboxDir, opts);
  return runBundles(knex, bundles, opts, (b, runId) => loadBundle(knex, b.dir, { ...opts, runId }));
}

/** One run over a list of bundles: lock, etl_runs row, post-load hooks. Shared by inbox and SQL sources. */
export async function runBundles<B extends { regionCode: string; businessDate: string }>(
  knex: Knex,
  bundles: B[],
  opts: Pick<InboxOptions, 'trigger' | 'startedBy' | 'wait' | 'onBundle' | 'postLoad' | 'region' | 'date'>,
  load: (b: B, runId: string) => Promise<BundleResult>,
): Promise<RunResult> {
  return withRunLock(knex, { wait: opts.wait ?? true }, async () => {
    const single = bundles.length === 1 ? bundles[0] : undefined;
    const runId = await startRun(knex, {
      trigger: opts.trigger ?? 'cli', startedBy: opts.startedBy,
      regionCode: single?.regionCode ?? opts.region, businessDate: single?.businessDate ?? opts.date,
    });
    const results: BundleResult[] = [];
    try {
      for (const b of bundles) {
        const r = await load(b, runId);
        results.push(r);
        opts.onBundle?.(r);
      }
    } catch (err) {
      await finishRun(knex, runId, 'failed', summarise(results), (err as Error).message);
      throw err;
    }
    const regions = new Map<string, string>();
    for (const r of results) {
      if (r.outcome === 'committed' && (regions.get(r.regionCode) ?? '') < r.businessDate) regions.set(r.regionCode, r.businessDate);
    }
    const postLoadErrors = await runPostLoad(knex, { regions }, opts.postLoad);
    await finishRun(knex, runId, 'succeeded', { ...summarise(results), postLoadErrors }, postLoadErrors.length ? `装载后处理失败：${postLoadErrors.join('；')}` : undefined);
    return { runId, results, postLoadErrors };
  });
}
