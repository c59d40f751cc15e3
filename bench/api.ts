/**
 * bench/api: the API under load with N payment vouchers (default 5,000,000) in one city.
 *
 *   npx tsx bench/api.ts [--vouchers N] [--seconds 10] [--connections 8] [--measure-refresh] [--regions K] [--only TEXT]
 *
 * --regions K spreads the vouchers over the city and its first K − 1 counties (default 1: the
 * city alone) and adds 20,000 open alerts over them: the 全辖 cases (the province's and the
 * city's overview, the province's alerts list) then add up several regions. --only runs the
 * cases whose name contains TEXT (or any of TEXT,TEXT…).
 *
 * 1. A throw-away database (DATABASE_URL's server, else an embedded cluster under
 *    .data/bench-api) is migrated and filled with SQL generate_series: 40 departments ×
 *    10 units, their indicators, N vouchers of last fiscal year paid up to its 30 September (bench/as-of.ts).
 * 2. refreshAggregates fills the drill-down's materialized views.
 * 3. The real app is started in a child process (so the load generator does not share its
 *    event loop) and autocannon hits, over loopback, each for a bounded time:
 *    the overview, a department drill-down (departments list, units of one department) and
 *    voucher pages deep in the keyset (by date and by amount, whole city and one department).
 * 4. Each query is also run as the plain equivalent over payment_vouchers (GROUP BY, or
 *    OFFSET paging), and the ratio baseline ÷ API p50 is printed.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import autocannon from 'autocannon';
import type { Knex } from 'knex';
import { createApp } from '../api/src/app.js';
import { loadConfig, ROOT_DIR } from '../api/src/config.js';
import { createKnex, ensureDatabase, withDatabase } from '../api/src/db/connection.js';
import { startEmbeddedServer, type EmbeddedServer } from '../api/src/db/embedded-server.js';
import { withoutVoucherIndexes } from './bench-database.js';
import { migrateLatest } from '../api/src/db/migrator.js';
import { ensureDemoUsers } from '../api/src/demo/demo-users.js';
import { refreshAggregates } from '../api/src/features/drilldown/aggregates.js';
import { encodeCursor } from '../api/src/features/drilldown/schema.js';
import { BENCH_AS_OF, BENCH_YEAR } from './as-of.js';
import { generateAgencies, generateIndicators, generateVouchers, type RegionShape } from './generate.js';

const arg = (name: string, fallback: string) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1]! : fallback;
};
const REGION = '411100';
const AS_OF = BENCH_AS_OF;
const Y = BENCH_YEAR;

// ---- child mode: serve the app on a loopback port, print it, run until killed ------------
if (process.argv[2] === '--serve') {
  const knex = createKnex(process.argv[3]!, { min: 2, max: 10 });
  const config = { ...loadConfig({}), apiCache: process.env.BW_API_CACHE !== '0' };
  const server = createApp({ knex, config }).listen(0, '127.0.0.1', () => {
    process.stdout.write(`PORT ${(server.address() as AddressInfo).port}\n`);
  });
  process.on('SIGTERM', () => {
    server.close();
    void knex.destroy().then(() => process.exit(0));
  });
} else {
  main().catch((err) => {
    console.error(err);
    process.exit(1);
  });
}

const secs = (t0: number) => ((performance.now() - t0) / 1000).toFixed(1);

/** The city and its first k − 1 counties: the regions the vouchers are spread over. */
async function benchRegions(knex: Knex, k: number): Promise<string[]> {
  const counties: string[] = await knex('regions').where({ parent_code: REGION }).orderBy('code').limit(k - 1).pluck('code');
  return [REGION, ...counties];
}

async function generate(knex: Knex, n: number, regions: string[]) {
  const fills: (() => Promise<void>)[] = [];
  for (const [i, region] of regions.entries()) fills.push(await generateRegion(knex, region, Math.floor(n / regions.length) + (i < n % regions.length ? 1 : 0)));
  await withoutVoucherIndexes(knex, async () => {
    for (const fill of fills) await fill();
  });
  if (regions.length > 1) await generateAlerts(knex, regions, 20_000);
}

