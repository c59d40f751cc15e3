import fs from 'node:fs';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import type { Knex } from 'knex';
import type { PoolClient } from 'pg';
import { to as copyTo } from 'pg-copy-streams';
import { FEEDS } from './feeds/index.js';
import { BUSINESS_DATE } from './dates.js';
import type { Manifest } from './load/manifest.js';

export interface ExportResult {
  dir: string;
  feeds: { feed: string; rows: number; amountSum: string | null }[];
}

/**
 * Write a region's data as of a business date as a delivery bundle for the level above:
 * `<out>/<region>/<date>/<feed>.csv` (UTF-8, English headers, every feed column) and a
 * _manifest.json with row counts and exact amount sums. "As of" = the current version of
 * every row loaded by a batch of that date or earlier. PostgreSQL writes the CSV (COPY TO):
 * numeric and date text come out exactly as stored.
 */
export async function exportRegion(
  knex: Knex,
  opts: { regionCode: string; businessDate: string; outDir: string },
): Promise<ExportResult> {
  if (!BUSINESS_DATE.test(opts.businessDate)) throw new Error(`业务日期不是 YYYY-MM-DD：${opts.businessDate}`);
  const dir = path.join(opts.outDir, opts.regionCode, opts.businessDate);
  fs.mkdirSync(dir, { recursive: true });
  const manifest: Manifest = { feeds: {} };
  const result: ExportResult = { dir, feeds: [] };
  const conn = (await knex.client.acquireConnection()) as PoolClient;
  try {
    await conn.query('begin isolation level repeatable read read only'); // one consistent snapshot for all files
    for (const feed of FEEDS) {
      const cols = feed.columns.map((c) => `t."${c.key}"`).join(', ');
      const where = `t.region_code = ${literal(opts.regionCode)} and t.batch_id in (select id from batches where region_code = ${literal(
        opts.regionCode,
      )} and business_date <= ${literal(opts.businessDate)}::date)`;
      const amount = feed.amountColumn ? `coalesce(sum(t."${feed.amountColumn}"), 0)::text` : 'null';
      const { rows } = await conn.query(`select count(*)::int as n, ${amount} as s from ${feed.table} t where ${where}`);
      const n = rows[0].n as number;
      if (n === 0) continue;
      const order = feed.key.map((k) => `t."${k}"`).join(', ');
      await pipeline(
        conn.query(copyTo(`copy (select ${cols} from ${feed.table} t where ${where} order by ${order}) to stdout with (format csv, header true)`)),
        fs.createWriteStream(path.join(dir, `${feed.name}.csv`)),
      );
      manifest.feeds[feed.name] = { rows: n, ...(feed.amountColumn ? { amount_sum: rows[0].s as string } : {}) };
      result.feeds.push({ feed: feed.name, rows: n, amountSum: feed.amountColumn ? (rows[0].s as string) : null });
    }
    await conn.query('commit');
  } catch (err) {
    await conn.query('rollback').catch(() => {});
    throw err;
  } finally {
    await knex.client.releaseConnection(conn);
  }
  fs.writeFileSync(path.join(dir, '_manifest.json'), `${JSON.stringify(manifest, null, 2)}\n`);
  return result;
}

// COPY (query) takes no bind parameters; both values are validated codes/dates, quoted anyway.
function literal(v: string): string {
  if (!/^[0-9-]+$/.test(v)) throw new Error(`非法的代码或日期：${v}`);
  return `'${v}'`;
}
