import fs from 'node:fs';
import path from 'node:path';
import type { Knex } from 'knex';
import type { SkipCode } from '../codes.js';
import { BUSINESS_DATE, isCalendarDate, REGION_CODE } from '../dates.js';
import { mapLimit, parallelDegree, toRegionId } from '../../../api/src/core.js';
import { runPostLoad, type BatchRef, type LoadedScope, type PostLoadHook } from '../post-load.js';
import { loadBundle, summarise, type BundleResult, type LoadOptions } from './load-bundle.js';
import { LoaderBusy, withRunLock } from './lock.js';
import { finishRun, startRun } from './runs.js';

export interface BundleRef {
  regionCode: string;
  businessDate: string;
  dir: string;
}

/** An inbox entry that is not a bundle the loader can take, with the reason (listed in the run's summary). */
export interface SkippedEntry {
  /** Relative to the inbox, e.g. `411100/20250930`. */
  path: string;
  code: SkipCode;
  reason: string;
}

export interface InboxScan {
  /** The inbox's real path: no file outside it is read. */
  root: string;
  bundles: BundleRef[];
  skipped: SkippedEntry[];
}

const within = (root: string, p: string) => p === root || p.startsWith(root.endsWith(path.sep) ? root : root + path.sep);

/**
 * Where an inbox entry really is, or why it is not followed: a dangling symlink, or one that
 * leads out of the inbox (a region folder linked to /etc must not be read).
 */
export function resolveInside(root: string, p: string): { real: string; stat: fs.Stats } | { code: SkipCode; reason: string } {
  let real: string;
  try {
    real = fs.realpathSync(p);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    return code === 'ENOENT' ? { code: 'LINK_BROKEN', reason: '符号链接指向的位置不存在' } : { code: 'ENTRY_UNREADABLE', reason: `无法读取：${(err as Error).message}` };
  }
  if (!within(root, real)) return { code: 'LINK_OUTSIDE_INBOX', reason: `符号链接指向收件目录之外（${real}），不予读取` };
  try {
    return { real, stat: fs.statSync(real) };
  } catch (err) {
    return { code: 'ENTRY_UNREADABLE', reason: `无法读取：${(err as Error).message}` };
  }
}

function dateFolderProblem(name: string): string | null {
  if (isCalendarDate(name)) return null;
  const compact = /^(\d{4})(\d{2})(\d{2})$/.exec(name);
  if (compact && isCalendarDate(`${compact[1]}-${compact[2]}-${compact[3]}`)) return `日期目录名应为 YYYY-MM-DD（${compact[1]}-${compact[2]}-${compact[3]}），未装载`;
  return BUSINESS_DATE.test(name) ? `日期目录名 ${name} 不是真实的日期，未装载` : `不是 <YYYY-MM-DD> 日期目录，未装载`;
}

/**
 * Bundles of an inbox `<inbox>/<region>/<date>/`, oldest date first (then region). Each entry
 * is judged on its own: one that is not a bundle (a folder named 20250930, 2026-13-45 or
 * notes, a stray file, a dangling symlink or one leading out of the inbox) is listed in
 * `skipped` with its reason and the others are still loaded. Hidden entries (`.name`, e.g. an
 * upload in progress) are passed over. With a region or date filter, entries outside it are
 * not looked at.
 */