/** Open alerts spread over the regions (the alerts list's 全辖 case), as the rules engine would leave them. */
async function generateAlerts(knex: Knex, regions: string[], count: number) {
  await knex.raw(
    `insert into alerts (rule_id, region_code, subject_type, subject_key, subject_name, period, severity, status, measured, threshold,
                         explanation, drill_link, rule_version, opened_at, updated_at)
     select 'R0' || (1 + i % 9), (?::text[])[1 + i % ?], 'unit', 'unit:' || i, '单位' || i, '${Y}', (array['yellow','orange','red'])[1 + i % 3], 'new',
            '{}'::jsonb, '{}'::jsonb, '测试预警 ' || i, '{"route":"/drill","query":{}}'::jsonb, 1, now() - (i || ' minutes')::interval, now()
       from generate_series(1, ?) i`,
    [regions, regions.length, count],
  );
}

/** 40 departments × 10 units, indicators all issued on 10 January. */
const SHAPE: RegionShape = { depts: 40, unitsPerDept: 10, docPrefix: '漯财预', issuedOn: () => `date '${Y}-01-10'` };

/** One region's batch, agencies and indicators; its vouchers are inserted by the function returned (all regions' in one index-less fill). */
async function generateRegion(knex: Knex, region: string, n: number): Promise<() => Promise<void>> {
  const [{ id: batch }] = await knex('batches')
    .insert({ region_code: region, business_date: AS_OF, source: 'demo', location: 'bench', status: 'committed', committed_at: knex.fn.now() })
    .returning('id');
  await generateAgencies(knex, region, batch, SHAPE);
  await generateIndicators(knex, region, batch, SHAPE);
  return () => generateVouchers(knex, region, batch, n, SHAPE);
}

interface Load {
  p50: number;
  p95: number;
  p99: number;
  rps: number;
  non2xx: number;
}

/** autocannon for a bounded time; percentiles from every response time (autocannon's own histogram has no p95). */
async function load(url: string, cookie: string, seconds: number, connections: number): Promise<Load> {
  const times: number[] = [];
  const result = await new Promise<autocannon.Result>((resolve, reject) => {
    const instance = autocannon({ url, connections, duration: seconds, headers: { cookie } }, (err, r) => (err ? reject(err) : resolve(r)));
    instance.on('response', (_client, _status, _bytes, ms) => times.push(ms));
  });
  times.sort((a, b) => a - b);
  const q = (p: number) => times[Math.min(times.length - 1, Math.floor(p * times.length))] ?? NaN;
  return { p50: q(0.5), p95: q(0.95), p99: q(0.99), rps: result.requests.average, non2xx: result.non2xx };
}

/** Median wall time of a plain SQL query, run `times` times. */
async function timeSql(knex: Knex, sql: string, bindings: Knex.RawBinding[], times = 5): Promise<number> {
  const ms: number[] = [];
  for (let i = 0; i < times; i++) {
    const t0 = performance.now();
    await knex.raw(sql, bindings);
    ms.push(performance.now() - t0);
  }
  ms.sort((a, b) => a - b);
  return ms[Math.floor(ms.length / 2)]!;
}

