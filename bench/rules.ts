/**
 * bench/rules: evaluate every rule for a city and its five counties holding N payment
 * vouchers in all (default 5,000,000), and print seconds per rule and in total.
 *
 *   npx tsx bench/rules.ts [--vouchers N] [--keep]
 *
 * The rows are generated inside PostgreSQL with generate_series (seeded random(), so every
 * run is the same): per region 40 departments × 10 units, 6 indicators per unit (年初预算,
 * 追加, 结转, a project) sized to be 55–95 % spent, vouchers spread at random over units and
 * indicators with 0.02 % carrying no indicator, 10 % in the previous year; the city holds
 * 40 % of the vouchers, each county 12 %. For the key-supervision rules (R19–R23): 2 % of the
 * vouchers pay a named person (0.005 % of them large), runs of three payments to one company
 * below the procurement threshold (R20), two performance targets for each project indicator
 * (R21) and 200 transfers per region received from above, half 直达资金, some turned into
 * indicators (R22, R23).
 * After all rules, it re-runs them on the unchanged data, then R01–R18 alone, and prints the increase.
 * Uses DATABASE_URL's server when set, else a throw-away embedded cluster under
 * .data/bench-rules. Target: all rules for all six regions < 30 s.
 */
import { evaluateRules, RULES } from '../api/src/rules/index.js';
import type { Knex } from 'knex';
import { BENCH_AS_OF, BENCH_YEAR } from './as-of.js';
import { openBenchDatabase, withoutVoucherIndexes } from './bench-database.js';
import { arg } from './args.js';

const N = Number(arg('vouchers', '5000000'));
const AS_OF = BENCH_AS_OF;
const Y = BENCH_YEAR;
const REGIONS: [string, number][] = [
  ['411100', 0.4], ['411102', 0.12], ['411103', 0.12], ['411104', 0.12], ['411121', 0.12], ['411122', 0.12],
];
const FUNCS = ['2050202', '2100408', '2130122', '2010601', '2080109', '2010101', '2120101', '2140101', '2270101', '2080505'];

const seconds = (t0: number) => (performance.now() - t0) / 1000;

async function generate(knex: Knex): Promise<void> {
  await knex.transaction(async (trx) => {
    await trx.raw('select setseed(0.42)');
    const funcs = `array[${FUNCS.map((f) => `'${f}'`).join(',')}]`;
    for (const [region, share] of REGIONS) {
      const [{ id: batch }] = await trx('batches')
        .insert({ region_code: region, business_date: AS_OF, source: 'bench', location: 'bench/rules', status: 'committed', committed_at: trx.fn.now() })
        .returning('id');
      // 40 departments, 10 units each.
      await trx.raw(
        `insert into agencies (region_code, batch_id, source_line, agency_code, agency_name, parent_code, agency_type)
         select :region, :batch::bigint, d, :region || (100 + d)::text, '部门' || d, null, '行政' from generate_series(1, 40) d
         union all
         select :region, :batch::bigint, 1000 + d * 10 + u, :region || (100 + d)::text || lpad(u::text, 3, '0'), '部门' || d || '下属单位' || u,
                :region || (100 + d)::text, '事业'
           from generate_series(1, 40) d, generate_series(1, 10) u`,
        { region, batch },
      );
      // 6 indicators per unit, for the bench year and the one before.
      const n = Math.round(N * share);
      await trx.raw(
        `insert into budget_indicators (region_code, batch_id, source_line, indicator_no, doc_no, fiscal_year, agency_code, dept_code,
                                        func_code, econ_code, fund_type, project_code, project_name, indicator_kind, amount, issued_on)
         select :region, :batch::bigint, 100000 + row_number() over (), 'ZB' || y || a.agency_code || k, '漯财预〔' || y || '〕' || k || '号', y,
                a.agency_code, a.parent_code, (${funcs})[1 + (substr(a.parent_code, 7)::int % 10)],
                (array['30101','30201','30217','31002','30211','30201'])[k], '1',
                case when k = 6 then 'XM' || a.agency_code end, case when k = 6 then a.agency_name || '建设项目' end,
                (array['年初预算','年初预算','年初预算','追加','结转','年初预算'])[k],
                -- Sized so that each indicator's expected payments (n vouchers × 10,000 yuan on average,
                -- 90 % of them in the bench year, spread over 2,400 indicators a year) are 55–95 % of it.
                round(:n::numeric * (case when y = ${Y} then 0.9 else 0.1 end) / 2400 * 10000 / (0.55 + random() * 0.4)::numeric, 2),
                make_date(y, case when k in (4) then 5 else 1 end, 10)
           from agencies a, generate_series(1, 6) k, (values (${Y - 1}), (${Y})) as yy(y)
          where a.region_code = :region and a.parent_code is not null`,
        { region, batch, n },
      );
      await trx.raw(
        `insert into payment_vouchers (region_code, batch_id, source_line, voucher_no, fiscal_year, pay_date, agency_code, dept_code,
                                       indicator_no, func_code, econ_code, fund_type, project_code, payee_name, payee_account,
                                       pay_method, purpose, amount)
         select :region, :batch::bigint, i, 'PZ' || :region || lpad(i::text, 9, '0'), y,
                case when y = ${Y} then date '${Y}-01-01' + (random() * 272)::int else date '${Y - 1}-01-01' + (random() * 365)::int end,
                unit, dept, case when i % 5000 = 7 then null else 'ZB' || y || unit || k end,
                (${funcs})[1 + (substr(dept, 7)::int % 10)], (array['30101','30201','30217','31002','30211','30201'])[k], '1',
                case when k = 6 then 'XM' || unit end,
                case when i % 50 = 3 then (array['张伟','王芳','李娜','刘洋','陈静','赵明远','孙丽','周强'])[1 + i % 8]
                     when i % 50 = 1 then '供应商' || unit || '有限公司'
                     else '收款单位' || (i % 997) end,
                '6222' || lpad(i::text, 12, '0'),
                '国库集中支付', '办公用品采购',
                case when i % 20000 = 3 then round((50000 + random() * 1500000)::numeric, 2)
                     when i % 50 = 1 then round((300000 + random() * 600000)::numeric, 2)
                     else round((10 + random() * 20000)::numeric, 2) end
           from (select i, case when i % 10 = 0 then ${Y - 1} else ${Y} end as y,
                        :region || (101 + floor(random() * 40))::int::text as dept,
                        1 + floor(random() * 10)::int as u, 1 + floor(random() * 6)::int as k
                   from generate_series(1, :n::int) i) s,
                lateral (select dept || lpad(u::text, 3, '0') as unit) x`,
        { region, batch, n },
      );
      // Two output targets per project indicator of the bench year, half of them behind.
      await trx.raw(
        `insert into performance_targets (region_code, batch_id, source_line, indicator_no, target_no, fiscal_year, level1, level2,
                                          target_name, direction, target_value, unit, actual_value, actual_as_of)
         select :region, :batch::bigint, 200000 + row_number() over (), b.indicator_no, 'MB' || t, b.fiscal_year, '产出', '数量指标',
                '完成数量' || t, '≥', '100', '个', (20 + floor(random() * 90))::int::text, date '${AS_OF}'
           from budget_indicators b, generate_series(1, 2) t
          where b.region_code = :region and b.fiscal_year = ${Y} and b.project_code is not null`,
        { region, batch },
      );
      // 200 transfers received from above, half 直达资金, a quarter turned into an indicator.
      await trx.raw(
        `insert into transfer_payments (region_code, batch_id, source_line, transfer_no, fiscal_year, direction, kind, counterpart_region,
                                        func_code, title, amount, received_on, allocated_on, indicator_no)
         select :region, :batch::bigint, 300000 + t, 'ZY' || :region || lpad(t::text, 5, '0'), ${Y}, '收到上级',
                case when t % 2 = 0 then '直达资金' else '专项转移支付' end, '410000', '2080109', '转移支付' || t,
                round((100000 + random() * 5000000)::numeric, 2), date '${Y}-01-15' + (t % 200),
                case when t % 3 = 0 then date '${Y}-01-15' + (t % 200) + (t % 120) end,
                case when t % 4 = 0 then (select b.indicator_no from budget_indicators b
                                           where b.region_code = :region and b.fiscal_year = ${Y} order by b.indicator_no offset t limit 1) end
           from generate_series(1, 200) t`,
        { region, batch },
      );
      await trx('debt_limits').insert({
        region_code: region, batch_id: batch, source_line: 1, fiscal_year: Y, general_limit: '5200000000.00', special_limit: '8600000000.00',
        general_balance: '4800000000.00', special_balance: '8200000000.00', fiscal_capacity: '9500000000.00',
      });
    }
  });
}

