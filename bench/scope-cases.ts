/**
 * The 全辖 cases of issue 19 item 5, shared by bench/api (a city and its counties) and
 * bench/province (176 regions): the province's and a city's 全辖 overview and the province's
 * 全辖 alerts list, each beside the naive SQL it replaces, and the open alerts they list.
 */
import type { Knex } from 'knex';
import { BENCH_YEAR as Y } from './as-of.js';
import type { ApiCase } from './http-load.js';

/** `code` and every region under it. */
export async function treeOf(knex: Knex, code: string): Promise<string[]> {
  const { rows } = await knex.raw<{ rows: { code: string }[] }>(
    `with recursive t as (select code from regions where code = ? union all select r.code from regions r join t on r.parent_code = t.code) select code from t`,
    [code],
  );
  return rows.map((r) => r.code);
}

/** What a 全辖 overview would be without the rollups: the vouchers of every region in the tree, grouped. */
const naiveOverview = (codes: string[], asOf: string) => ({
  sql: `select fund_type, to_char(pay_date, 'YYYY-MM'), sum(amount), count(*) from payment_vouchers
         where region_code = any(?) and fiscal_year = ${Y} and pay_date <= ? group by 1, 2`,
  bindings: [codes, asOf] as Knex.RawBinding[],
});

/**
 * The three 全辖 cases: each region at its own latest date (no asOf in the path); the naive
 * overview takes every voucher up to `asOf` (the latest of them).
 */
export async function scopeCases(knex: Knex, city: string, asOf: string): Promise<ApiCase[]> {
  const [provinceTree, cityTree] = await Promise.all([treeOf(knex, '410000'), treeOf(knex, city)]);
  return [
    { name: '全辖 overview, province 410000', cacheable: true, admin: true, path: `/drill/summary?region=410000&scope=all&fy=${Y}`, target: 100, baseline: naiveOverview(provinceTree, asOf) },
    { name: `全辖 overview, city ${city}`, cacheable: true, admin: true, path: `/drill/summary?region=${city}&scope=all&fy=${Y}`, target: 100, baseline: naiveOverview(cityTree, asOf) },
    {
      name: '全辖 alerts list, province 410000', admin: true, path: '/alerts?region=410000&scope=all&status=open&page=1&pageSize=20', target: 100,
      baseline: {
        sql: `select a.*, r.name, count(*) over () from alerts a left join regions r on r.code = a.region_code
               where a.region_code = any(?) and a.closed_at is null
               order by case a.severity when 'red' then 0 when 'orange' then 1 else 2 end, a.opened_at desc, a.id desc limit 20`,
        bindings: [provinceTree],
      },
    },
  ];
}

/**
 * Open alerts spread over the regions (the alerts list's 全辖 case), as the rules engine would
 * leave them once autovacuum settled the table (20261210200000): the list's count is an
 * index-only scan only on all-visible pages.
 */
export async function generateAlerts(knex: Knex, regions: string[], count: number): Promise<void> {
  await knex.raw(
    `insert into alerts (rule_id, region_code, subject_type, subject_key, subject_name, period, severity, status, measured, threshold,
                         explanation, drill_link, rule_version, opened_at, updated_at)
     select 'R0' || (1 + i % 9), (?::text[])[1 + i % ?], 'unit', 'unit:' || i, '单位' || i, '${Y}', (array['yellow','orange','red'])[1 + i % 3], 'new',
            '{}'::jsonb, '{}'::jsonb, '测试预警 ' || i, '{"route":"/drill","query":{}}'::jsonb, 1, now() - (i || ' minutes')::interval, now()
       from generate_series(1, ?) i`,
    [regions, regions.length, count],
  );
  await knex.raw('vacuum analyze alerts');
}
