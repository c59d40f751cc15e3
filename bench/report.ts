/**
 * bench/report: generate the quarterly report (预算执行情况季报) for a city holding N payment
 * vouchers (default 1,000,000) and print how long it takes; target < 10 s.
 *
 *   npx tsx bench/report.ts [--vouchers N] [--keep]
 *
 * The rows are generated inside PostgreSQL with generate_series (seeded random(), so every
 * run is the same): 40 departments × 10 units, 6 indicators per unit, vouchers over ten
 * function classes, 10 % of them in the previous year (for year-on-year), monthly revenue,
 * debt, state assets and audit findings; then the drill-down aggregates are refreshed and
 * the rules run, as after a nightly load. Uses DATABASE_URL's server when set, else a
 * throw-away embedded cluster under .data/bench-report.
 */
import { refreshAggregates } from '../api/src/features/drilldown/aggregates.js';
import { generateQuarterlyReport } from '../api/src/report/generate.js';
import { evaluateRules } from '../api/src/rules/index.js';
import type { Knex } from 'knex';
import { BENCH_AS_OF, BENCH_YEAR } from './as-of.js';
import { openBenchDatabase, withoutVoucherIndexes } from './bench-database.js';
import { arg } from './args.js';

const N = Number(arg('vouchers', '1000000'));
const REGION = '411100';
const AS_OF = BENCH_AS_OF;
const Y = BENCH_YEAR;
const FUNCS = ['2050202', '2100408', '2130122', '2010601', '2080109', '2010101', '2120101', '2140101', '2270101', '2080505'];
const seconds = (t0: number) => (performance.now() - t0) / 1000;