export function scanInbox(inboxDir: string, filter: { region?: string; date?: string; from?: Record<string, string>; until?: string } = {}): InboxScan {
  if (!fs.existsSync(inboxDir)) return { root: path.resolve(inboxDir), bundles: [], skipped: [] };
  const root = fs.realpathSync(inboxDir);
  const bundles: BundleRef[] = [];
  const skipped: SkippedEntry[] = [];
  // Paths relative to the inbox: the Data page shows them, not the server's folders.
  const skip = (p: string, code: SkipCode, reason: string) => skipped.push({ path: path.relative(root, p), code, reason });
  for (const region of fs.readdirSync(root).sort()) {
    if (region.startsWith('.') || (filter.region && region !== filter.region)) continue;
    const regionDir = path.join(root, region);
    const r = resolveInside(root, regionDir);
    if ('reason' in r) {
      skip(regionDir, r.code, r.reason);
      continue;
    }
    if (!r.stat.isDirectory()) {
      skip(regionDir, 'NOT_REGION_FOLDER', '收件目录顶层只应有 <地区代码> 目录，此文件未装载');
      continue;
    }
    if (!REGION_CODE.test(region)) {
      skip(regionDir, 'NOT_REGION_FOLDER', '不是 6 位地区代码目录，未装载');
      continue;
    }
    for (const date of fs.readdirSync(r.real).sort()) {
      if (date.startsWith('.') || (filter.date && date !== filter.date)) continue;
      const dir = path.join(regionDir, date);
      const problem = dateFolderProblem(date);
      if (problem) {
        if (!filter.date) skip(dir, 'NOT_DATE_FOLDER', problem);
        continue;
      }
      if (filter.until && date > filter.until) continue;
      const from = filter.from?.[region];
      if (from && date < from) continue;
      const d = resolveInside(root, dir);
      if ('reason' in d) skip(dir, d.code, d.reason);
      else if (!d.stat.isDirectory()) skip(dir, 'NOT_BUNDLE_FOLDER', '是文件而不是数据包目录，未装载');
      else bundles.push({ regionCode: region, businessDate: date, dir });
    }
  }
  bundles.sort((a, b) => a.businessDate.localeCompare(b.businessDate) || a.regionCode.localeCompare(b.regionCode));
  return { root, bundles, skipped };
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
  /** Regions loaded at once (default BW_PARALLEL, else the cores). */
  parallel?: number;
}

/**
 * The hooks to run after the loads (the app's: api/src/post-load.ts; tests pass their own or
 * none). Required, so that no entry point forgets them.
 */
export interface PostLoad {
  postLoad: readonly PostLoadHook[];
}

export interface RunResult {
  runId: string;
  results: BundleResult[];
  /** Inbox entries and bundle files that were not loaded, with the reason. */
  skipped: SkippedEntry[];
  postLoadErrors: string[];
}

/**
 * Load every bundle of an inbox in date order, in one etl_run under the run lock; after
 * the loads, the post-load hooks over the regions that changed.
 */
export async function loadInbox(knex: Knex, inboxDir: string, opts: InboxOptions & PostLoad): Promise<RunResult> {
  const scan = scanInbox(inboxDir, opts);
  return runBundles(knex, scan.bundles, { ...opts, skipped: scan.skipped }, (b, runId) => loadBundle(knex, b.dir, { ...opts, runId, inboxRoot: scan.root }));
}

const IGNORED_FILE = '不是已知的数据集文件（<数据集>.csv 或 .xlsx，或 _manifest.json），未装载';

/** A bundle whose load threw instead of returning a result: rejected with what happened, the run goes on. */
function failedBundle(b: { regionCode: string; businessDate: string; dir?: string }, err: unknown): BundleResult {
  return {
    regionCode: b.regionCode, businessDate: b.businessDate, dir: b.dir ?? '', outcome: 'rejected', batchId: null,
    code: 'LOAD_FAILED', reason: `装载出错：${(err as Error).message}`, files: [], ignoredFiles: [], rowsRead: 0, rowsLoaded: 0, rowsQuarantined: 0, seconds: 0,
  };
}

/**
 * One run over a list of bundles: lock, etl_runs row, post-load hooks. Shared by inbox and SQL
 * sources. Regions load in parallel (BW_PARALLEL), each region's bundles in date order. Each
 * bundle stands alone: one that fails is recorded with its reason and the next is loaded. The post-load step then covers every committed batch not yet post-loaded — this
 * run's and any left by a run that died between its commit and its refresh — and a batch is
 * marked post-loaded only when every hook succeeded, so a failed refresh is tried again by the
 * next run (or the next start) and this run is recorded as failed.
 */
