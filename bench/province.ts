/**
 * bench/province: what the nightly aggregate work costs once the rollups follow the delivery —
 * incremental rollup maintenance for a nightly delta against the old full refresh of the
 * materialized views, measured in the same run on the same rows.
 *
 *   npm run bench:province -- [--regions 12] [--vouchers 400000] [--delta 3000] [--parallel N] [--keep]
 *                             [--seconds 10] [--connections 8] [--reuse URL]
 *
 * 1. A throw-away database (DATABASE_URL's server, else an embedded cluster) is migrated and
 *    filled with SQL generate_series: the province, then its cities and counties in code order
 *    (--regions of them), sizes skewed (region i holds ∝ 1/(i+1) of --vouchers), each with 10
 *    departments × 5 units, 3 indicators a unit and vouchers over last fiscal year up to 30
 *    September. The issue's full size is 176 regions and 30,000,000 vouchers; the default is
 *    scaled down to finish in minutes on a shared two-core machine.
 * 2. The old path's six materialized views are created beside the rollup tables (the
 *    definitions 20261123040000/040100 created) and both are filled.
 * 3. A nightly delta (--delta vouchers spread over the regions like the base, on 1 October,
 *    plus one correction per region moving an old voucher to another day) is written as
 *    delivery bundles and loaded through the real loader (loadInbox, BW_PARALLEL regions at
 *    once) with the rollup maintenance as its post-load step.
 * 4. The old path: REFRESH MATERIALIZED VIEW CONCURRENTLY of the six views + ANALYZE, as every
 *    load did before; and the new full rebuild (npm run aggregates -- rebuild).
 * Prints each time and the ratio old refresh ÷ incremental maintenance, and checks that the
 * maintained rollups hold exactly the rows of the refreshed views.
 * 5. 全辖 at province scale (issue 19 item 5): 20,000 open alerts over the regions, a third of
 *    the regions given a later delivery date (each region's 全辖 figures are at its own as-of
 *    date), then the real app in a child process with the drill-down cache off (and on) and
 *    autocannon (--connections, --seconds) on the province's and its first city's 全辖 overview
 *    and the province's 全辖 alerts list, each beside its naive SQL (the GROUP BY over the
 *    tree's vouchers, the alerts in one ORDER BY) in the same run: p50/p95 and the ratio.
 *    `--reuse URL` measures only this step on a database a `--keep` run left.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Knex } from 'knex';
import { parallelDegree } from '../api/src/parallel.js';
import { analyzeLoadedRegions } from '../api/src/post-load.js';
import { AGGREGATE_VIEWS, maintainAggregates, refreshAggregates, type MaintenanceResult } from '../api/src/features/drilldown/aggregates.js';
import { FEEDS_BY_NAME, loadInbox } from '../etl/src/index.js';
import { ensureRegionPartition } from '../etl/src/load/region-partition.js';
import { BENCH_AS_OF, BENCH_YEAR } from './as-of.js';
import { openBenchDatabase } from './bench-database.js';
import { generateAgencies, generateIndicators, generateVouchers, type RegionShape } from './generate.js';
import { appServers, login, runCases } from './http-load.js';
import { generateAlerts, scopeCases } from './scope-cases.js';
import { createKnex } from '../api/src/db/connection.js';
import { ensureDemoUsers } from '../api/src/demo/demo-users.js';

const arg = (name: string, fallback: string) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1]! : fallback;
};
const Y = BENCH_YEAR;
const DELTA_DAY = `${Y}-10-01`;
const secs = (ms: number) => (ms / 1000).toFixed(2);

async function timed<T>(fn: () => Promise<T>): Promise<[T, number]> {
  const t0 = performance.now();
  const r = await fn();
  return [r, performance.now() - t0];
}

/** The province, then its cities, then their counties: the first `n`. */
async function provinceRegions(knex: Knex, n: number): Promise<string[]> {
  const { rows } = await knex.raw<{ rows: { code: string }[] }>(
    `select code from regions where code = '410000'
     union all (select code from regions where parent_code = '410000' order by code)
     union all (select r.code from regions r join regions c on c.code = r.parent_code where c.parent_code = '410000' order by r.code)`,
  );
  return rows.slice(0, n).map((r) => r.code);
}

/** 10 departments × 5 units, indicators issued over 60 days from 10 January. */
const SHAPE: RegionShape = { depts: 10, unitsPerDept: 5, docPrefix: '财预', issuedOn: (u) => `date '${Y}-01-10' + (${u} % 60)` };

async function generateRegion(knex: Knex, region: string, n: number): Promise<void> {
  const [{ id: batch }] = await knex('batches')
    .insert({ region_code: region, business_date: BENCH_AS_OF, source: 'demo', location: 'bench', status: 'committed', committed_at: knex.fn.now(), post_loaded_at: knex.fn.now() })
    .returning('id');
  await generateAgencies(knex, region, batch, SHAPE);
  await generateIndicators(knex, region, batch, SHAPE);
  await generateVouchers(knex, region, batch, n, SHAPE);
}

