/**
 * The quarterly budget-execution report from the command line:
 *   npm run report -- --region 411100 --quarter 2025Q3 [--scope self|all] [--out FILE]
 * --scope all: the region with every region under it (全市/全省); default self (本级).
 * Uses DATABASE_URL, or the embedded PostgreSQL in BW_DATA_DIR (the running `npm start`'s
 * server when there is one). The report is archived in `reports` like one generated on the web.
 */
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { loadConfig } from '../config.js';
import { openDatabaseForTool } from '../db/connection.js';
import { migrateLatest } from '../db/migrator.js';
import { generateAndArchive } from '../features/reports/service.js';
import { runTool } from './run-tool.js';

const t0 = performance.now();
const step = (msg: string) => console.log(`[${((performance.now() - t0) / 1000).toFixed(1)}s] ${msg}`);

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: { region: { type: 'string' }, quarter: { type: 'string' }, scope: { type: 'string' }, out: { type: 'string' }, help: { type: 'boolean', short: 'h' } },
  });
  const scope = values.scope ?? 'self';
  if (values.help || !values.region || !values.quarter || (scope !== 'self' && scope !== 'all')) {
    console.log('用法: npm run report -- --region 411100 --quarter 2025Q3 [--scope self|all] [--out 文件.docx]\n  --scope self 本级（默认）；all 全辖（全市/全省：本级及所辖地区）');
    return values.help ? 0 : 2;
  }
  const config = loadConfig();
  step(config.databaseUrl ? '连接 DATABASE_URL…' : `连接内置 PostgreSQL（${config.dataDir}）…`);
  const db = await openDatabaseForTool(config);
  try {
    await migrateLatest(db.knex);
    const report = await generateAndArchive(
      db.knex,
      { regionCode: values.region, quarter: values.quarter, scope, userId: null },
      { timeZone: config.timeZone, progress: step },
    );
    const out = path.resolve(values.out ?? report.file_name);
    fs.mkdirSync(path.dirname(out), { recursive: true });
    const row = await db.knex('reports').where({ region_code: report.region_code, id: report.id }).first('content');
    fs.writeFileSync(out, row.content);
    step(`已写入 ${out}`);
    console.log(
      `报告 #${report.id}：${report.region_name ?? report.region_code}${report.scope === 'all' ? '（全辖）' : '（本级）'} ${report.quarter}，数据截至 ${report.as_of}，` +
        `${report.batch_ids.length} 个批次，${(report.size_bytes / 1024).toFixed(0)} KB，sha256 ${report.content_hash.slice(0, 16)}…` +
        `${report.sameContentAs ? `（与报告 #${report.sameContentAs} 内容相同）` : ''}，用时 ${((performance.now() - t0) / 1000).toFixed(1)} s`,
    );
    return 0;
  } finally {
    await db.close();
  }
}

runTool(main, '生成失败');