async function main() {
  let n = Number(arg('vouchers', '5000000'));
  const regionCount = Number(arg('regions', '1'));
  const only = arg('only', '');
  // --reuse URL: load-test a database an earlier `--keep` run left behind (no generation).
  const reuse = arg('reuse', '');
  const seconds = Number(arg('seconds', '10'));
  const connections = Number(arg('connections', '8'));
  const workDir = path.join(ROOT_DIR, '.data/bench-api', String(process.pid));
  let embedded: EmbeddedServer | undefined;
  let adminUrl = reuse || process.env.DATABASE_URL;
  if (!adminUrl) {
    embedded = await startEmbeddedServer({ dataDir: path.join(workDir, 'pg'), fast: true });
    adminUrl = embedded.url;
  }
  const dbName = reuse ? new URL(reuse).pathname.slice(1) : `bw_bench_api_${process.pid}`;
  if (!reuse) await ensureDatabase(adminUrl, dbName);
  const dbUrl = withDatabase(adminUrl, dbName);
  const knex = createKnex(dbUrl, { min: 0, max: 2 });
  const children: ReturnType<typeof spawn>[] = [];
  const stopChildren = async () => {
    for (const c of children) {
      if (c.exitCode !== null) continue;
      c.kill('SIGTERM');
      await new Promise((r) => c.once('exit', r));
    }
  };
  try {
    if (reuse) {
      n = Number((await knex('payment_vouchers').count('* as c').first())!.c);
      await loadPhase();
      return;
    }
    await migrateLatest(knex);
    await ensureDemoUsers(knex);
    let t = performance.now();
    const regions = await benchRegions(knex, regionCount);
    await generate(knex, n, regions);
    console.log(`generated ${n.toLocaleString()} vouchers over ${regions.join(', ')} (+ indexes, analyze) in ${secs(t)} s`);
    t = performance.now();
    await refreshAggregates(knex, { concurrently: false });
    const { rows: sizes } = await knex.raw(
      `select relname, reltuples::bigint as rows from pg_class where relname in ('mv_exec_dept_day','mv_exec_unit_day','mv_exec_func_day','mv_exec_econ_day') order by 1`,
    );
    console.log(`refreshAggregates (first fill) in ${secs(t)} s; view rows: ${sizes.map((s: { relname: string; rows: string }) => `${s.relname} ${s.rows}`).join(', ')}`);
    if (process.argv.includes('--measure-refresh')) {
      // What the ETL pays after each load (the dashboard keeps answering meanwhile).
      t = performance.now();
      await refreshAggregates(knex);
      console.log(`refreshAggregates (concurrently, unchanged data) in ${secs(t)} s`);
    }
    await loadPhase();
  } finally {
    if (process.argv.includes('--keep') || reuse) {
      // For investigating plans: leave the database (and embedded server) running.
      console.log(`kept: ${dbUrl} (embedded pid ${embedded?.pid ?? '-'}, data ${workDir})`);
      await stopChildren();
      await knex.destroy();
      process.exit(0);
    }
    await stopChildren();
    await knex.destroy();
    const admin = createKnex(adminUrl, { min: 0, max: 1 });
    await admin.raw('drop database if exists ?? with (force)', [dbName]).catch(() => {});
    await admin.destroy();
    await embedded?.stop();
    fs.rmSync(workDir, { recursive: true, force: true });
  }

  /** The app in a child process (its own event loop), with or without the drill-down cache. */
  async function startServer(cache: boolean): Promise<string> {
    const child = spawn(process.execPath, ['--import', 'tsx', path.join(ROOT_DIR, 'bench/api.ts'), '--serve', dbUrl], {
      stdio: ['ignore', 'pipe', 'inherit'],
      env: { ...process.env, BW_API_CACHE: cache ? '1' : '0' },
    });
    children.push(child);
    const port = await new Promise<number>((resolve, reject) => {
      let out = '';
      child.stdout!.on('data', (d) => {
        out += d;
        const m = /PORT (\d+)/.exec(out);
        if (m) resolve(Number(m[1]));
      });
      child.once('exit', (code) => reject(new Error(`server exited ${code}`)));
    });
    return `http://127.0.0.1:${port}/api/v1`;
  }

  async function loadPhase() {
    const servers = { cache: await startServer(true), none: await startServer(false) };
    const login = await fetch(`${servers.none}/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'staff', password: 'Staff@2026' }) });
    const userCookie = login.headers.getSetCookie().find((c) => c.startsWith('bw_session='))!.split(';')[0]!;
    // The province's 全辖 is the admin's (staff see the city and below).
    const adminLogin = await fetch(`${servers.none}/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'admin', password: 'Admin@2026' }) });
    const adminCookie = adminLogin.headers.getSetCookie().find((c) => c.startsWith('bw_session='))!.split(';')[0]!;
    const treeOf = async (code: string): Promise<string[]> =>
      (await knex.raw(`with recursive t as (select code from regions where code = ? union all select r.code from regions r join t on r.parent_code = t.code) select code from t`, [code])).rows.map((r: { code: string }) => r.code);
    const [provinceTree, cityTree] = await Promise.all([treeOf('410000'), treeOf(REGION)]);
    // What a 全辖 overview would be without the per-region aggregates: the vouchers of every region in the tree, grouped.
    const naiveOverview = (codes: string[]) => ({
      sql: `select fund_type, to_char(pay_date, 'YYYY-MM'), sum(amount), count(*) from payment_vouchers
             where region_code = any(?) and fiscal_year = ${Y} and pay_date <= ? group by 1, 2`,
      bindings: [codes, AS_OF] as Knex.RawBinding[],
    });

    // Deep keyset positions: the row 90% of the way down each ordering, in the city's own vouchers.
    const cityN = Number((await knex('payment_vouchers').where({ region_code: REGION }).count('* as c').first())!.c);
    const dept = `${REGION}120`;
    const deep = async (order: string, where = '') => {
      const { rows } = await knex.raw(
        `select pay_date::text as d, amount::text as a, voucher_no from payment_vouchers where region_code = ? ${where}
          order by ${order} offset ? limit 1`,
        [REGION, Math.floor((where ? cityN / 40 : cityN) * 0.9)],
      );
      return rows[0] as { d: string; a: string; voucher_no: string };
    };
    const dDate = await deep('pay_date desc, voucher_no desc');
    const dAmount = await deep('amount asc, voucher_no asc');
    const dDept = await deep('pay_date desc, voucher_no desc', `and dept_code = '${dept}'`);
    const q = `region=${REGION}&fy=${Y}&asOf=${AS_OF}`;
    const cases: { name: string; path: string; target: number; cacheable?: boolean; admin?: boolean; baseline: { sql: string; bindings: Knex.RawBinding[] } }[] = [
      // 全辖 (issue 19): each region at its own latest date (no asOf), the regions' 本级 cells summed.
      { name: '全辖 overview, province 410000', cacheable: true, admin: true, path: `/drill/summary?region=410000&scope=all&fy=${Y}`, target: 100, baseline: naiveOverview(provinceTree) },
      { name: '全辖 overview, city 411100', cacheable: true, path: `/drill/summary?region=${REGION}&scope=all&fy=${Y}`, target: 100, baseline: naiveOverview(cityTree) },
      {
        name: '全辖 alerts list, province 410000', admin: true, path: '/alerts?region=410000&scope=all&status=open&page=1&pageSize=20', target: 100,
        baseline: {
          sql: `select a.*, r.name, count(*) over () from alerts a left join regions r on r.code = a.region_code
                 where a.region_code = any(?) and a.closed_at is null
                 order by case a.severity when 'red' then 0 when 'orange' then 1 else 2 end, a.opened_at desc, a.id desc limit 20`,
          bindings: [provinceTree],
        },
      },
      {
        name: 'overview (summary)', cacheable: true, path: `/drill/summary?${q}`, target: 50,
        baseline: {
          sql: `select fund_type, to_char(pay_date, 'YYYY-MM'), sum(amount), count(*) from payment_vouchers
                 where region_code = ? and fiscal_year = ${Y} and pay_date <= ? group by 1, 2`,
          bindings: [REGION, AS_OF],
        },
      },
      {
        name: 'departments', cacheable: true, path: `/drill/departments?${q}`, target: 50,
        baseline: {
          sql: `select v.dept_code, sum(v.amount), sum(case when k.indicator_no is null then v.amount else 0 end), count(*)
                  from payment_vouchers v left join budget_indicators k on k.region_code = v.region_code and k.indicator_no = v.indicator_no
                 where v.region_code = ? and v.fiscal_year = ${Y} and v.pay_date <= ? group by 1`,
          bindings: [REGION, AS_OF],
        },
      },
      {
        name: 'units of one department', cacheable: true, path: `/drill/units?${q}&dept=${dept}`, target: 50,
        baseline: {
          sql: `select v.agency_code, sum(v.amount), sum(case when k.indicator_no is null then v.amount else 0 end), count(*)
                  from payment_vouchers v left join budget_indicators k on k.region_code = v.region_code and k.indicator_no = v.indicator_no
                 where v.region_code = ? and v.dept_code = ? and v.fiscal_year = ${Y} and v.pay_date <= ? group by 1`,
          bindings: [REGION, dept, AS_OF],
        },
      },
      {
        name: 'voucher page 90% deep, by date', path: `/drill/vouchers?${q}&sort=date&order=desc&limit=50&cursor=${encodeCursor([dDate.d, dDate.voucher_no])}`, target: 100,
        baseline: {
          sql: `select * from payment_vouchers where region_code = ? and fiscal_year = ${Y} and pay_date <= ?
                 order by pay_date desc, voucher_no desc offset ? limit 50`,
          bindings: [REGION, AS_OF, Math.floor(cityN * 0.9)],
        },
      },
      {
        name: 'voucher page 90% deep, by amount', path: `/drill/vouchers?${q}&sort=amount&order=asc&limit=50&cursor=${encodeCursor([dAmount.a, dAmount.voucher_no])}`, target: 100,
        baseline: {
          sql: `select * from payment_vouchers where region_code = ? and fiscal_year = ${Y} and pay_date <= ?
                 order by amount, voucher_no offset ? limit 50`,
          bindings: [REGION, AS_OF, Math.floor(cityN * 0.9)],
        },
      },
      {
        name: 'voucher page 90% deep, one department', path: `/drill/vouchers?${q}&dept=${dept}&sort=date&order=desc&limit=50&cursor=${encodeCursor([dDept.d, dDept.voucher_no])}`, target: 100,
        baseline: {
          sql: `select * from payment_vouchers where region_code = ? and dept_code = ? and fiscal_year = ${Y} and pay_date <= ?
                 order by pay_date desc, voucher_no desc offset ? limit 50`,
          bindings: [REGION, dept, AS_OF, Math.floor((cityN / 40) * 0.9)],
        },
      },
    ];

    if (process.argv.includes('--no-load')) return;
    console.log(`\nautocannon: ${connections} connections, ${seconds} s each, loopback; latency in ms`);
    console.log('server cache: "off" = BW_API_CACHE=0 (every request computes); "on" = answers cached until the next refreshAggregates\n');
    console.log('case                                   | cache |   p50 |   p95 |   p99 |  req/s | target p95 | plain SQL baseline | baseline ÷ p50');
    console.log('---------------------------------------|-------|-------|-------|-------|--------|------------|--------------------|---------------');
    for (const c of cases.filter((x) => !only || only.split(',').some((o) => x.name.includes(o)))) {
      const cookie = c.admin ? adminCookie : userCookie;
      const baseline = await timeSql(knex, c.baseline.sql, c.baseline.bindings, 3);
      for (const mode of c.cacheable ? (['none', 'cache'] as const) : (['none'] as const)) {
        const url = `${servers[mode]}${c.path}`;
        const check = await fetch(url, { headers: { cookie } });
        if (check.status !== 200) throw new Error(`${c.name}: ${check.status} ${await check.text()}`);
        const r = await load(url, cookie, seconds, connections);
        const ok = r.p95 < c.target ? 'ok' : 'MISSED';
        console.log(
          `${c.name.padEnd(39)}| ${(mode === 'cache' ? 'on' : c.cacheable ? 'off' : '—').padEnd(5)} | ${r.p50.toFixed(1).padStart(5)} | ${r.p95.toFixed(1).padStart(5)} | ${r.p99.toFixed(1).padStart(5)} | ${r.rps.toFixed(0).padStart(6)} | < ${String(c.target).padStart(3)} ${ok.padEnd(6)}| ${baseline.toFixed(1).padStart(15)} ms | ${(baseline / Math.max(r.p50, 0.1)).toFixed(1).padStart(8)}×${r.non2xx ? `  (${r.non2xx} non-2xx!)` : ''}`,
        );
      }
    }
  }
}