// The old path: the views as 20261123040000 and 20261123040100 defined them, under old_*.
const SUMS = `sum(budget)::numeric(18,2) as budget, sum(paid)::numeric(18,2) as paid,
              sum(paid_unmatched)::numeric(18,2) as paid_unmatched, sum(vouchers)::bigint as vouchers`;
const EXEC_SOURCE = (dim: string, indicatorDim: string, voucherDim: string) => `
  select region_code, fiscal_year, fund_type, dept_code, agency_code, ${dim}, day, ${SUMS}
    from (
      select i.region_code, i.fiscal_year, i.fund_type, i.dept_code, i.agency_code, ${indicatorDim} as ${dim},
             i.issued_on as day, i.amount as budget, 0::numeric as paid, 0::numeric as paid_unmatched, 0 as vouchers
        from budget_indicators i
      union all
      select v.region_code, v.fiscal_year, v.fund_type, v.dept_code, v.agency_code, ${voucherDim} as ${dim},
             v.pay_date, 0, v.amount, case when k.indicator_no is null then v.amount else 0 end, 1
        from payment_vouchers v
        left join budget_indicators k on k.region_code = v.region_code and k.indicator_no = v.indicator_no
    ) x
   group by region_code, fiscal_year, fund_type, dept_code, agency_code, ${dim}, day`;
const OLD_VIEWS: [string, string, string][] = [
  ['old_mv_exec_func_day', EXEC_SOURCE('func_code', 'i.func_code', 'v.func_code'), 'region_code, fiscal_year, dept_code, agency_code, func_code, fund_type, day'],
  ['old_mv_exec_econ_day', EXEC_SOURCE('econ_code', "coalesce(i.econ_code, '')", 'v.econ_code'), 'region_code, fiscal_year, dept_code, agency_code, econ_code, fund_type, day'],
  ['old_mv_exec_unit_day', `select region_code, fiscal_year, fund_type, dept_code, agency_code, day, ${SUMS} from old_mv_exec_func_day
                             group by region_code, fiscal_year, fund_type, dept_code, agency_code, day`, 'region_code, fiscal_year, dept_code, agency_code, fund_type, day'],
  ['old_mv_exec_dept_day', `select region_code, fiscal_year, fund_type, dept_code, day, ${SUMS} from old_mv_exec_unit_day
                             group by region_code, fiscal_year, fund_type, dept_code, day`, 'region_code, fiscal_year, dept_code, fund_type, day'],
  ['old_mv_exec_unit_month', `select region_code, fiscal_year, fund_type, dept_code, agency_code, date_trunc('month', day)::date as month, ${SUMS}
                               from old_mv_exec_unit_day group by region_code, fiscal_year, fund_type, dept_code, agency_code, date_trunc('month', day)`,
   'region_code, fiscal_year, dept_code, agency_code, fund_type, month'],
  ['old_mv_exec_dept_month', `select region_code, fiscal_year, fund_type, dept_code, date_trunc('month', day)::date as month, ${SUMS}
                               from old_mv_exec_dept_day group by region_code, fiscal_year, fund_type, dept_code, date_trunc('month', day)`,
   'region_code, fiscal_year, dept_code, fund_type, month'],
];

/** The nightly delta as delivery bundles: `n` vouchers spread like the base, and one correction a region. */
async function writeDelta(knex: Knex, inbox: string, regions: string[], weights: number[], n: number): Promise<void> {
  const cols = FEEDS_BY_NAME.get('payment_vouchers')!.columns.map((c) => c.key);
  for (const [r, region] of regions.entries()) {
    const count = Math.max(1, Math.round(n * weights[r]));
    const lines = [cols.join(',')];
    for (let i = 0; i < count; i++) {
      const u = (i * 7919) % 50;
      const row: Record<string, string> = {
        voucher_no: `PZD${Y}${String(i).padStart(9, '0')}`, fiscal_year: String(Y), pay_date: DELTA_DAY,
        agency_code: `${region}${101 + Math.floor(u / 5)}${String((u % 5) + 1).padStart(3, '0')}`,
        indicator_no: `ZB${Y}-${u}-${1 + (i % 3)}`, func_code: ['2050202', '2100408', '2130122', '2080109'][u % 4],
        econ_code: ['30101', '30201', '31002'][i % 3], fund_type: u % 5 === 0 ? '2' : '1', project_code: '',
        payee_name: `收款单位${i % 997}`, payee_account: `6222${String(i).padStart(12, '0')}`, pay_method: '国库集中支付',
        purpose: '办公用品采购', amount: (((i * 2654435761) % 10000000) / 100).toFixed(2),
      };
      lines.push(cols.map((c) => row[c] ?? '').join(','));
    }
    // A correction: an old voucher moved to another day with another amount.
    const { rows } = await knex.raw(
      `select ${cols.map((c) => `coalesce("${c}"::text, '') as "${c}"`).join(', ')} from payment_vouchers where region_code = ? and voucher_no = ?`,
      [region, `PZ${Y}000000007`],
    );
    if (rows[0]) lines.push(cols.map((c) => ({ pay_date: `${Y}-09-29`, amount: '12.34' } as Record<string, string>)[c] ?? rows[0][c]).join(','));
    const dir = path.join(inbox, region, DELTA_DAY);
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(path.join(dir, 'payment_vouchers.csv'), `${lines.join('\n')}\n`);
  }
}

