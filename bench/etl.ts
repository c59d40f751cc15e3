/**
 * bench/etl: load N payment vouchers (default 1,000,000) end to end through the loader and
 * compare with a raw COPY of the same voucher files into a bare table (no indexes, no
 * validation), measured in the same run on the same server.
 *
 *   npm run bench:etl -- [--vouchers N]
 *
 * (npm run gives node the young-generation size the app and `npm run etl` run with; a plain
 * `npx tsx bench/etl.ts` works too and says so, ~0.9 s slower per 1M rows in garbage collection.)
 *
 * The rows are the fixture generator's demo city (the one source of generated data), its daily
 * bundles compacted into one bundle per region (the final state — a large nightly delivery),
 * loaded with loadInbox. The load's CPU seconds by thread group (thread-cpu.ts) say how close
 * it runs to the two cores' limit.
 * Uses DATABASE_URL when set, else a throw-away embedded cluster under .data/bench-etl.
 */
import fs from 'node:fs';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import type { PoolClient } from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { addDays, today } from '../api/src/clock.js';
import { ROOT_DIR } from '../api/src/config.js';
import { createKnex, ensureDatabase, withDatabase } from '../api/src/db/connection.js';
import { startEmbeddedServer, type EmbeddedServer } from '../api/src/db/embedded-server.js';
import { migrateLatest } from '../api/src/db/migrator.js';
import { generateFixtures } from '../fixtures/src/index.js';
import { compactBundles } from '../etl/src/demo.js';
import { loadInbox } from '../etl/src/load/inbox.js';
import { VOUCHER_HEADER } from '../api/src/testing/bundles.js';
import { arg } from './args.js';
import { formatThreadCpu, threadCpu } from './thread-cpu.js';

const N = Number(arg('vouchers', '1000000'));
// As of the clock's yesterday, like a nightly load.
const TODAY = today();
const DATE = addDays(TODAY, -1);

