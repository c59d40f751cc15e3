/**
 * npm run etl -- <command>
 *   load --inbox DIR [--region R] [--date D] [--force]   load bundles <DIR>/<region>/<date>/
 *   status [--region R]                                   last load per region and feed, freshness, quarantine
 *   export --region R --date D --out DIR                  write a region's data as a bundle (+ _manifest.json)
 *   rerun --region R --date D                             load that date again from the inbox or SQL source
 *   nightly                                               run the nightly job now (T-1 and missed days)
 *   demo [--vouchers N]                                   generate the fixture demo city and load it through the ETL
 */
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { daysBetween, loadConfig, migrateLatest, openDatabaseForTool, today as clockToday } from '../../api/src/core.js';
import { BUSINESS_DATE, REGION_CODE } from './dates.js';
import { DEMO_VOUCHERS, loadDemoFixtures } from './demo.js';
import { exportRegion } from './export.js';
import { loadInbox, type RunResult } from './load/inbox.js';
import type { BundleResult, LoadProgress } from './load/load-bundle.js';
import { rerunDate, runNightly } from './load/nightly.js';
import type { PostLoadHook } from './post-load.js';
import { feedFreshness } from './status.js';

function args(argv: string[]): { cmd: string; flags: Record<string, string | true> } {
  const [cmd = 'help', ...rest] = argv;
  const flags: Record<string, string | true> = {};
  for (let i = 0; i < rest.length; i++) {
    const a = rest[i];
    if (!a.startsWith('--')) throw new Error(`无法识别的参数：${a}`);
    const next = rest[i + 1];
    if (next === undefined || next.startsWith('--')) flags[a.slice(2)] = true;
    else flags[a.slice(2)] = rest[++i];
  }
  return { cmd, flags };
}

function flag(flags: Record<string, string | true>, name: string, re?: RegExp, required = false): string | undefined {
  const v = flags[name];
  if (v === undefined) {
    if (required) throw new Error(`缺少参数 --${name}`);
    return undefined;
  }
  if (v === true || (re && !re.test(v))) throw new Error(`参数 --${name} 的值不正确：${String(v)}`);
  return v;
}

const fmt = (n: number) => n.toLocaleString('en-US');

function progressPrinter(): (p: LoadProgress) => void {
  let last = 0;
  const tty = process.stderr.isTTY;
  // BW_ETL_PROGRESS_MS: how often to print (tests ask for every batch).
  const every = Number(process.env.BW_ETL_PROGRESS_MS ?? (tty ? 250 : 5000));
  return (p) => {
    const now = Date.now();
    if (now - last < every) return;
    last = now;
    const text = `  ${p.regionCode} ${p.businessDate} ${p.feed}：已读 ${fmt(p.rowsRead)} 行…`;
    process.stderr.write(tty ? `\r${text}\x1b[K` : `${text}\n`);
  };
}

/** Terminal columns of a string: CJK characters take two. */
const displayWidth = (s: string) => [...s].reduce((n, ch) => n + (/[\u2E80-\uFFEF]/.test(ch) ? 2 : 1), 0);
const pad = (s: string, width: number) => s + ' '.repeat(Math.max(0, width - displayWidth(s)));

function table(rows: string[][], lastFree = true): string {
  const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => displayWidth(r[i]))));
  return rows.map((r) => r.map((c, i) => (lastFree && i === r.length - 1 ? c : pad(c, widths[i]))).join('  ').trimEnd()).join('\n');
}

export function summaryTable(results: BundleResult[]): string {
  const head = ['地区', '业务日期', '结果', '读取', '装载', '隔离', '秒', '说明'];
  const outcome = { committed: '已装载', rejected: '拒收', unchanged: '未变化' } as const;
  const rows = results.map((r) => [
    r.regionCode, r.businessDate, outcome[r.outcome], fmt(r.rowsRead), fmt(r.rowsLoaded), fmt(r.rowsQuarantined), r.seconds.toFixed(1), r.reason ?? '',
  ]);
  const total = [
    '合计', `${results.length} 个数据包`, `拒收 ${results.filter((r) => r.outcome === 'rejected').length}`,
    fmt(results.reduce((s, r) => s + r.rowsRead, 0)), fmt(results.reduce((s, r) => s + r.rowsLoaded, 0)),
    fmt(results.reduce((s, r) => s + r.rowsQuarantined, 0)), results.reduce((s, r) => s + r.seconds, 0).toFixed(1), '',
  ];
  return table([head, ...rows, total]);
}

function printRun(r: RunResult): void {
  if (process.stderr.isTTY) process.stderr.write('\r\x1b[K');
  console.log(summaryTable(r.results));
  for (const b of r.results) {
    for (const f of b.files) {
      if (f.quarantined) console.log(`  ${b.regionCode} ${b.businessDate} ${f.fileName}：隔离 ${fmt(f.quarantined)} 行（npm run etl -- status 或数据页面查看原因）`);
      if (f.removed) console.log(`  ${b.regionCode} ${b.businessDate} ${f.fileName}：全量文件未再列出的 ${fmt(f.removed)} 行已删除（旧版本保留在历史中）`);
      if (f.keptReferenced) console.log(`  ${b.regionCode} ${b.businessDate} ${f.fileName}：${fmt(f.keptReferenced)} 个单位未再列出但仍被引用，予以保留`);
    }
  }
  for (const x of r.skipped) console.log(`  未装载 ${x.path}：${x.reason}`);
  if (r.postLoadErrors.length) console.log(`装载后处理失败（已提交的数据保留，下一次运行或启动时重试）：${r.postLoadErrors.join('；')}`);
  console.log(`运行编号 ${r.runId}`);
}

