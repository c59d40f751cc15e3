/**
 * The drill-down's rollup tables from the command line:
 *   npm run aggregates -- rebuild      recompute every region and day from the feed tables
 * Each load maintains the rollups for the days it touched (aggregates.ts); a rebuild is for
 * data written around the loader (a restore, a hand fix in SQL) and gives the same rows.
 * Uses DATABASE_URL, or the embedded PostgreSQL in BW_DATA_DIR. Cached dashboard answers are
 * invalidated (the cache version is bumped) like after a load.
 */
import { loadConfig } from '../config.js';
import { openDatabaseForTool } from '../db/connection.js';
import { migrateLatest } from '../db/migrator.js';
import { AGGREGATE_VIEWS, refreshAggregates } from '../features/drilldown/aggregates.js';
import { runTool } from './run-tool.js';

async function main(): Promise<number> {
  const [command] = process.argv.slice(2);
  if (command !== 'rebuild') {
    console.log('用法: npm run aggregates -- rebuild   按明细数据重建钻取汇总表（全部地区、全部日期）');
    return command === '--help' || command === '-h' ? 0 : 2;
  }
  const t0 = performance.now();
  const config = loadConfig();
  const db = await openDatabaseForTool(config);
  try {
    await migrateLatest(db.knex);
    await refreshAggregates(db.knex);
    const sizes: string[] = [];
    for (const t of AGGREGATE_VIEWS) {
      const [{ n }] = await db.knex(t).count({ n: '*' });
      sizes.push(`${t} ${n}`);
    }
    console.log(`汇总表已重建（${sizes.join('，')} 行），用时 ${((performance.now() - t0) / 1000).toFixed(1)} s`);
    return 0;
  } finally {
    await db.close();
  }
}

runTool(main, '重建失败');