async function generate(knex: Knex): Promise<void> {
  const funcs = `array[${FUNCS.map((f) => `'${f}'`).join(',')}]`;
  await knex.transaction(async (trx) => {
    await trx.raw('select setseed(0.42)');
    const [{ id: batch }] = await trx('batches')
      .insert({ region_code: REGION, business_date: AS_OF, source: 'bench', location: 'bench/report', status: 'committed', committed_at: trx.fn.now() })
      .returning('id');
    const b = { region: REGION, batch };
    await trx.raw(
      `insert into agencies (region_code, batch_id, source_line, agency_code, agency_name, parent_code, agency_type)
       select :region, :batch::bigint, d, :region || (100 + d)::text, '部门' || d, null, '行政' from generate_series(1, 40) d
       union all
       select :region, :batch::bigint, 1000 + d * 10 + u, :region || (100 + d)::text || lpad(u::text, 3, '0'), '部门' || d || '下属单位' || u,
              :region || (100 + d)::text, '事业'
         from generate_series(1, 40) d, generate_series(1, 10) u`,
      b,
    );
    await trx.raw(
      `insert into budget_indicators (region_code, batch_id, source_line, indicator_no, doc_no, fiscal_year, agency_code, dept_code,
                                      func_code, econ_code, fund_type, project_code, project_name, indicator_kind, amount, issued_on)
       select :region, :batch::bigint, 100000 + row_number() over (), 'ZB' || y || a.agency_code || k, '漯财预〔' || y || '〕' || k || '号', y,
              a.agency_code, a.parent_code, (${funcs})[1 + (substr(a.parent_code, 7)::int % 10)],
              (array['30101','30201','30217','31002','30211','30201'])[k], case when k = 5 then '2' else '1' end,
              case when k = 6 then 'XM' || a.agency_code end, case when k = 6 then a.agency_name || '建设项目' end,
              (array['年初预算','年初预算','年初预算','追加','结转','年初预算'])[k],
              round((2000000 + random() * 30000000)::numeric, 2), make_date(y, case when k = 4 then 5 else 1 end, 10)
         from agencies a, generate_series(1, 6) k, (values (${Y - 1}), (${Y})) as yy(y)
        where a.region_code = :region and a.parent_code is not null`,
      b,
    );
    await trx.raw(
      `insert into payment_vouchers (region_code, batch_id, source_line, voucher_no, fiscal_year, pay_date, agency_code, dept_code,
                                     indicator_no, func_code, econ_code, fund_type, project_code, payee_name, payee_account,
                                     pay_method, purpose, amount)
       select :region, :batch::bigint, i, 'PZ' || :region || lpad(i::text, 9, '0'), y,
              case when y = ${Y} then date '${Y}-01-01' + (random() * 272)::int else date '${Y - 1}-01-01' + (random() * 365)::int end,
              unit, dept, case when i % 100 = 7 then null else 'ZB' || y || unit || k end,
              (${funcs})[1 + (substr(dept, 7)::int % 10)], (array['30101','30201','30217','31002','30211','30201'])[k],
              case when k = 5 then '2' else '1' end,
              case when k = 6 then 'XM' || unit end, '收款单位' || (i % 997), '6222' || lpad(i::text, 12, '0'),
              '国库集中支付', '办公用品采购', round((10 + random() * 200000)::numeric, 2)
         from (select i, case when i % 10 = 0 then ${Y - 1} else ${Y} end as y,
                      :region || (101 + (i::bigint * 7919) % 40)::text as dept,
                      1 + (i::bigint * 104729) % 10 as u, 1 + (i::bigint * 31) % 6 as k
                 from generate_series(1, :n::int) i) s,
              lateral (select dept || lpad(u::text, 3, '0') as unit) x`,
      { ...b, n: N },
    );
    await trx.raw(
      `insert into revenues (region_code, batch_id, source_line, fiscal_year, month, budget_type, revenue_code, revenue_name, budget_amount, amount)
       select :region, :batch::bigint, 500000 + row_number() over (), y, m, '1', c.code, c.name, c.budget,
              round(c.budget / 12 * (0.8 + random() * 0.3)::numeric, 2)
         from (values ('10101', '增值税', 6000000000.00::numeric), ('10104', '企业所得税', 2500000000.00), ('10106', '个人所得税', 900000000.00),
                      ('10302', '专项收入', 400000000.00), ('10304', '行政事业性收费收入', 300000000.00)) c(code, name, budget),
              (values (${Y - 1}), (${Y})) yy(y), generate_series(1, 12) m
        where y = ${Y - 1} or m <= 9`,
      b,
    );
    await trx('debt_limits').insert({
      region_code: REGION, batch_id: batch, source_line: 1, fiscal_year: Y, general_limit: '52000000000.00', special_limit: '86000000000.00',
      general_balance: '48000000000.00', special_balance: '82000000000.00', fiscal_capacity: '95000000000.00',
    });
    await trx.raw(
      `insert into debt_bonds (region_code, batch_id, source_line, bond_code, bond_name, bond_type, purpose, issue_date, maturity_date, coupon_rate, amount)
       select :region, :batch::bigint, 600000 + i, 'ZQ' || i, (${Y - 10} + i % 10) || '年河南省政府债券（' || i || '期）',
              case when i % 3 = 0 then '一般债券' else '专项债券' end, '新增', make_date(${Y - 10} + i % 10, 6, 15),
              make_date(${Y + 1} + i % 10, 6, 15), 2.85, round((500000000 + random() * 3000000000)::numeric, 2)
         from generate_series(1, 60) i`,
      b,
    );
    await trx.raw(
      `insert into debt_repayments (region_code, batch_id, source_line, bond_code, due_date, principal, interest, paid_on, paid_amount)
       select region_code, batch_id, 700000 + row_number() over (), bond_code, maturity_date, amount, round(amount * 0.0285, 2), null, null
         from debt_bonds where region_code = :region`,
      b,
    );
    await trx.raw(
      `insert into state_asset_reports (region_code, batch_id, source_line, report_year, entity_code, entity_name, asset_category, industry,
                                        total_assets, total_liabilities, operating_revenue, net_profit)
       select :region, :batch::bigint, 800000 + i, ${Y - 1}, 'QY' || i, '市属国有企业' || i, case when i % 5 = 0 then '金融企业' else '企业' end,
              case when i % 2 = 0 then '工业' else '非工业' end, round((1e9 + random() * 1e10)::numeric, 2), 0, null, null
         from generate_series(1, 30) i`,
      b,
    );
    await trx.raw(
      `update state_asset_reports set total_liabilities = round(total_assets * (0.4 + random() * 0.4)::numeric, 2) where region_code = :region`,
      b,
    );
    await trx.raw(
      `insert into asset_cards (region_code, batch_id, source_line, asset_no, agency_code, asset_name, asset_class, original_value, net_value, status, status_since)
       select :region, :batch::bigint, 900000 + i, 'ZC' || i, :region || (101 + i % 40)::text || '001', '资产' || i, '设备',
              round((10000 + random() * 1000000)::numeric, 2), null, case when i % 20 = 0 then '闲置' else '在用' end,
              date '${Y - 5}-01-01' + (i % 1500)
         from generate_series(1, 5000) i`,
      b,
    );
    await trx.raw(
      `insert into audit_findings (region_code, batch_id, source_line, finding_no, audit_year, audit_project, agency_code, category, description,
                                   amount_involved, rectify_deadline, status, rectified_amount, closed_on)
       select :region, :batch::bigint, 950000 + i, 'SJ' || i, ${Y - 1}, '${Y - 1}年度预算执行审计', :region || (101 + i % 40)::text,
              (array['预算执行','三公经费','政府采购','专项资金'])[1 + i % 4], '问题' || i, round((10000 + random() * 5000000)::numeric, 2),
              date '${Y}-06-30', (array['已整改','整改中','未整改'])[1 + i % 3], null, null
         from generate_series(1, 120) i`,
      b,
    );
  });
}