export async function runBundles<B extends { regionCode: string; businessDate: string; dir?: string }>(
  knex: Knex,
  bundles: B[],
  opts: Pick<InboxOptions, 'trigger' | 'startedBy' | 'wait' | 'onBundle' | 'region' | 'date' | 'parallel'> & PostLoad & { skipped?: SkippedEntry[] },
  load: (b: B, runId: string) => Promise<BundleResult>,
): Promise<RunResult> {
  return withRunLock(knex, { wait: opts.wait ?? true }, async () => {
    const single = bundles.length === 1 ? bundles[0] : undefined;
    const runId = await startRun(knex, {
      trigger: opts.trigger ?? 'cli', startedBy: opts.startedBy,
      regionCode: single?.regionCode ?? opts.region, businessDate: single?.businessDate ?? opts.date,
    });
    const results: BundleResult[] = [];
    const skipped = [...(opts.skipped ?? [])];
    try {
      // Each region's bundles in date order, BW_PARALLEL regions at once (the bundle locks
      // are per region); results in the list's order.
      const byRegion = new Map<string, number[]>();
      bundles.forEach((b, i) => byRegion.set(b.regionCode, [...(byRegion.get(b.regionCode) ?? []), i]));
      const slots: BundleResult[] = new Array(bundles.length);
      await mapLimit([...byRegion.values()], opts.parallel ?? parallelDegree(), async (indexes) => {
        for (const i of indexes) {
          const b = bundles[i];
          let r: BundleResult;
          try {
            r = await load(b, runId);
          } catch (err) {
            r = failedBundle(b, err);
          }
          slots[i] = r;
          opts.onBundle?.(r);
        }
      });
      for (const r of slots) {
        results.push(r);
        for (const name of r.ignoredFiles) skipped.push({ path: path.join(r.regionCode, r.businessDate, name), code: 'UNKNOWN_FILE', reason: IGNORED_FILE });
      }
      const pending = await pendingPostLoad(knex);
      const postLoadErrors = await runPostLoad(knex, pending, opts.postLoad);
      if (postLoadErrors.length === 0) await markPostLoaded(knex, pending.batches);
      // The run's record names batches as the API does, region and id (`411100-42`).
      const named = (b: BatchRef) => toRegionId(b.regionCode, b.id);
      const ownBatches = new Set(results.filter((r) => r.outcome === 'committed').map((r) => named({ regionCode: r.regionCode, id: r.batchId! })));
      const postLoadBatches = pending.batches.map(named);
      const caughtUp = postLoadBatches.filter((id) => !ownBatches.has(id));
      const summary = { ...summarise(results), skipped, postLoadBatches, postLoadCaughtUp: caughtUp, postLoadErrors };
      const error = postLoadErrors.length
        ? `装载后处理失败（已提交的数据保留，汇总与规则将在下一次运行或启动时重试）：${postLoadErrors.join('；')}`
        : undefined;
      await finishRun(knex, runId, postLoadErrors.length ? 'failed' : 'succeeded', summary, error);
      return { runId, results, skipped, postLoadErrors };
    } catch (err) {
      await finishRun(knex, runId, 'failed', { ...summarise(results), skipped }, (err as Error).message).catch(() => {});
      throw err;
    }
  });
}

/** Committed batches whose post-load step has not completed, and the scope it must cover. */
export async function pendingPostLoad(knex: Knex): Promise<LoadedScope> {
  const rows = await knex('batches')
    .where({ status: 'committed' })
    .whereNull('post_loaded_at')
    .orderBy('id')
    .select('id', 'region_code', knex.raw(`to_char(business_date, 'YYYY-MM-DD') as business_date`));
  const regions = new Map<string, string>();
  for (const r of rows) if ((regions.get(r.region_code) ?? '') < r.business_date) regions.set(r.region_code, r.business_date);
  return { batches: rows.map((r) => ({ regionCode: r.region_code, id: String(r.id) })), regions };
}

/** Batches are keyed by (region_code, id): each is named by both, so the update reaches only their shards. */
async function markPostLoaded(knex: Knex, batches: BatchRef[]): Promise<void> {
  if (batches.length) await knex('batches').whereIn(['region_code', 'id'], batches.map((b) => [b.regionCode, b.id])).update({ post_loaded_at: knex.fn.now() });
}

/**
 * At start-up: finish the post-load step of batches a killed process committed but never
 * refreshed (the dashboard would show the old figures until the next load). Returns null when
 * there is nothing to do or another process is loading (its run will do it).
 */
export async function catchUpPostLoad(knex: Knex, opts: PostLoad): Promise<RunResult | null> {
  if ((await pendingPostLoad(knex)).batches.length === 0) return null;
  try {
    return await runBundles(knex, [], { trigger: 'startup', wait: false, postLoad: opts.postLoad }, () => {
      throw new Error('unreachable');
    });
  } catch (err) {
    if (err instanceof LoaderBusy) return null;
    throw err;
  }
}
