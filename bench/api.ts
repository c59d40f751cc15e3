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
import fs from 'node:fs';
import path from 'node:path';
import type { Knex } from 'knex';
import { ROOT_DIR } from '../api/src/config.js';
import { createKnex, ensureDatabase, withDatabase } from '../api/src/db/connection.js';
import { startEmbeddedServer, type EmbeddedServer } from '../api/src/db/embedded-server.js';
import { withoutVoucherIndexes } from './bench-database.js';
import { migrateLatest } from '../api/src/db/migrator.js';
import { ensureDemoUsers } from '../api/src/demo/demo-users.js';
import { refreshAggregates } from '../api/src/features/drilldown/aggregates.js';
import { encodeCursor } from '../api/src/features/drilldown/schema.js';
import { BENCH_AS_OF, BENCH_YEAR } from './as-of.js';
import { generateAgencies, generateIndicators, generateVouchers, type RegionShape } from './generate.js';
import { appServers, login, runCases, type ApiCase } from './http-load.js';
import { generateAlerts, scopeCases } from './scope-cases.js';
import { arg } from './args.js';

const REGION = '411100';
const AS_OF = BENCH_AS_OF;
const Y = BENCH_YEAR;

main().catch((err) => {
  console.error(err);
  process.exit(1);
});

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

/** 40 departments × 10 units, indicators all issued on 10 January. */
const SHAPE: RegionShape = { depts: 40, unitsPerDept: 10, docPrefix: '漯财预', issuedOn: (_u, y) => `date '${y}-01-10'` };

/** One region's batch, agencies and indicators; its vouchers are inserted by the function returned (all regions' in one index-less fill). */
async function generateRegion(knex: Knex, region: string, n: number): Promise<() => Promise<void>> {
  const [{ id: batch }] = await knex('batches')
    .insert({ region_code: region, business_date: AS_OF, source: 'demo', location: 'bench', status: 'committed', committed_at: knex.fn.now() })
    .returning('id');
  await generateAgencies(knex, region, batch, SHAPE);
  await generateIndicators(knex, region, batch, SHAPE);
  return () => generateVouchers(knex, region, batch, n, SHAPE);
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
  const apps = appServers(dbUrl);
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
      await apps.stop();
      await knex.destroy();
      process.exit(0);
    }
    await apps.stop();
    await knex.destroy();
    const admin = createKnex(adminUrl, { min: 0, max: 1 });
    await admin.raw('drop database if exists ?? with (force)', [dbName]).catch(() => {});
    await admin.destroy();
    await embedded?.stop();
    fs.rmSync(workDir, { recursive: true, force: true });
  }

  async function loadPhase() {
    const servers = { cache: await apps.start(true), none: await apps.start(false) };
    const userCookie = await login(servers.none, 'staff', 'Staff@2026');
    // The province's 全辖 is the admin's (staff see the city and below).
    const adminCookie = await login(servers.none, 'admin', 'Admin@2026');

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
    const cases: ApiCase[] = [
      // 全辖 (issue 19): each region at its own latest date (no asOf), the regions' 本级 cells summed.
      ...(await scopeCases(knex, REGION, AS_OF)),
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
    await runCases(cases.filter((x) => !only || only.split(',').some((o) => x.name.includes(o))), { knex, servers, cookies: { admin: adminCookie, user: userCookie }, seconds, connections });
  }
}