/**
 * The 全辖 data: open alerts over the regions, a third of the regions with a later (empty)
 * delivery so the tree's regions are at three as-of dates, and the demo admin.
 */
async function prepareScope(knex: Knex, regions: string[]): Promise<void> {
  await ensureDemoUsers(knex);
  await generateAlerts(knex, regions, 20_000);
  const later = regions.filter((_, i) => i % 3 === 1);
  await knex.raw(
    `insert into batches (region_code, business_date, source, location, status, committed_at, post_loaded_at)
     select r, (date '${DELTA_DAY}' + 1 + (i % 2)::int), 'demo', 'bench', 'committed', now(), now() from unnest(?::text[]) with ordinality as t(r, i)`,
    [later],
  );
}

/** Step 5: the 全辖 cases against the app, uncached and cached, with their naive SQL. */
async function measureScope(knex: Knex, dbUrl: string, asOf: string): Promise<void> {
  const { rows: [city] } = await knex.raw<{ rows: { code: string }[] }>(
    `select r.code from regions r where r.parent_code = '410000' and exists (select 1 from batches b where b.region_code = r.code) order by r.code limit 1`,
  );
  const apps = appServers(dbUrl);
  try {
    const servers = { none: await apps.start(false), cache: await apps.start(true) };
    const admin = await login(servers.none, 'admin', 'Admin@2026');
    const { rows: [dates] } = await knex.raw<{ rows: { regions: number; dates: string }[] }>(
      `select count(*)::int as regions, string_agg(distinct latest::text, ', ') as dates
         from (select region_code, max(business_date) as latest from batches where status = 'committed' group by region_code) x`,
    );
    console.log(`\n全辖 at province scale: ${dates!.regions} regions with data, as of ${dates!.dates}; ${(await knex('alerts').whereNull('closed_at').count({ n: '*' }))[0]!.n} open alerts`);
    await runCases(await scopeCases(knex, city?.code ?? '410100', asOf), {
      knex, servers, cookies: { admin }, seconds: Number(arg('seconds', '10')), connections: Number(arg('connections', '8')),
    });
  } finally {
    await apps.stop();
  }
  const load = os.loadavg().map((x) => x.toFixed(2)).join(' ');
  console.log(`load average (1, 5, 15 min) after the 全辖 cases: ${load}`);
}

