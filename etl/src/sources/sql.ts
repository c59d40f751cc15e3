import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import type { Knex } from 'knex';
import pg from 'pg';
import { to as copyTo } from 'pg-copy-streams';
import { BUSINESS_DATE } from '../dates.js';
import { FEEDS_BY_NAME } from '../feeds/index.js';

/**
 * A SQL source: another PostgreSQL database (how a finance system's standard data interface
 * is usually exposed) with one query per feed returning the feed's columns for a business
 * date. Stored in data_sources (kind 'sql'), config:
 *   { "name": "财政一体化系统", "url": "postgres://…", "queries": { "payment_vouchers":
 *     "select voucher_no, … from v_pay where pay_date = :business_date", … } }
 * `:business_date` is replaced by the date as a quoted literal (validated YYYY-MM-DD).
 * Each query is streamed out with COPY … TO STDOUT as CSV into a bundle folder, which is
 * then loaded like any delivery: same readers, validation, lineage and history.
 */
export interface SqlSourceConfig {
  name?: string;
  url: string;
  queries: Record<string, string>;
}

export interface SqlSource {
  id: string;
  regionCode: string;
  config: SqlSourceConfig;
}

export async function enabledSqlSources(knex: Knex, regionCode?: string): Promise<SqlSource[]> {
  const q = knex('data_sources').where({ kind: 'sql', enabled: true }).orderBy('id');
  if (regionCode) q.where({ region_code: regionCode });
  return (await q).map((r) => ({ id: String(r.id), regionCode: r.region_code, config: r.config as SqlSourceConfig }));
}

export function sourceName(s: SqlSource): string {
  return `sql:${s.config.name ?? s.id}`;
}

/** Run every configured query for the date into `<workDir>/<region>/<date>/<feed>.csv`. */
export async function fetchSqlBundle(source: SqlSource, businessDate: string, workDir: string): Promise<string> {
  if (!BUSINESS_DATE.test(businessDate)) throw new Error(`业务日期不是 YYYY-MM-DD：${businessDate}`);
  const dir = path.join(workDir, source.regionCode, businessDate);
  fs.mkdirSync(dir, { recursive: true });
  const client = new pg.Client({ connectionString: source.config.url });
  await client.connect();
  try {
    await client.query('begin isolation level repeatable read read only');
    for (const [feed, sql] of Object.entries(source.config.queries)) {
      if (!FEEDS_BY_NAME.has(feed)) throw new Error(`数据源 ${sourceName(source)} 配置了未知的数据集：${feed}`);
      const query = sql.replace(/:business_date\b/g, `'${businessDate}'::date`).replace(/;\s*$/, '');
      await pipeline(
        client.query(copyTo(`copy (${query}) to stdout with (format csv, header true)`)),
        fs.createWriteStream(path.join(dir, `${feed}.csv`)),
      );
    }
    await client.query('commit');
  } finally {
    await client.end();
  }
  return dir;
}

/** A private folder for one fetch; removed by the caller after the load. */
export function sqlWorkDir(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'bw-sql-source-'));
}