async function main() {
  const bench = await openBenchDatabase('rules');
  const { knex } = bench;
  try {
    let t0 = performance.now();
    await withoutVoucherIndexes(knex, () => generate(knex));
    const [{ n }] = await knex('payment_vouchers').count({ n: '*' });
    console.log(`generated ${Number(n).toLocaleString()} vouchers in ${REGIONS.length} regions in ${seconds(t0).toFixed(1)} s`);

    let facts = 0;
    const perRule = new Map<string, number>(RULES.map((r) => [r.id, 0]));
    const findings = new Map<string, number>(RULES.map((r) => [r.id, 0]));
    t0 = performance.now();
    let raised = 0;
    for (const [region] of REGIONS) {
      const res = await evaluateRules(knex, { regionCode: region, asOf: AS_OF, trigger: 'bench' });
      raised += res.raised;
      facts += res.factsSeconds;
      for (const r of res.rules) {
        perRule.set(r.ruleId, perRule.get(r.ruleId)! + r.seconds);
        findings.set(r.ruleId, findings.get(r.ruleId)! + r.findings);
      }
    }
    const total = seconds(t0);
    console.log(`rule  seconds  findings   (all ${REGIONS.length} regions, as of ${AS_OF})`);
    console.log(`facts ${facts.toFixed(2).padStart(7)}            one pass over the vouchers per region, shared by R01 R02 R03 R05 R06 R07 R08`);
    for (const rule of RULES) {
      console.log(`${rule.id}   ${perRule.get(rule.id)!.toFixed(2).padStart(7)}  ${String(findings.get(rule.id)).padStart(8)}   ${rule.nameZh}`);
    }
    console.log(`total ${total.toFixed(2)} s for all ${RULES.length} rules incl. reconciliation (${raised} alerts raised); target < 30 s`);
    t0 = performance.now();
    for (const [region] of REGIONS) await evaluateRules(knex, { regionCode: region, asOf: AS_OF, trigger: 'bench' });
    const rerun = seconds(t0);
    console.log(`re-run on unchanged data: ${rerun.toFixed(2)} s`);
    // The first 18 rules alone (what ran before key supervision), on the same unchanged data.
    const first18 = RULES.slice(0, 18).map((r) => r.id);
    t0 = performance.now();
    for (const [region] of REGIONS) await evaluateRules(knex, { regionCode: region, asOf: AS_OF, trigger: 'bench', only: first18 });
    const rerun18 = seconds(t0);
    console.log(`R01–R18 alone on the same data: ${rerun18.toFixed(2)} s; all ${RULES.length} rules ${rerun.toFixed(2)} s: increase +${(rerun - rerun18).toFixed(2)} s (${(rerun / rerun18).toFixed(2)}×)`);
  } finally {
    await bench.close();
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
