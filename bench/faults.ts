/**
 * bench/faults: replay a load and a list of faults (issue 13's loads half, issue 21's inbox and
 * encoding cases) against a fresh database, and print for each fault what the loader did,
 * the rows lost and the regions left stale.
 *
 *   npx tsx bench/faults.ts [--vouchers N]     (N per region for the base load, default 5,000)
 *
 * Rows lost: payment_vouchers per region by count, exact sum and an md5 over its rows, taken
 * before and after each fault: a rejected bundle must leave them identical; a bundle that
 * commits with quarantined rows must add exactly its good rows. Stale regions: the dashboard's
 * aggregates (mv_exec_dept_day, which the drill-down API answers from) against the table, per
 * region, by voucher count and sum — taken right after the faulty run, and for a killed loader
 * after the next ordinary run (which must catch up). Goal: 0 lost, 0 stale.
 * Uses DATABASE_URL when set, else a throw-away embedded cluster under .data/bench-faults.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import ExcelJS from 'exceljs';
import iconv from 'iconv-lite';
import type { Knex } from 'knex';
import { ROOT_DIR } from '../api/src/config.js';
import { addDays, today } from '../api/src/clock.js';
import { withDatabase } from '../api/src/db/connection.js';
import { loadInbox, type RunResult } from '../etl/src/load/inbox.js';
import { POST_LOAD_HOOKS } from '../api/src/post-load.js';
import { csv, VOUCHER_HEADER, voucher, writeBundle } from '../api/src/testing/bundles.js';
import { openBenchDatabase } from './bench-database.js';
import { arg } from './args.js';

const N = Number(arg('vouchers', '5000'));
const REGIONS = ['411100', '411102'] as const;
const TODAY = today();
/** The base load's business date; each fault gets the next day (all in the past). */
const BASE_DATE = addDays(TODAY, -40);
const STALL_SECONDS = 10;

type Snapshot = Map<string, { n: number; sum: string; hash: string }>;

async function snapshot(knex: Knex): Promise<Snapshot> {
  const { rows } = await knex.raw(
    `select region_code, count(*)::int as n, coalesce(sum(amount), 0)::text as sum, md5(string_agg(t::text, E'\\n' order by voucher_no)) as hash
       from payment_vouchers t group by region_code`,
  );
  return new Map(rows.map((r: { region_code: string; n: number; sum: string; hash: string }) => [r.region_code, r]));
}

/** Regions whose dashboard figures differ from the table. */
async function staleRegions(knex: Knex): Promise<string[]> {
  const { rows } = await knex.raw(
    `select coalesce(t.region_code, m.region_code) as region
       from (select region_code, count(*)::bigint as n, sum(amount) as s from payment_vouchers group by 1) t
       full join (select region_code, sum(vouchers)::bigint as n, sum(paid) as s from mv_exec_dept_day where vouchers > 0 or paid <> 0 group by 1) m
         on m.region_code = t.region_code
      where t.n is distinct from m.n or t.s is distinct from m.s`,
  );
  return rows.map((r: { region: string }) => r.region);
}

const cents = (s: string) => BigInt(s.replace('.', '').replace(/^(-?)0+(?=\d)/, '$1'));

interface Fault {
  name: string;
  /** What must happen: the fault's bundle rejected (or not loaded at all), or committed (bad rows quarantined, good rows in). */
  expect: 'rejected' | 'committed';
  /** Good rows the fault's bundle adds (committed faults): voucher count and sum in cents. */
  adds?: { region: string; n: number; cents: bigint };
  /** Inject the fault; returns when the faulty run is over (and, for a killed loader, after the next ordinary run). */
  run(ctx: Ctx): Promise<{ outcome: string; detail: string }>;
}

interface Ctx {
  knex: Knex;
  url: string;
  inbox: string;
  outside: string;
  agency: Record<string, string>;
}

const v = (ctx: Ctx, region: string, no: string, amount: string, over: Record<string, string> = {}) =>
  voucher(no, amount, { agency_code: ctx.agency[region], indicator_no: '', pay_date: BASE_DATE, fiscal_year: BASE_DATE.slice(0, 4), ...over });

