import fs from 'node:fs';
import path from 'node:path';
import type { Server } from 'node:http';
import { createApp } from './app.js';
import { today } from './clock.js';
import { loadConfig, ROOT_DIR } from './config.js';
import { openDatabase } from './db/connection.js';
import { migrateLatest } from './db/migrator.js';
import { DEMO_USERS, ensureDemoUsers } from './demo/demo-users.js';
import { latestBusinessDate } from './features/drilldown/queries.js';
import { buildWebIfStale } from './web-build.js';
import { catchUpPostLoad, databaseIsEmpty, DEMO_REGION, loadDemoFixtures, startScheduler, type EtlScheduler } from '../../etl/src/index.js';
import { NIGHTLY_HOOKS, POST_LOAD_HOOKS } from './post-load.js';
import { regionWithin } from './regions.js';
import { RULES } from './rules/index.js';
import { ensureRuleSettings } from './rules/settings.js';
import { CHECKS } from './review/index.js';

const t0 = Date.now();
const step = (msg: string) => console.log(`[${((Date.now() - t0) / 1000).toFixed(1)}s] ${msg}`);

async function main(): Promise<void> {
  const config = loadConfig();
  step(config.databaseUrl ? '连接外部 PostgreSQL (DATABASE_URL)…' : `启动内置 PostgreSQL（数据目录 ${path.relative(ROOT_DIR, config.dataDir)}）…`);
  const db = await openDatabase(config);
  let server: Server | undefined;
  let scheduler: EtlScheduler | undefined;
  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    console.log(`\n收到 ${signal}，正在停止…`);
    await scheduler?.stop();
    await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
    server?.closeAllConnections?.();
    await db.close();
    console.log('已停止（数据库已关闭）。');
    process.exit(0);
  };
  process.on('SIGINT', () => void shutdown('SIGINT'));
  process.on('SIGTERM', () => void shutdown('SIGTERM'));

  if (db.embedded) step(`数据库就绪：127.0.0.1:${db.embedded.port}`);
  if (db.read) step('只读请求使用只读副本 (DATABASE_READ_URL)');
  const applied = await migrateLatest(db.knex);
  step(applied.length ? `已执行 ${applied.length} 个迁移` : '数据库结构已是最新');
  if (!(await db.knex('regions').where({ code: config.region }).first('code'))) {
    throw new Error(`BW_REGION=${config.region} 不是已知的行政区划代码`);
  }
  await ensureDemoUsers(db.knex);
  // Every registered rule and review check has its settings row before the first read: reads
  // (GET /rules) write nothing, so they can be served by a read-only replica.
  await ensureRuleSettings(db.knex, [...RULES, ...CHECKS]);
  // Batches a killed process committed but never refreshed: the dashboard catches up now.
  const caughtUp = await catchUpPostLoad(db.knex, { postLoad: POST_LOAD_HOOKS });
  if (caughtUp) {
    const n = caughtUp.postLoadErrors.length;
    step(n ? `补做装载后处理失败：${caughtUp.postLoadErrors.join('；')}` : `已补做上次中断的装载后处理（运行 #${caughtUp.runId}）`);
  }
  // The demo city is 漯河市: a deployment for another region starts without it.
  const demoFits = await regionWithin(db.knex, DEMO_REGION, config.region);
  if (config.loadDemo && !demoFits) step(`BW_REGION=${config.region}：演示城市 ${DEMO_REGION} 不在本地区范围内，不载入演示数据`);
  if (config.loadDemo && demoFits && (await databaseIsEmpty(db.knex))) {
    // The fixture generator's city through the real load path (readers, validation, COPY,
    // lineage, batches), then aggregates and rules as after every load.
    step('载入演示数据（生成的演示城市，经 ETL 装载）…');
    const demo = await loadDemoFixtures(db.knex, { inboxDir: config.inboxDir, region: config.region, log: step, postLoad: POST_LOAD_HOOKS });
    const failed = demo.run.results.filter((r) => r.outcome === 'rejected');
    if (failed.length) throw new Error(`演示数据装载失败：${failed.map((r) => `${r.regionCode} ${r.reason}`).join('；')}`);
    if (demo.run.postLoadErrors.length) step(`装载后处理失败：${demo.run.postLoadErrors.join('；')}`);
    step(`已载入演示数据：${demo.bundles} 个地区，${demo.vouchers.toLocaleString('en-US')} 张支付凭证（${demo.seconds.toFixed(1)} s）`);
  }
  if (await buildWebIfStale(config.webDist, step)) step('前端已构建');

  // Reads of GET requests go to the replica when DATABASE_READ_URL names one (api/src/db/routing.ts).
  const app = createApp({ knex: db.knex, readKnex: db.read, config });
  server = app.listen(config.httpPort, config.httpHost);
  await new Promise<void>((resolve, reject) => {
    server!.once('listening', resolve);
    server!.once('error', reject);
  });
  const url = `http://localhost:${config.httpPort}`;
  step('服务已启动');
  // Nightly T-1 load (BW_ETL_CRON, default 02:00 in BW_TZ); 'off' disables it.
  if (config.etlCron !== 'off') scheduler = startScheduler(db.knex, config, POST_LOAD_HOOKS, console.log, NIGHTLY_HOOKS);
  console.log(`\n  预算联网监督系统 Budget Watch  →  ${url}\n`);
  const asOf = await latestBusinessDate(db.knex);
  console.log(`  今天 ${today()}（${process.env.BW_TODAY ? 'BW_TODAY' : config.timeZone}），数据截至 ${asOf ?? '—（尚无装载）'}\n`);
  console.log('  演示账号 (demo logins):');
  for (const u of DEMO_USERS) console.log(`    ${u.role.padEnd(7)} ${u.username.padEnd(8)} / ${u.password}   ${u.display_name}`);
  console.log('\n  按 Ctrl-C 停止。\n');
  if (process.env.BW_READY_FILE) fs.writeFileSync(process.env.BW_READY_FILE, String(db.embedded?.pid ?? ''));
}

main().catch((err) => {
  console.error('启动失败：', err);
  process.exit(1);
});
