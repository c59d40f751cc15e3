/**
 * bench/etl: load N payment vouchers (default 1,000,000) end to end through the loader and
 * compare with a raw COPY of the same voucher files into a bare table (no indexes, no
 * validation), measured in the same run on the same server.
 *
 *   npm run bench:etl -- [--vouchers N] [--writer fixtures|own]
 *
 * (npm run gives node the young-generation size the app and `npm run etl` run with; a plain
 * `npx tsx bench/etl.ts` works too and says so, ~0.9 s slower per 1M rows in garbage collection.)
 *
 * fixtures (default): the fixture generator's demo city, its daily bundles compacted into one
 *   bundle per region (the final state — a large nightly delivery), loaded with loadInbox.
 * own: one bundle of agencies + N vouchers from the writer below (same format).
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
import { csv, VOUCHER_HEADER, AGENCIES_HEADER } from '../api/src/testing/bundles.js';

const arg = (name: string, fallback: string) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1] : fallback;
};
const N = Number(arg('vouchers', '1000000'));
const WRITER = arg('writer', 'fixtures');
const REGION = '411100';
// As of the clock's yesterday, like a nightly load; the own writer's vouchers are last year's.
const TODAY = today();
const DATE = addDays(TODAY, -1);
const FY = Number(DATE.slice(0, 4)) - 1;

function rng(seed: number) {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A bundle of agencies + N vouchers in the delivery format. */
async function writeOwnBundle(dir: string): Promise<void> {
  fs.mkdirSync(dir, { recursive: true });
  const agencies: string[][] = [AGENCIES_HEADER];
  const units: string[] = [];
  for (let d = 1; d <= 40; d++) {
    const dept = `${REGION}${String(100 + d)}`;
    agencies.push([dept, `部门${d}`, '', '行政']);
    for (let u = 1; u <= 10; u++) {
      const unit = `${dept}${String(u).padStart(3, '0')}`;
      agencies.push([unit, `部门${d}下属单位${u}`, dept, '事业']);
      units.push(unit);
    }
  }
  fs.writeFileSync(path.join(dir, 'agencies.csv'), csv(agencies));
  const rand = rng(42);
  const funcs = ['2050202', '2100408', '2130122', '2010601', '2080109', '20101', '205'];
  const econs = ['30101', '30201', '31002', '30217', '30211'];
  const out = fs.createWriteStream(path.join(dir, 'payment_vouchers.csv'));
  out.write(`${VOUCHER_HEADER.join(',')}\n`);
  let buf = '';
  for (let i = 0; i < N; i++) {
    const unit = units[Math.floor(rand() * units.length)];
    const m = 1 + Math.floor(rand() * 10);
    const d = 1 + Math.floor(rand() * 28);
    const cents = Math.floor(rand() * 100_000_000); // integer cents, formatted as text below
    const amount = `${Math.floor(cents / 100)}.${String(cents % 100).padStart(2, '0')}`;
    buf += `PZ${FY}${String(i).padStart(9, '0')},${FY},${FY}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')},${unit},ZB${FY}${unit}${1 + (i % 3)},${funcs[i % funcs.length]},${econs[i % econs.length]},1,,收款单位${i % 997},6222${String(i).padStart(12, '0')},国库集中支付,"办公用品采购,第${i % 12}批",${amount}\n`;
    if (buf.length > 1 << 20) {
      if (!out.write(buf)) await new Promise<void>((r) => out.once('drain', () => r()));
      buf = '';
    }
  }
  out.end(buf);
  await new Promise<void>((r) => out.once('finish', () => r()));
}

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
    if (WRITER === 'own') {
      await writeOwnBundle(path.join(inbox, REGION, DATE));
    } else {
      const generated = path.join(workDir, 'generated');
      const g = await generateFixtures({ out: generated, seed: 1, vouchers: N, until: DATE });
      compactBundles(generated, inbox, DATE);
      fs.rmSync(generated, { recursive: true, force: true });
      console.log(`fixture generator: ${g.bundles} daily bundles compacted to one per region`);
    }
    const voucherFiles = fs.readdirSync(inbox).map((r) => path.join(inbox, r, DATE, 'payment_vouchers.csv')).filter((f) => fs.existsSync(f));
    const mb = voucherFiles.reduce((n, f) => n + fs.statSync(f).size, 0) / 1e6;
    console.log(`bundles written (${WRITER}): ${N.toLocaleString()} vouchers, ${mb.toFixed(0)} MB in ${((performance.now() - t) / 1000).toFixed(1)} s`);

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
    process.stderr.write('\n');

    // A floor for any loader that leaves the vouchers queryable as the dashboard needs them:
    // the raw COPY plus building payment_vouchers' own indexes (primary key + six, every
    // partition) over the rows just loaded, with the settings the loader builds them with.
    // (REINDEX of a partitioned table refuses to run in a transaction block: session settings.)
    const session = (await knex.client.acquireConnection()) as PoolClient;
    await session.query(`set maintenance_work_mem = '256MB'`);
    await session.query('set max_parallel_maintenance_workers = 1');
    t = performance.now();
    await session.query('reindex table payment_vouchers');
    const reindex = (performance.now() - t) / 1000;
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
    console.log(`floor: raw COPY + building the table's 7 indexes over these rows (${reindex.toFixed(2)} s) = ${floorSeconds.toFixed(2)} s; loader / floor ${(seconds / floorSeconds).toFixed(2)}×`);
    console.log(`  vouchers: read + validate + COPY (into the table on a first delivery, else the stage) ${stage.toFixed(2)} s; quarantine + history + merge + index rebuild ${merge.toFixed(2)} s`);
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
