/**
 * Bring the database schema up to date:  npm run migrate
 * Uses DATABASE_URL, or the embedded PostgreSQL in BW_DATA_DIR (the running `npm start`'s
 * server when there is one). `npm start` migrates by itself; this is for a server the app
 * does not start, before a deployment.
 */
import { loadConfig } from '../config.js';
import { openDatabaseForTool } from '../db/connection.js';
import { migrateLatest, schemaVersion } from '../db/migrator.js';
import { runTool } from './run-tool.js';

async function main(): Promise<number> {
  const t0 = performance.now();
  const config = loadConfig();
  const db = await openDatabaseForTool(config);
  try {
    const applied = await migrateLatest(db.knex);
    for (const name of applied) console.log(`已执行迁移 ${name}`);
    console.log(
      `${applied.length ? `执行了 ${applied.length} 个迁移` : '数据库结构已是最新'}，当前版本 ${await schemaVersion(db.knex)}，` +
        `用时 ${((performance.now() - t0) / 1000).toFixed(1)} s`,
    );
    return 0;
  } finally {
    await db.close();
  }
}

runTool(main, '迁移失败');
