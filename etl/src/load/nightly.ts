import fs from 'node:fs';
import path from 'node:path';
import type { Knex } from 'knex';
import { addDays, today as clockToday, type Config } from '../../../api/src/core.js';
import { enabledSqlSources, fetchSqlBundle, sourceName, sqlWorkDir, type SqlSource } from '../sources/sql.js';
import { runBundles, scanInbox, type InboxOptions, type PostLoad, type RunResult } from './inbox.js';
import { loadBundle, type BundleResult } from './load-bundle.js';

type NightlyConfig = Pick<Config, 'inboxDir'> & Partial<Pick<Config, 'region'>>;

interface Planned {
  regionCode: string;
  businessDate: string;
  dir?: string;
  sql?: SqlSource;
}

/** Latest business date per region that a batch (committed or rejected) already covers. */
async function lastCovered(knex: Knex, source?: string): Promise<Record<string, string>> {
  const q = knex('batches').select('region_code').max('business_date as d').groupBy('region_code');
  if (source) q.where('location', source);
  else q.where('source', 'inbox');
  const out: Record<string, string> = {};
  for (const r of await q) out[r.region_code] = r.d;
  return out;
}

async function loadPlanned(knex: Knex, b: Planned, runId: string, opts: Partial<InboxOptions>): Promise<BundleResult> {
  if (b.dir) return loadBundle(knex, b.dir, { ...opts, runId, source: 'inbox' });
  const work = sqlWorkDir();
  try {
    const dir = await fetchSqlBundle(b.sql!, b.businessDate, work);
    return await loadBundle(knex, dir, { ...opts, runId, source: 'sql', location: sourceName(b.sql!) });
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
  }
}

/**
 * The nightly run (day T loads T-1): every region's inbox bundles from the last date already
 * covered up to T-1, in date order — the covered date itself is looked at again so a
 * re-delivered latest bundle is noticed (an identical one is recognised by its hash and
 * skipped) — then every enabled SQL source for each day after its last load up to T-1.
 * Gives up at once (LoaderBusy) if another instance holds the run lock.
 */
export async function runNightly(
  knex: Knex,
  config: NightlyConfig,
  opts: { today?: string; postLoad: PostLoad['postLoad']; trigger?: InboxOptions['trigger'] },
): Promise<RunResult> {
  const today = opts.today ?? clockToday();
  const until = addDays(today, -1);
  const scan = scanInbox(config.inboxDir, { until, from: await lastCovered(knex) });
  const planned: Planned[] = [...scan.bundles];
  for (const sql of await enabledSqlSources(knex)) {
    const last = (await lastCovered(knex, sourceName(sql)))[sql.regionCode];
    for (let d = last ? addDays(last, 1) : until; d <= until; d = addDays(d, 1)) planned.push({ regionCode: sql.regionCode, businessDate: d, sql });
  }
  planned.sort((a, b) => a.businessDate.localeCompare(b.businessDate) || a.regionCode.localeCompare(b.regionCode));
  const loadOpts = { trigger: opts.trigger ?? ('schedule' as const), today, inboxRoot: scan.root, deploymentRegion: config.region };
  return runBundles(knex, planned, { ...loadOpts, wait: false, postLoad: opts.postLoad, skipped: scan.skipped }, (b, runId) => loadPlanned(knex, b, runId, loadOpts));
}

/**
 * Re-run one region's date: its inbox bundle if present, else its SQL sources, loaded even
 * if the same delivery was seen before (identical rows stay untouched; changed rows are
 * corrected with history).
 */
export async function rerunDate(
  knex: Knex,
  config: NightlyConfig,
  opts: { regionCode: string; businessDate: string; trigger?: InboxOptions['trigger']; startedBy?: string; wait?: boolean; postLoad: PostLoad['postLoad'] },
): Promise<RunResult> {
  const dir = path.join(config.inboxDir, opts.regionCode, opts.businessDate);
  // The same checks as a load: no symlink out of the inbox, a real date.
  const scan = scanInbox(config.inboxDir, { region: opts.regionCode, date: opts.businessDate });
  if (scan.skipped.length) throw new NothingToRerun(opts.regionCode, opts.businessDate, dir, scan.skipped[0].reason);
  const planned: Planned[] = scan.bundles.length
    ? scan.bundles
    : (await enabledSqlSources(knex, opts.regionCode)).map((sql) => ({ regionCode: opts.regionCode, businessDate: opts.businessDate, sql }));
  if (planned.length === 0) throw new NothingToRerun(opts.regionCode, opts.businessDate, dir);
  const loadOpts = { trigger: opts.trigger ?? ('cli' as const), startedBy: opts.startedBy, force: true, inboxRoot: scan.root, deploymentRegion: config.region };
  return runBundles(
    knex,
    planned,
    { ...loadOpts, wait: opts.wait ?? true, postLoad: opts.postLoad, region: opts.regionCode, date: opts.businessDate },
    (b, runId) => loadPlanned(knex, b, runId, loadOpts),
  );
}

export class NothingToRerun extends Error {
  constructor(regionCode: string, businessDate: string, dir: string, why?: string) {
    super(why ? `无法重新装载 ${regionCode} ${businessDate}：${dir} ${why}` : `找不到 ${regionCode} ${businessDate} 的数据：收件目录 ${dir} 不存在，且该地区没有启用的 SQL 数据源`);
  }
}