async function main() {
  if (!process.execArgv.some((a) => a.startsWith('--max-semi-space-size'))) {
    console.log('note: run through `npm run bench:etl` for the node flags the app uses (--max-semi-space-size)');
  }
  let embedded: EmbeddedServer | undefined;
  const workDir = path.join(ROOT_DIR, '.data/bench-etl', String(process.pid));
  let adminUrl = process.env.DATABASE_URL;
  if (!adminUrl) {
    embedded = await startEmbeddedServer({ dataDir: path.join(workDir, 'pg'), fast: true });
    adminUrl = embedded.url;
  }
  const dbName = `bw_bench_etl_${process.pid}`;
  await ensureDatabase(adminUrl, dbName);
  const knex = createKnex(withDatabase(adminUrl, dbName));
  try {
    await migrateLatest(knex);
    const inbox = path.join(workDir, 'inbox');
    let t = performance.now();
    const generated = path.join(workDir, 'generated');
    const g = await generateFixtures({ out: generated, seed: 1, vouchers: N, until: DATE });
    compactBundles(generated, inbox, DATE);
    fs.rmSync(generated, { recursive: true, force: true });
    console.log(`fixture generator: ${g.bundles} daily bundles compacted to one per region`);
    const voucherFiles = fs.readdirSync(inbox).map((r) => path.join(inbox, r, DATE, 'payment_vouchers.csv')).filter((f) => fs.existsSync(f));
    const mb = voucherFiles.reduce((n, f) => n + fs.statSync(f).size, 0) / 1e6;
    console.log(`bundles written: ${N.toLocaleString()} vouchers, ${mb.toFixed(0)} MB in ${((performance.now() - t) / 1000).toFixed(1)} s`);

    // Baseline: raw COPY of the same voucher files into a bare table of the same columns; the
    // best of three (it varies by a second from run to run here), which makes the ratio the least flattering.
    const conn = (await knex.client.acquireConnection()) as PoolClient;
    let rawSeconds = Infinity;
    for (let i = 0; i < 3; i++) {
      await knex.raw(`create table bench_raw_vouchers (${VOUCHER_HEADER.map((c) => `${c} text`).join(', ')})`);
      t = performance.now();
      for (const f of voucherFiles) {
        await pipeline(fs.createReadStream(f), conn.query(copyFrom('copy bench_raw_vouchers from stdin with (format csv, header true)')));
      }
      rawSeconds = Math.min(rawSeconds, (performance.now() - t) / 1000);
      await knex.raw('drop table bench_raw_vouchers');
    }

    await knex.client.releaseConnection(conn);
    // The baseline's dirty pages written out now, not by a checkpoint in the middle of the load.
    await knex.raw('checkpoint');

    const cpu = threadCpu();
    t = performance.now();
    let last = 0;
    const run = await loadInbox(knex, inbox, {
      today: TODAY,
      postLoad: [], // the loader only: aggregates and rules have their own benches
      onProgress: (p) => {
        if (p.rowsRead - last >= 200_000 || p.rowsRead < last) {
          last = p.rowsRead;
          process.stderr.write(`\r  ${p.regionCode} ${p.feed} ${p.rowsRead.toLocaleString()} rows…   `);
        }
      },
    });
    const seconds = (performance.now() - t) / 1000;
    const loadCpu = cpu.stop();
    process.stderr.write('\n');

    // A floor for any loader that leaves the vouchers queryable as the dashboard needs them:
    // the raw COPY plus building payment_vouchers' own indexes (primary key + seven, every
    // partition) over the rows just loaded, with the settings the loader builds them with.
    // (REINDEX of a partitioned table refuses to run in a transaction block: session settings.)
    const session = (await knex.client.acquireConnection()) as PoolClient;
    await session.query(`set maintenance_work_mem = '256MB'`);
    await session.query('set max_parallel_maintenance_workers = 1');
    t = performance.now();
    await session.query('reindex table payment_vouchers');
    const reindex = (performance.now() - t) / 1000;
    const { rows: [{ n: indexCount }] } = await session.query<{ n: number }>(`select count(*)::int as n from pg_indexes where tablename = 'payment_vouchers'`);
    await session.query('reset all');
    await knex.client.releaseConnection(session);
    const floorSeconds = rawSeconds + reindex;
    const bad = run.results.find((r) => r.outcome !== 'committed');
    if (bad) throw new Error(`load ${bad.outcome}: ${bad.reason}`);
    const files = run.results.flatMap((r) => r.files.filter((f) => f.feed === 'payment_vouchers'));
    const loaded = files.reduce((n, f) => n + f.rowsLoaded, 0);
    const quarantined = files.reduce((n, f) => n + f.quarantined, 0);
    const stage = files.reduce((n, f) => n + f.stageSeconds, 0);
    const merge = files.reduce((n, f) => n + f.mergeSeconds, 0);
    const allRows = run.results.reduce((n, r) => n + r.rowsRead, 0);
    console.log(`raw COPY into a bare table : best of 3 ${rawSeconds.toFixed(2)} s  ${Math.round(N / rawSeconds).toLocaleString()} vouchers/s`);
    console.log(`loader end to end          : ${seconds.toFixed(2)} s  ${Math.round(N / seconds).toLocaleString()} vouchers/s  (${run.results.length} bundles, ${allRows.toLocaleString()} rows of all feeds; vouchers loaded ${loaded.toLocaleString()}, quarantined ${quarantined})`);
    console.log(`ratio loader / raw COPY    : ${(seconds / rawSeconds).toFixed(2)}×`);
    console.log(`floor: raw COPY + building the table's ${indexCount} indexes over these rows (${reindex.toFixed(2)} s) = ${floorSeconds.toFixed(2)} s; loader / floor ${(seconds / floorSeconds).toFixed(2)}×`);
    console.log(`  vouchers: read + validate + COPY (into the table on a first delivery, else the stage) ${stage.toFixed(2)} s; quarantine + history + merge + index rebuild ${merge.toFixed(2)} s`);
    // On two cores the load cannot go faster than its CPU sum over 2.
    for (const line of formatThreadCpu([`of the load (${seconds.toFixed(2)} s on 2 cores)`], loadCpu)) console.log(line);
    const load = fs.readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');
    console.log(`  machine load average during the run: ${load} (2 cores)`);
  } finally {
    await knex.destroy();
    const admin = createKnex(adminUrl, { min: 0, max: 1 });
    await admin.raw('drop database if exists ?? with (force)', [dbName]).catch(() => {});
    await admin.destroy();
    await embedded?.stop();
    fs.rmSync(workDir, { recursive: true, force: true });
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