async function main() {
  const reuse = arg('reuse', '');
  if (reuse) {
    // Step 5 alone, on a database a --keep run left.
    const knex = createKnex(reuse, { min: 0, max: 2 });
    try {
      await measureScope(knex, reuse, `${Y}-10-03`);
    } finally {
      await knex.destroy();
    }
    return;
  }
  const regionCount = Number(arg('regions', '12'));
  const total = Number(arg('vouchers', '400000'));
  const delta = Number(arg('delta', '3000'));
  const parallel = Number(arg('parallel', String(parallelDegree())));
  const db = await openBenchDatabase('province');
  const { knex } = db;
  const inbox = fs.mkdtempSync(path.join(os.tmpdir(), 'bw-bench-province-'));
  try {
    const regions = await provinceRegions(knex, regionCount);
    const harmonic = regions.reduce((s, _, i) => s + 1 / (i + 1), 0);
    const weights = regions.map((_, i) => 1 / (i + 1) / harmonic);
    let [, ms] = await timed(async () => {
      for (const [i, region] of regions.entries()) {
        await ensureRegionPartition((sql) => knex.raw(sql), 'payment_vouchers', region);
        await generateRegion(knex, region, Math.max(1, Math.round(total * weights[i])));
      }
      await knex.raw('vacuum analyze');
    });
    const [{ n }] = await knex('payment_vouchers').count({ n: '*' });
    console.log(`generated ${Number(n).toLocaleString()} vouchers over ${regions.length} regions (largest ${regions[0]}: ${Math.round(total * weights[0]).toLocaleString()}) in ${secs(ms)} s`);

    [, ms] = await timed(async () => {
      for (const [name, def, key] of OLD_VIEWS) {
        await knex.raw(`create materialized view ${name} as ${def}`);
        await knex.raw(`create unique index ${name}_key on ${name} (${key})`);
      }
    });
    console.log(`old materialized views, first fill: ${secs(ms)} s`);
    [, ms] = await timed(() => refreshAggregates(knex, { concurrently: false }));
    console.log(`rollup tables, first fill (rebuild): ${secs(ms)} s`);

    await writeDelta(knex, inbox, regions, weights, delta);
    let maintained: MaintenanceResult | undefined;
    let maintainMs = 0;
    const [run, loadMs] = await timed(() =>
      loadInbox(knex, inbox, {
        today: `${Y}-10-02`, trigger: 'cli', parallel, deploymentRegion: '410000',
        postLoad: [async (k, scope) => {
          [maintained, maintainMs] = await timed(() => maintainAggregates(k, scope.batches, { parallel }));
        }],
      }),
    );
    const failed = run.results.filter((r) => r.outcome !== 'committed');
    if (failed.length || run.postLoadErrors.length) throw new Error(`delta not loaded: ${JSON.stringify(failed.map((r) => r.reason))} ${run.postLoadErrors}`);
    const rows = run.results.reduce((s, r) => s + r.rowsLoaded, 0);
    console.log(`nightly delta: ${rows.toLocaleString()} vouchers in ${run.results.length} bundles, loaded + maintained in ${secs(loadMs)} s (BW_PARALLEL ${parallel})`);
    console.log(`  incremental rollup maintenance: ${secs(maintainMs)} s (${maintained!.regions} regions, ${maintained!.days} region-days)`);

    const [, oldMs] = await timed(async () => {
      for (const [name] of OLD_VIEWS) {
        await knex.raw(`refresh materialized view concurrently ${name}`);
        await knex.raw(`analyze ${name}`);
      }
    });
    console.log(`  old path, refresh materialized view concurrently ×6 + analyze: ${secs(oldMs)} s`);
    // The old path had no region rollups (20261208300000): those are checked against the department ones.
    for (const t of AGGREGATE_VIEWS.filter((v) => OLD_VIEWS.some(([name]) => name === `old_${v}`))) {
      const { rows: diff } = await knex.raw(
        `select (select count(*) from (select * from ${t} except all select * from old_${t}) a)::int
              + (select count(*) from (select * from old_${t} except all select * from ${t}) b)::int as n`,
      );
      if (diff[0].n !== 0) throw new Error(`${t}: ${diff[0].n} rows differ from the refreshed view`);
    }
    for (const [t, from, period] of [['mv_exec_region_day', 'old_mv_exec_dept_day', 'day'], ['mv_exec_region_month', 'old_mv_exec_dept_month', 'month']]) {
      const sums = `region_code, fiscal_year, fund_type, ${period}, ${SUMS}`;
      const { rows: diff } = await knex.raw(
        `select count(*)::int as n from ((select ${sums} from ${from} group by 1, 2, 3, 4 except select * from ${t})
                                         union all (select * from ${t} except select ${sums} from ${from} group by 1, 2, 3, 4)) d`,
      );
      if (diff[0].n !== 0) throw new Error(`${t}: ${diff[0].n} rows differ from the refreshed department view summed by region`);
    }
    console.log('  maintained rollup tables = refreshed views, row for row (the region rollups = the department view summed)');
    const [, rebuildMs] = await timed(() => refreshAggregates(knex));
    console.log(`  new full rebuild (npm run aggregates -- rebuild): ${secs(rebuildMs)} s`);
    console.log(`ratio old full refresh ÷ incremental maintenance: ${(oldMs / maintainMs).toFixed(1)}×`);
    // The statistics step of each load: the whole partitioned table before, the loaded regions' partitions now.
    const [, oldAnalyzeMs] = await timed(() => knex.raw('analyze payment_vouchers'));
    const [, newAnalyzeMs] = await timed(() => analyzeLoadedRegions(knex, regions));
    const [, everyPartitionMs] = await timed(async () => {
      for (const region of regions) await knex.raw(`analyze payment_vouchers_${region}`);
    });
    console.log(
      `analyze: payment_vouchers (old, every load) ${secs(oldAnalyzeMs)} s; the loaded regions' partitions changed by ≥ 2 % (new) ` +
        `${secs(newAnalyzeMs)} s; all ${regions.length} partitions, for comparison, ${secs(everyPartitionMs)} s`,
    );

    await prepareScope(knex, regions);
    await measureScope(knex, db.url, `${Y}-10-03`);

  } finally {
    fs.rmSync(inbox, { recursive: true, force: true });
    await db.close();
  }
}

main().then(
  () => process.exit(0),
  (err) => {
    console.error(err);
    process.exit(1);
  },
);