async function main() {
  const bench = await openBenchDatabase('report');
  const { knex } = bench;
  try {
    let t0 = performance.now();
    await withoutVoucherIndexes(knex, () => generate(knex));
    const [{ n }] = await knex('payment_vouchers').count({ n: '*' });
    console.log(`generated ${Number(n).toLocaleString('en-US')} vouchers for ${REGION} in ${seconds(t0).toFixed(1)} s`);
    t0 = performance.now();
    await refreshAggregates(knex, { concurrently: false });
    console.log(`drill-down aggregates refreshed in ${seconds(t0).toFixed(1)} s (the ETL does this after each load)`);
    t0 = performance.now();
    const rules = await evaluateRules(knex, { regionCode: REGION, asOf: AS_OF, trigger: 'bench' });
    console.log(`rules evaluated in ${seconds(t0).toFixed(1)} s (${rules.raised} alerts)`);

    const runs: number[] = [];
    let last;
    for (let i = 0; i < 3; i++) {
      t0 = performance.now();
      last = await generateQuarterlyReport(knex, REGION, `${Y}Q3`, { generatedAt: new Date(`${Y + 1}-01-01T00:00:00Z`) });
      runs.push(seconds(t0));
    }
    const t = last!.timings;
    console.log(
      `report ${REGION} ${Y}Q3 (${(last!.content.length / 1024).toFixed(0)} KB, ${last!.data.functionClasses.length} function classes, ` +
        `${last!.data.departments.count} departments, ${last!.data.alerts.total} alerts):`,
    );
    console.log(`  runs: ${runs.map((r) => `${r.toFixed(2)} s`).join(', ')}  (first includes loading the chart font)`);
    console.log(`  last run: data ${(t.assemble / 1000).toFixed(2)} s, charts ${(t.charts / 1000).toFixed(2)} s, docx ${(t.docx / 1000).toFixed(2)} s`);
    console.log(`report generation, ${Number(n).toLocaleString('en-US')} vouchers: ${Math.max(...runs).toFixed(2)} s worst of 3; target < 10 s`);
  } finally {
    await bench.close();
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