async function load(ctx: Ctx, date?: string): Promise<RunResult> {
  return loadInbox(ctx.knex, ctx.inbox, { today: TODAY, date, timeouts: { stallSeconds: STALL_SECONDS }, postLoad: POST_LOAD_HOOKS });
}

const describe = (r: RunResult, date: string) => {
  const b = r.results.filter((x) => x.businessDate === date);
  const outcome = b.map((x) => x.outcome).join('+') || (r.skipped.length ? 'skipped' : 'nothing');
  const detail = [...b.map((x) => x.reason ?? (x.rowsQuarantined ? `隔离 ${x.rowsQuarantined} 行` : '')), ...r.skipped.map((s) => `${path.basename(s.path)}: ${s.reason}`)]
    .filter(Boolean)
    .join('；');
  return { outcome: r.postLoadErrors.length ? `${outcome} (post-load failed)` : outcome, detail };
};

function cli(ctx: Ctx, args: string[]) {
  return spawn(process.execPath, ['--import', 'tsx', path.join(ROOT_DIR, 'api/src/cli/etl.ts'), ...args], {
    cwd: ROOT_DIR,
    env: { ...process.env, DATABASE_URL: ctx.url, BW_ETL_PROGRESS_MS: '0', BW_ETL_STALL_TIMEOUT: String(STALL_SECONDS) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

async function writeXlsx(file: string, rows: string[][]): Promise<void> {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('支付凭证');
  for (const r of rows) ws.addRow(r);
  await wb.xlsx.writeFile(file);
}

let day = 0;
/** A fresh business date per fault, so each fault's bundle is its own. */
const nextDate = () => addDays(BASE_DATE, 1 + day++);

const FAULTS: Fault[] = [
  {
    name: 'truncated .xlsx (cut in the middle of the zip)',
    expect: 'rejected',
    async run(ctx) {
      const d = nextDate();
      const dir = writeBundle(ctx.inbox, '411100', d, {});
      const file = path.join(dir, 'payment_vouchers.xlsx');
      await writeXlsx(file, [VOUCHER_HEADER, ...Array.from({ length: 3000 }, (_, i) => v(ctx, '411100', `TX${i}`, '1.00'))]);
      fs.truncateSync(file, Math.floor(fs.statSync(file).size * 0.6));
      return describe(await load(ctx, d), d);
    },
  },
  {
    name: 'not a zip at all (.xlsx of text)',
    expect: 'rejected',
    async run(ctx) {
      const d = nextDate();
      writeBundle(ctx.inbox, '411100', d, { 'payment_vouchers.xlsx': 'voucher_no,amount\n1,2\n' });
      return describe(await load(ctx, d), d);
    },
  },
  {
    name: 'amount 9999999999999999.99 beside good rows',
    expect: 'committed',
    adds: { region: '411100', n: 2, cents: 300n },
    async run(ctx) {
      const d = nextDate();
      writeBundle(ctx.inbox, '411100', d, { 'payment_vouchers.csv': csv([VOUCHER_HEADER, v(ctx, '411100', 'AM1', '1.00'), v(ctx, '411100', 'AMX', '9999999999999999.99'), v(ctx, '411100', 'AM2', '2.00')]) });
      return describe(await load(ctx, d), d);
    },
  },
  {
    name: 'pay dates 9999-12-31 and 1900-01-01 beside a good row',
    expect: 'committed',
    adds: { region: '411102', n: 1, cents: 500n },
    async run(ctx) {
      const d = nextDate();
      writeBundle(ctx.inbox, '411102', d, {
        'payment_vouchers.csv': csv([
          VOUCHER_HEADER, v(ctx, '411102', 'PD1', '5.00'), v(ctx, '411102', 'PD9', '1.00', { pay_date: '9999-12-31' }), v(ctx, '411102', 'PD0', '1.00', { pay_date: '1900-01-01' }),
        ]),
      });
      return describe(await load(ctx, d), d);
    },
  },
  {
    name: '20 MB payee_name beside a good row',
    expect: 'committed',
    adds: { region: '411100', n: 1, cents: 700n },
    async run(ctx) {
      const d = nextDate();
      writeBundle(ctx.inbox, '411100', d, { 'payment_vouchers.csv': csv([VOUCHER_HEADER, v(ctx, '411100', 'LN1', '7.00'), v(ctx, '411100', 'LNX', '1.00', { payee_name: 'x'.repeat(20_000_000) })]) });
      return describe(await load(ctx, d), d);
    },
  },
  {
    name: 'a file whose rows are all bad',
    expect: 'committed',
    adds: { region: '411102', n: 0, cents: 0n },
    async run(ctx) {
      const d = nextDate();
      writeBundle(ctx.inbox, '411102', d, { 'payment_vouchers.csv': csv([VOUCHER_HEADER, v(ctx, '411102', 'AB1', 'abc'), v(ctx, '411102', 'AB2', '1.00', { fund_type: '9' })]) });
      return describe(await load(ctx, d), d);
    },
  },
  {
    name: 'UTF-8 CSV with one GB18030 row',
    expect: 'rejected',
    async run(ctx) {
      const d = nextDate();
      const utf8 = (no: string) => Buffer.from(csv([v(ctx, '411100', no, '1.00', { payee_name: '漯河市第一建筑公司' })]));
      const gb = iconv.encode(csv([v(ctx, '411100', 'MX3', '1.00', { payee_name: '源汇区供电公司' })]), 'gb18030');
      writeBundle(ctx.inbox, '411100', d, { 'payment_vouchers.csv': Buffer.concat([Buffer.from(csv([VOUCHER_HEADER])), utf8('MX1'), utf8('MX2'), gb, utf8('MX4')]) });
      return describe(await load(ctx, d), d);
    },
  },
  {
    name: 'UTF-16 CSV',
    expect: 'rejected',
    async run(ctx) {
      const d = nextDate();
      const text = csv([VOUCHER_HEADER, v(ctx, '411100', 'U16', '1.00')]);
      writeBundle(ctx.inbox, '411100', d, { 'payment_vouchers.csv': Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]) });
      return describe(await load(ctx, d), d);
    },
  },
  {
    name: 'manifest says more rows than the file holds (truncated CSV)',
    expect: 'rejected',
    async run(ctx) {
      const d = nextDate();
      writeBundle(ctx.inbox, '411102', d, {
        'payment_vouchers.csv': csv([VOUCHER_HEADER, v(ctx, '411102', 'TR1', '1.00')]),
        '_manifest.json': JSON.stringify({ feeds: { payment_vouchers: { rows: 2, amount_sum: '2.00' } } }),
      });
      return describe(await load(ctx, d), d);
    },
  },
  {
    name: 'feed file symlinked to /etc/passwd',
    expect: 'rejected',
    async run(ctx) {
      const d = nextDate();
      const dir = writeBundle(ctx.inbox, '411100', d, {});
      fs.symlinkSync('/etc/passwd', path.join(dir, 'agencies.csv'));
      return describe(await load(ctx, d), d);
    },
  },
  {
    name: 'region folder symlinked out of the inbox (holding a valid bundle)',
    expect: 'rejected',
    async run(ctx) {
      const d = nextDate();
      writeBundle(ctx.outside, 'x', d, { 'payment_vouchers.csv': csv([VOUCHER_HEADER, v(ctx, '411102', 'OUT1', '1.00')]) });
      fs.symlinkSync(path.join(ctx.outside, 'x'), path.join(ctx.inbox, '411103'));
      const r = await load(ctx);
      fs.unlinkSync(path.join(ctx.inbox, '411103'));
      return describe(r, d);
    },
  },
  {
    name: 'dangling symlink, 0000-00-00, <year>-13-45 and <yyyymmdd> folders beside a good bundle',
    expect: 'committed',
    adds: { region: '411100', n: 2, cents: 1100n },
    async run(ctx) {
      const d = nextDate();
      writeBundle(ctx.inbox, '411100', d, { 'payment_vouchers.csv': csv([VOUCHER_HEADER, v(ctx, '411100', 'GB1', '5.00'), v(ctx, '411100', 'GB2', '6.00')]) });
      const bad = ['0000-00-00', `${BASE_DATE.slice(0, 4)}-13-45`, BASE_DATE.replace(/-/g, '')].map((x) => writeBundle(ctx.inbox, '411102', x, { 'payment_vouchers.csv': csv([VOUCHER_HEADER, v(ctx, '411102', `BD${x}`, '1.00')]) }));
      fs.symlinkSync(path.join(ctx.outside, 'gone'), path.join(ctx.inbox, '411104'));
      const r = await load(ctx);
      for (const b of bad) fs.rmSync(b, { recursive: true });
      fs.unlinkSync(path.join(ctx.inbox, '411104'));
      const out = describe(r, d);
      return { outcome: out.outcome.replace(/^committed$/, 'committed, others skipped'), detail: out.detail };
    },
  },
  {
    name: 'kill -9 in the middle of the COPY (150,000 rows)',
    expect: 'rejected',
    async run(ctx) {
      const d = nextDate();
      const dir = writeBundle(ctx.inbox, '411102', d, {});
      const out = fs.createWriteStream(path.join(dir, 'payment_vouchers.csv'));
      out.write(`${VOUCHER_HEADER.join(',')}\n`);
      for (let i = 0; i < 150_000; i++) out.write(csv([v(ctx, '411102', `K${i}`, '1.00')]));
      await new Promise<void>((r) => out.end(() => r()));
      const child = cli(ctx, ['load', '--inbox', ctx.inbox, '--date', d]);
      let err = '';
      const killed = new Promise<string>((resolve) => {
        child.stderr.on('data', (b: Buffer) => {
          err += b.toString();
          const m = [...err.matchAll(/已读 ([\d,]+) 行/g)].pop();
          if (m && Number(m[1].replace(/,/g, '')) >= 60_000 && child.exitCode === null) child.kill('SIGKILL');
        });
        child.on('exit', (code, signal) => resolve(signal ?? `exit ${code}`));
      });
      const how = await killed;
      fs.rmSync(dir, { recursive: true }); // the sender withdraws it: the table must be as before
      const next = await load(ctx);
      const stale = await ctx.knex('batches').where({ business_date: d, status: 'committed' }).first();
      return { outcome: how === 'SIGKILL' ? (stale ? 'committed?!' : 'rolled back') : `not killed (${how})`, detail: `next run: ${next.results.length} bundles` };
    },
  },
  {
    name: 'kill -9 after commit, before the aggregate refresh',
    expect: 'committed',
    adds: { region: '411100', n: 3, cents: 600n },
    async run(ctx) {
      const d = nextDate();
      writeBundle(ctx.inbox, '411100', d, { 'payment_vouchers.csv': csv([VOUCHER_HEADER, v(ctx, '411100', 'PK1', '1.00'), v(ctx, '411100', 'PK2', '2.00'), v(ctx, '411100', 'PK3', '3.00')]) });
      const hold = await ctx.knex.transaction();
      await hold.raw('lock table mv_exec_func_day in exclusive mode'); // the post-load maintenance waits for it
      const child = cli(ctx, ['load', '--inbox', ctx.inbox, '--date', d]);
      let err = '';
      child.stderr.on('data', (b: Buffer) => (err += b.toString()));
      const exited = new Promise<string>((resolve) => child.on('exit', (code, signal) => resolve(signal ?? `exit ${code}`)));
      let how = 'not reached';
      try {
        for (let i = 0; i < 600; i++) {
          const { rows } = await ctx.knex.raw(
            `select count(*)::int as n from pg_stat_activity where datname = current_database() and wait_event_type = 'Lock' and query ilike 'delete from mv_exec_func_day%'`,
          );
          if (rows[0].n > 0 && /已提交/.test(err)) {
            child.kill('SIGKILL');
            how = await exited;
            break;
          }
          if (child.exitCode !== null) break;
          await new Promise((r) => setTimeout(r, 100));
        }
      } finally {
        await hold.rollback();
      }
      const staleAfterKill = await staleRegions(ctx.knex);
      const next = await load(ctx);
      return { outcome: how === 'SIGKILL' ? 'committed, then killed' : how, detail: `stale right after the kill: ${staleAfterKill.join(',') || 'none'}; next run caught up ${JSON.stringify((await ctx.knex('etl_runs').where({ id: next.runId }).first()).summary.postLoadCaughtUp)}` };
    },
  },
];

async function main() {
  const dbHandle = await openBenchDatabase('faults');
  const { knex } = dbHandle;
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'bw-faults-'));
  const ctx: Ctx = {
    knex, url: withDatabase(dbHandle.adminUrl, dbHandle.dbName), inbox: path.join(tmp, 'inbox'), outside: path.join(tmp, 'outside'),
    agency: {},
  };
  fs.mkdirSync(ctx.inbox);
  fs.mkdirSync(ctx.outside);
  try {
    // The base load: each region's agencies and N vouchers, aggregates and rules as every night.
    const t0 = performance.now();
    for (const region of REGIONS) {
      const dept = `${region}101`;
      ctx.agency[region] = `${dept}001`;
      writeBundle(ctx.inbox, region, BASE_DATE, {
        'agencies.csv': csv([['agency_code', 'agency_name', 'parent_code', 'agency_type'], [dept, '教育局', '', '行政'], [ctx.agency[region], '第一实验小学', dept, '事业']]),
        'payment_vouchers.csv': csv([VOUCHER_HEADER, ...Array.from({ length: N }, (_, i) => v(ctx, region, `B${i}`, `${(i % 997) + 1}.${String(i % 100).padStart(2, '0')}`))]),
      });
    }
    const base = await load(ctx);
    console.log(`base load: ${base.results.map((r) => `${r.regionCode} ${r.outcome} ${r.rowsLoaded}`).join(', ')} in ${((performance.now() - t0) / 1000).toFixed(1)} s; stale: ${(await staleRegions(knex)).length}`);

    let lost = 0;
    let stale = 0;
    let unexpected = 0;
    console.log('\nfault | expected | loader did | rows lost | stale regions | detail');
    for (const f of FAULTS) {
      const before = await snapshot(knex);
      const t = performance.now();
      const { outcome, detail } = await f.run(ctx);
      const after = await snapshot(knex);
      let faultLost = 0;
      for (const region of REGIONS) {
        const b = before.get(region)!;
        const a = after.get(region) ?? { n: 0, sum: '0', hash: '' };
        const add = f.adds?.region === region ? f.adds : { n: 0, cents: 0n };
        if (add.n === 0) {
          // Nothing may change: count, sum and every row's bytes.
          if (a.hash !== b.hash) faultLost += Math.max(1, Math.abs(b.n - a.n));
        } else if (a.n !== b.n + add.n || cents(a.sum) !== cents(b.sum) + add.cents) {
          faultLost += Math.max(1, Math.abs(b.n + add.n - a.n));
        }
      }
      const staleNow = await staleRegions(knex);
      const ok = f.expect === 'rejected' ? /rejected|skipped|rolled back/.test(outcome) : /committed/.test(outcome);
      if (!ok) unexpected++;
      lost += faultLost;
      stale += staleNow.length;
      console.log(`${f.name} | ${f.expect} | ${outcome} (${((performance.now() - t) / 1000).toFixed(1)} s)${ok ? '' : ' UNEXPECTED'} | ${faultLost} | ${staleNow.join(',') || 0} | ${detail.slice(0, 160)}`);
    }
    console.log(`\nfaults injected: ${FAULTS.length}; handled as expected: ${FAULTS.length - unexpected}; rows lost: ${lost}; stale regions: ${stale}`);
    process.exitCode = lost || stale || unexpected ? 1 : 0;
  } finally {
    await dbHandle.close();
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
