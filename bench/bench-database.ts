import fs from 'node:fs';
import path from 'node:path';
import type { Knex } from 'knex';
import { ROOT_DIR } from '../api/src/config.js';
import { createKnex, ensureDatabase, withDatabase } from '../api/src/db/connection.js';
import { startEmbeddedServer, type EmbeddedServer } from '../api/src/db/embedded-server.js';
import { migrateLatest } from '../api/src/db/migrator.js';
import { mapLimit } from '../api/src/parallel.js';
import { ensureRegionPartition } from '../etl/src/load/region-partition.js';
import { codeTableRegionCodes } from '../migrations/lib/code-tables.js';

export interface BenchDatabase {
  knex: Knex;
  adminUrl: string;
  dbName: string;
  /** The database's own URL (for a child process: the app a bench serves). */
  url: string;
  /** Drop the database and the throw-away cluster, unless `--keep` was given. */
  close(): Promise<void>;
}

/**
 * A migrated database for one benchmark run: on DATABASE_URL's server when set, else on a
 * throw-away embedded cluster under .data/bench-<name>/<pid> (fsync off).
 */
export async function openBenchDatabase(name: string): Promise<BenchDatabase> {
  const keep = process.argv.includes('--keep');
  const workDir = path.join(ROOT_DIR, `.data/bench-${name}`, String(process.pid));
  let embedded: EmbeddedServer | undefined;
  let adminUrl = process.env.DATABASE_URL;
  if (!adminUrl) {
    embedded = await startEmbeddedServer({ dataDir: path.join(workDir, 'pg'), fast: true });
    adminUrl = embedded.url;
  }
  const dbName = `bw_bench_${name}_${process.pid}`;
  await ensureDatabase(adminUrl, dbName);
  const knex = createKnex(withDatabase(adminUrl, dbName));
  await migrateLatest(knex);
  return {
    knex,
    adminUrl,
    dbName,
    url: withDatabase(adminUrl, dbName),
    async close() {
      await knex.destroy();
      if (!keep) {
        const admin = createKnex(adminUrl, { min: 0, max: 1 });
        await admin.raw('drop database if exists ?? with (force)', [dbName]).catch(() => {});
        await admin.destroy();
      }
      await embedded?.stop();
      if (embedded && !keep) fs.rmSync(workDir, { recursive: true, force: true });
    },
  };
}

/**
 * A partition of payment_vouchers for each region of the demo code table (the regions the
 * benches fill), as the loader makes on each region's first delivery — not one for every
 * division of China that `regions` holds.
 */
async function voucherPartitions(knex: Knex): Promise<void> {
  for (const code of codeTableRegionCodes()) await ensureRegionPartition((sql) => knex.raw(sql), 'payment_vouchers', code);
}

/**
 * Secondary indexes are rebuilt after the bulk insert (much faster than maintaining them row by
 * row). `opts.vacuum` names the tables the fill wrote, vacuumed alone; without it the whole
 * database is (at a step of bench/province every table the earlier steps and nights wrote:
 * 51 s at 400,000 vouchers, growing with the total).
 */
export async function withoutVoucherIndexes(
  knex: Knex,
  fill: () => Promise<void>,
  log?: (line: string) => void,
  opts: { vacuum?: readonly string[]; parallel?: number } = {},
): Promise<void> {
  await voucherPartitions(knex);
  const { rows } = await knex.raw<{ rows: { indexname: string; indexdef: string }[] }>(
    "select indexname, indexdef from pg_indexes where tablename = 'payment_vouchers' and indexname not like '%pkey'",
  );
  for (const r of rows) await knex.raw('drop index ??', [r.indexname]);
  await fill();
  // pg_indexes shows a partitioned table's index as `ON ONLY` (the parent alone, left invalid):
  // build it on every partition.
  for (const r of rows) {
    const t0 = performance.now();
    await knex.raw(r.indexdef.replace(' ON ONLY ', ' ON '));
    log?.(`index ${r.indexname} built in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  }
  // A settled table (hint bits set, visibility map, statistics), as after the nightly vacuum:
  // the first scan after a bulk insert otherwise rewrites every page once.
  const t0 = performance.now();
  if (!opts.vacuum) await knex.raw('vacuum analyze');
  const each: string[] = [];
  for (const t of opts.vacuum ?? []) {
    const t1 = performance.now();
    // A partitioned table's partitions `parallel` at once (VACUUM of the parent takes them one
    // by one: 58 s of a 3M step's 60), then its statistics (the parent's and each partition's).
    const { rows: parts } = await knex.raw<{ rows: { name: string }[] }>(
      `select c.relname as name from pg_inherits i join pg_class c on c.oid = i.inhrelid where i.inhparent = to_regclass(?) and c.relkind = 'r'`,
      [t],
    );
    if (parts.length && (opts.parallel ?? 1) > 1) {
      await mapLimit(parts, opts.parallel!, (part) => knex.raw('vacuum ??', [part.name]));
      const t2 = performance.now();
      await knex.raw('analyze ??', [t]);
      each.push(`${t} ${((t2 - t1) / 1000).toFixed(1)} + analyze ${((performance.now() - t2) / 1000).toFixed(1)}`);
      continue;
    }
    await knex.raw('vacuum analyze ??', [t]);
    each.push(`${t} ${((performance.now() - t1) / 1000).toFixed(1)}`);
  }
  log?.(`vacuum analyze in ${((performance.now() - t0) / 1000).toFixed(1)} s${each.length ? ` (${each.join(', ')})` : ''}`);
}