/**
 * 3 when the post-load step failed (the dashboard is not up to date with the tables), 2 when
 * a bundle was rejected, else 0.
 */
function exitCode(r: RunResult): number {
  if (r.postLoadErrors.length) return 3;
  return r.results.some((x) => x.outcome === 'rejected') ? 2 : 0;
}

/** One line per bundle as it ends (a log shows how far a run got, even if it is killed later). */
function bundleLine(b: BundleResult): void {
  const outcome = { committed: `已提交（批次 #${b.batchId}）`, rejected: '拒收', unchanged: '未变化' }[b.outcome];
  if (process.stderr.isTTY) process.stderr.write('\r\x1b[K');
  process.stderr.write(`  ${b.regionCode} ${b.businessDate}：${outcome}${b.reason ? ` ${b.reason}` : ''}\n`);
}

/**
 * The commands above; the executable is api/src/cli/etl.ts, which passes the app's post-load
 * hooks (the ETL does not import the app's features).
 */
export async function runEtlCli(argv: string[], postLoad: readonly PostLoadHook[]): Promise<number> {
  const { cmd, flags } = args(argv);
  if (cmd === 'help' || flags.help) {
    console.log(fs.readFileSync(new URL(import.meta.url), 'utf8').split('*/')[0].replace(/^\/\*\*\n/, '').replace(/^ \* ?/gm, ''));
    return 0;
  }
  const config = loadConfig();
  const db = await openDatabaseForTool(config);
  try {
    await migrateLatest(db.knex);
    switch (cmd) {
      case 'load': {
        const inbox = flag(flags, 'inbox') ?? config.inboxDir;
        const r = await loadInbox(db.knex, path.resolve(inbox), {
          region: flag(flags, 'region', REGION_CODE), date: flag(flags, 'date', BUSINESS_DATE), force: flags.force === true,
          trigger: 'cli', deploymentRegion: config.region, onProgress: progressPrinter(), onBundle: bundleLine, postLoad,
        });
        if (r.results.length === 0) console.log(`收件目录 ${inbox} 中没有符合条件的数据包（<地区>/<YYYY-MM-DD>/）`);
        printRun(r);
        return exitCode(r);
      }
      case 'rerun': {
        const r = await rerunDate(db.knex, config, {
          regionCode: flag(flags, 'region', REGION_CODE, true)!, businessDate: flag(flags, 'date', BUSINESS_DATE, true)!, trigger: 'cli', postLoad,
        });
        printRun(r);
        return exitCode(r);
      }
      case 'nightly': {
        const r = await runNightly(db.knex, config, { trigger: 'cli', postLoad });
        printRun(r);
        return exitCode(r);
      }
      case 'demo': {
        const vouchers = Number(flag(flags, 'vouchers', /^\d+$/) ?? DEMO_VOUCHERS);
        const d = await loadDemoFixtures(db.knex, { inboxDir: config.inboxDir, region: config.region, vouchers, log: (l) => console.log(l), postLoad });
        printRun(d.run);
        console.log(`演示数据：${fmt(d.vouchers)} 张支付凭证，${d.bundles} 个地区数据包，用时 ${d.seconds.toFixed(1)} 秒`);
        return 0;
      }
      case 'export': {
        const out = flag(flags, 'out', undefined, true)!;
        const r = await exportRegion(db.knex, {
          regionCode: flag(flags, 'region', REGION_CODE, true)!, businessDate: flag(flags, 'date', BUSINESS_DATE, true)!, outDir: path.resolve(out),
        });
        for (const f of r.feeds) console.log(`${pad(f.feed, 22)} ${fmt(f.rows).padStart(12)} 行${f.amountSum ? `  金额合计 ${f.amountSum}` : ''}`);
        console.log(`已导出到 ${r.dir}`);
        return 0;
      }
      case 'status': {
        const region = flag(flags, 'region', REGION_CODE);
        const today = clockToday();
        const rows = await feedFreshness(db.knex, region ? [region] : undefined);
        const runs = await db.knex('etl_runs').orderBy('id', 'desc').limit(5);
        console.log('最近运行：');
        for (const r of runs) {
          console.log(`  #${r.id} ${r.trigger} ${r.status} ${new Date(r.started_at).toISOString()}${r.error ? ` ${r.error}` : ''}`);
        }
        console.log(`\n数据新鲜度（今天 ${today}）：`);
        const head = ['地区', '数据集', '最新业务日期', '滞后天数', '最近读取', '最近装载', '最近隔离', '累计隔离'];
        const body = rows.map((r) => [
          `${r.regionCode} ${r.regionName}`, r.feed, r.latestBusinessDate ?? '—',
          r.latestBusinessDate ? String(daysBetween(r.latestBusinessDate, today)) : '—',
          fmt(r.lastRowsRead), fmt(r.lastRowsLoaded), fmt(r.lastRowsQuarantined), fmt(r.quarantinedTotal),
        ]);
        console.log(table([head, ...body], false).replace(/^/gm, '  '));
        return 0;
      }
      default:
        throw new Error(`未知命令：${cmd}（npm run etl -- help）`);
    }
  } finally {
    await db.close();
  }
}

// Run directly, this module would only define the commands and exit 0 having done nothing.
if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  console.error('etl：请用 npm run etl（api/src/cli/etl.ts）运行');
  process.exit(1);
}
