import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { Knex } from 'knex';
import { generateFixtures } from '../../fixtures/src/index.js';
import { addDays, ROOT_DIR, yesterday } from '../../api/src/core.js';
import { BUSINESS_DATE, REGION_CODE } from './dates.js';
import { FEEDS } from './feeds/index.js';
import { loadInbox, type PostLoad, type RunResult } from './load/inbox.js';
import { CsvRecordSplitter, type CsvRecord } from './readers/csv-records.js';

/**
 * Demo data through the real load path: the fixture generator writes a small city (a few
 * thousand daily bundles), which is compacted into one bundle per region — the final state
 * of every feed, a later day's row replacing an earlier one with the same key and a
 * full-state feed's later file replacing the whole list, what loading the days in order
 * would leave (the generated files carry no bad rows and no agency left out) — and loaded with loadInbox (readers, validation,
 * COPY staging, merge, lineage, aggregates, rules). One bundle per region keeps the first
 * start within seconds; a few thousand one-transaction loads would take minutes.
 */
export interface DemoLoad {
  /** The business date the demo's data runs to. */
  asOf: string;
  vouchers: number;
  bundles: number;
  run: RunResult;
  seconds: number;
}

export const DEMO_VOUCHERS = 20_000;

/** The generated demo city (漯河市). */
export const DEMO_REGION = '411100';

/** No delivery recorded yet: where `npm start` loads the demo. */
export async function databaseIsEmpty(knex: Knex): Promise<boolean> {
  return !(await knex('batches').first('id'));
}

export async function loadDemoFixtures(
  knex: Knex,
  opts: { inboxDir: string; region?: string; vouchers?: number; log?: (line: string) => void } & PostLoad,
): Promise<DemoLoad> {
  // As of the clock's yesterday, the latest date a T+1 delivery covers, whatever the date.
  const demo = await loadGeneratedCity(knex, { until: yesterday(), vouchers: opts.vouchers, log: opts.log, region: opts.region, postLoad: opts.postLoad });
  // A copy in the inbox (where absent), so the Data page's re-run of that date finds the files.
  for (const r of demo.run.results) {
    const dest = path.join(opts.inboxDir, r.regionCode, r.businessDate);
    if (!fs.existsSync(dest)) fs.cpSync(r.dir, dest, { recursive: true, force: false });
  }
  return demo;
}

export interface GeneratedCity extends DemoLoad {
  /** The generator's ground truth for this as-of date (expected_alerts.json). */
  expectedFile: string;
}

/**
 * The generator's city as of `until` (any date), compacted to one bundle per region and loaded
 * through the ETL as the day after `until` would load it. The demo and the any-date tests use it.
 */
export async function loadGeneratedCity(
  knex: Knex,
  opts: { until: string; vouchers?: number; seed?: number; log?: (line: string) => void; region?: string } & PostLoad,
): Promise<GeneratedCity> {
  const t0 = performance.now();
  const vouchers = opts.vouchers ?? DEMO_VOUCHERS;
  const { dir, generated } = await demoBundles(opts.seed ?? 1, vouchers, opts.until);
  if (generated) opts.log?.(`已生成演示数据（截至 ${opts.until}）：${generated} 个日数据包，合并为每个地区一个数据包`);
  const run = await loadInbox(knex, path.join(dir, 'inbox'), {
    trigger: 'startup', today: addDays(opts.until, 1), deploymentRegion: opts.region, postLoad: opts.postLoad,
  });
  return { asOf: opts.until, vouchers, bundles: run.results.length, run, seconds: (performance.now() - t0) / 1000, expectedFile: path.join(dir, 'expected_alerts.json') };
}

/**
 * The compacted demo bundles, generated once per (seed, vouchers, date, generator source)
 * into .data/demo-fixtures and reused: every fresh database (tests, e2e, a new clone's
 * first start) then skips the generator.
 */
