import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Knex } from 'knex';
import { FEEDS } from '../../../etl/src/index.js';

/** Helpers for ETL tests: write small bundles and fingerprint the loaded state. */

export function tempInbox(prefix = 'bw-etl-'): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

/** Write `<inbox>/<region>/<date>/<file>` for each entry; strings are written as UTF-8. */
export function writeBundle(inbox: string, region: string, date: string, files: Record<string, string | Buffer>): string {
  const dir = path.join(inbox, region, date);
  fs.mkdirSync(dir, { recursive: true });
  for (const [name, content] of Object.entries(files)) fs.writeFileSync(path.join(dir, name), content);
  return dir;
}

/** CSV text from rows of cells (RFC 4180 quoting where needed). */
export function csv(rows: (string | number | null)[][], eol = '\n'): string {
  const cell = (v: string | number | null) => {
    const s = v === null ? '' : String(v);
    return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
  };
  return rows.map((r) => r.map(cell).join(',')).join(eol) + eol;
}

/** md5 of every feed table and superseded_rows: equal hashes = identical loaded state. */
export async function feedTablesHash(knex: Knex): Promise<string> {
  const parts: string[] = [];
  for (const table of [...FEEDS.map((f) => f.table), 'superseded_rows']) {
    const { rows } = await knex.raw(`select coalesce(md5(string_agg(t::text, E'\\n' order by t::text)), '') as h, count(*)::int as n from ?? t`, [table]);
    parts.push(`${table}:${rows[0].n}:${rows[0].h}`);
  }
  return parts.join(' ');
}

export const AGENCIES_HEADER = ['agency_code', 'agency_name', 'parent_code', 'agency_type'];
export const VOUCHER_HEADER = [
  'voucher_no', 'fiscal_year', 'pay_date', 'agency_code', 'indicator_no', 'func_code', 'econ_code', 'fund_type',
  'project_code', 'payee_name', 'payee_account', 'pay_method', 'purpose', 'amount',
];

/** A voucher row with sensible defaults. */
export function voucher(no: string, amount: string, over: Partial<Record<string, string>> = {}): string[] {
  const v: Record<string, string> = {
    voucher_no: no, fiscal_year: '2026', pay_date: '2026-11-20', agency_code: '411100101001', indicator_no: 'ZB1',
    func_code: '2050202', econ_code: '30201', fund_type: '1', project_code: '', payee_name: '漯河市新华书店',
    payee_account: '410701234567', pay_method: '国库集中支付', purpose: '办公用品', amount, ...over,
  };
  return VOUCHER_HEADER.map((k) => v[k]);
}

export const AGENCIES_CSV = csv([
  AGENCIES_HEADER,
  ['411100101', '教育局', '', '行政'],
  ['411100101001', '第一实验小学', '411100101', '事业'],
  ['411100102', '卫生健康委员会', '', '行政'],
]);