async function demoBundles(seed: number, vouchers: number, until: string): Promise<{ dir: string; generated: number | null }> {
  const src = path.join(ROOT_DIR, 'fixtures/src');
  const h = createHash('sha256').update(`${seed}|${vouchers}|${until}`);
  for (const f of listFiles(src)) h.update(f).update(fs.readFileSync(f));
  const dir = path.join(ROOT_DIR, '.data/demo-fixtures', h.digest('hex').slice(0, 16));
  if (fs.existsSync(path.join(dir, 'DONE'))) return { dir, generated: null };
  const tmp = `${dir}.tmp-${process.pid}`;
  fs.rmSync(tmp, { recursive: true, force: true });
  const summary = await generateFixtures({ out: path.join(tmp, 'generated'), seed, vouchers, until });
  compactBundles(path.join(tmp, 'generated'), path.join(tmp, 'inbox'), until);
  fs.renameSync(path.join(tmp, 'generated', 'expected_alerts.json'), path.join(tmp, 'expected_alerts.json'));
  fs.rmSync(path.join(tmp, 'generated'), { recursive: true, force: true });
  fs.writeFileSync(path.join(tmp, 'DONE'), `${summary.bundles}\n`);
  try {
    fs.renameSync(tmp, dir);
  } catch {
    fs.rmSync(tmp, { recursive: true, force: true }); // another process finished first: use its copy
  }
  return { dir, generated: summary.bundles };
}

function listFiles(dir: string): string[] {
  return fs
    .readdirSync(dir, { withFileTypes: true })
    .flatMap((e) => (e.isDirectory() ? listFiles(path.join(dir, e.name)) : e.name.endsWith('.ts') ? [path.join(dir, e.name)] : []))
    .sort();
}

function parseCsv(text: string): CsvRecord[] {
  const out: CsvRecord[] = [];
  const splitter = new CsvRecordSplitter();
  splitter.push(text.replace(/^\uFEFF/, ''), true, out);
  return out.filter((r) => !(r.cells.length === 1 && r.cells[0] === ''));
}

const csvCell = (s: string) => (/[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s);

/** `<src>/<region>/<date>/<feed>.csv` → `<dest>/<region>/<until>/<feed>.csv`, last version of each key. */
export function compactBundles(src: string, dest: string, until: string): number {
  let bundles = 0;
  for (const region of fs.readdirSync(src).filter((r) => REGION_CODE.test(r)).sort()) {
    const dates = fs.readdirSync(path.join(src, region)).filter((d) => BUSINESS_DATE.test(d) && d <= until).sort();
    const outDir = path.join(dest, region, until);
    for (const feed of FEEDS) {
      let header: string[] | undefined;
      const rows = new Map<string, string[]>();
      for (const date of dates) {
        const file = path.join(src, region, date, `${feed.name}.csv`);
        if (!fs.existsSync(file)) continue;
        const [head, ...records] = parseCsv(fs.readFileSync(file, 'utf8'));
        header ??= head.cells;
        if (head.cells.join(',') !== header.join(',')) throw new Error(`${file}: 表头与前面的文件不同，无法合并`);
        const keyIdx = feed.key.map((k) => header!.indexOf(k));
        // A full-state feed's file with data rows is the whole list: what it leaves out goes.
        // A fullStateBy feed's file is the whole list of the groups it holds only.
        if (feed.merge === 'full-state' && records.length) {
          const groupIdx = (feed.fullStateBy ?? []).map((k) => header!.indexOf(k));
          const groupOf = (cells: string[]) => groupIdx.map((i) => cells[i]).join('\u0001');
          const groups = new Set(records.map((r) => groupOf(r.cells)));
          for (const [key, cells] of rows) if (groups.has(groupOf(cells))) rows.delete(key);
        }
        for (const r of records) {
          const key = keyIdx.map((i) => r.cells[i]).join('\u0001');
          rows.delete(key); // re-inserted at the end: file order follows the latest delivery
          rows.set(key, r.cells);
        }
      }
      if (!header) continue;
      fs.mkdirSync(outDir, { recursive: true });
      const lines = [header, ...rows.values()].map((cells) => cells.map(csvCell).join(','));
      fs.writeFileSync(path.join(outDir, `${feed.name}.csv`), `${lines.join('\n')}\n`);
    }
    if (fs.existsSync(outDir)) bundles++;
  }
  return bundles;
}
