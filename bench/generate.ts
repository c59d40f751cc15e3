/**
 * The synthetic rows a bench fills a region with, by SQL generate_series (no round trips per
 * row): `depts` departments × `unitsPerDept` units, 3 indicators a unit, vouchers over the
 * bench year up to its 30 September (or another fiscal year, `days` long: bench/province's
 * previous year). bench/api and bench/province differ only in the shape.
 */
import type { Knex } from 'knex';
import { BENCH_YEAR } from './as-of.js';

export interface RegionShape {
  depts: number;
  unitsPerDept: number;
  /** The indicators' document number prefix: `${docPrefix}〔year〕k号`. */
  docPrefix: string;
  /** SQL for unit `u`'s indicators' issue date in fiscal year `year`. */
  issuedOn: (u: string, year: number) => string;
}

/** Which fiscal year's rows, and for vouchers which of them: numbers `start` … `start + n − 1`, paid over its first `days` days. */
export interface YearPart {
  fiscalYear?: number;
  /** Default 273: 1 January to 30 September. */
  days?: number;
  /** The first voucher number (a later fill continues a region's numbering). */
  start?: number;
}

// Units u = 0 … depts × unitsPerDept − 1; fund types 1 and 2, four function classes.
const unitExpr = (s: RegionShape, u: string) => `? || (101 + (${u}) / ${s.unitsPerDept})::text || lpad(((${u}) % ${s.unitsPerDept} + 1)::text, 3, '0')`;
const deptExpr = (s: RegionShape, u: string) => `? || (101 + (${u}) / ${s.unitsPerDept})::text`;
const funcExpr = (u: string) => `(array['2050202','2100408','2130122','2080109'])[1 + (${u}) % 4]`;

/** The departments and their units. */
export async function generateAgencies(knex: Knex, region: string, batch: number | string, s: RegionShape): Promise<void> {
  await knex.raw(
    `insert into agencies (region_code, batch_id, source_line, agency_code, agency_name, parent_code, agency_type)
     select ?::text, ?::bigint, d, ? || (100 + d)::text, '部门' || d, null::text, '行政' from generate_series(1, ${s.depts}) d
     union all
     select ?::text, ?::bigint, 100 + d * 10 + u, ? || (100 + d)::text || lpad(u::text, 3, '0'), '部门' || d || '单位' || u, ? || (100 + d)::text, '事业'
       from generate_series(1, ${s.depts}) d, generate_series(1, ${s.unitsPerDept}) u`,
    [region, batch, region, region, batch, region, region],
  );
}

/** 3 indicators (k = 1..3) a unit. */
export async function generateIndicators(knex: Knex, region: string, batch: number | string, s: RegionShape, fiscalYear = BENCH_YEAR): Promise<void> {
  const Y = fiscalYear;
  await knex.raw(
    `insert into budget_indicators (region_code, batch_id, source_line, indicator_no, doc_no, fiscal_year, agency_code, dept_code,
                                    func_code, econ_code, fund_type, indicator_kind, amount, issued_on)
     select ?::text, ?::bigint, 1000 + u * 3 + k, 'ZB${Y}-' || u || '-' || k, '${s.docPrefix}〔${Y}〕' || k || '号', ${Y}, ${unitExpr(s, 'u')}, ${deptExpr(s, 'u')},
            ${funcExpr('u')}, (array['30101','30201','31002'])[k], case when u % 5 = 0 then '2' else '1' end, '年初预算',
            (50000000 + (u * 7919 + k * 104729) % 50000000)::numeric(18,2), ${s.issuedOn('u', Y)}
       from generate_series(0, ${s.depts * s.unitsPerDept - 1}) u, generate_series(1, 3) k`,
    [region, batch, region, region],
  );
}

/**
 * `n` vouchers: i → unit (i*7919 % units), day (i % days), indicator (0.01 % unknown, all in
 * unit 0 since 100 | i), amount from a hash of i, in cents. Payees are companies (an
 * organisation word, a 20-digit corporate account) but for one voucher in 20,000 paid to a named
 * person on a personal card: a province's rules should flag few payments, not R19 (大额个人支付)
 * on half of them (the earlier `收款单位N` on a 6222… card read as a person: 146,323 of the
 * 181,598 alerts of a 176-region / 1M run), nor R03 on every day of unit 0 (1 % unknown).
 */
export async function generateVouchers(knex: Knex, region: string, batch: number | string, n: number, s: RegionShape, part: YearPart = {}): Promise<void> {
  const { fiscalYear: Y = BENCH_YEAR, days = 273, start = 0 } = part;
  await knex.raw(
    `insert into payment_vouchers (region_code, batch_id, source_line, voucher_no, fiscal_year, pay_date, agency_code, dept_code,
                                   indicator_no, func_code, econ_code, fund_type, payee_name, payee_account, pay_method, purpose, amount)
     select ?::text, ?::bigint, (i + 1)::int, 'PZ${Y}' || lpad(i::text, 9, '0'), ${Y}, date '${Y}-01-01' + (i % ${days})::int,
            ${unitExpr(s, 'u')}, ${deptExpr(s, 'u')},
            case when i % 10000 = 0 then 'ZB-UNKNOWN' else 'ZB${Y}-' || u || '-' || (1 + i % 3) end,
            ${funcExpr('u')}, (array['30101','30201','31002'])[1 + i % 3], case when u % 5 = 0 then '2' else '1' end,
            case when i % 20000 = 7 then (array['张伟','王芳','李娜','刘洋'])[1 + (i / 20000) % 4] else '收款单位' || (i % 997) || '有限公司' end,
            case when i % 20000 = 7 then '6222' || lpad(i::text, 12, '0') else '4100' || lpad(i::text, 16, '0') end, '国库集中支付', '办公用品采购',
            (((i * 2654435761) % 10000000) / 100.0)::numeric(18,2)
       from (select i, (i * 7919) % ${s.depts * s.unitsPerDept} as u from generate_series(?::bigint, ?::bigint - 1) i) s`,
    [region, batch, region, region, start, start + n],
  );
}

/**
 * Each indicator of `fiscalYear` in the region re-issued at what its vouchers so far would
 * execute over the whole year: paid × yearDays ÷ paidDays (the year's days the vouchers span)
 * × 1.02 (2 % left at year end), and × 1.4 for the units u ≡ 11 (mod 25), 2 units in 50, which
 * lag the time progress by ≈ 20 points (R01 支出进度滞后). The generated budgets were fixed
 * (50–100 million yuan an indicator whatever the region's size), so every unit of all but the
 * largest regions lagged. An indicator nothing was paid on gets its year's average. One scan of
 * the region's partition (bench/province, after each step's vouchers): materialized, as the
 * freshly filled partition has no statistics yet and the planner, guessing one row, would
 * otherwise rescan it for each indicator (> 70 s for a 58,000-voucher region).
 */
export async function fitIndicatorBudgets(knex: Knex, region: string, fiscalYear: number, paidDays: number, yearDays: number): Promise<void> {
  await knex.raw(
    `with paid as materialized (
       select indicator_no, sum(amount) as paid from payment_vouchers
        where region_code = :region and fiscal_year = :year group by indicator_no
     ),
     fit as (
       select b.indicator_no, coalesce(p.paid, avg(p.paid) over ()) as paid,
              case when split_part(b.indicator_no, '-', 2)::int % 25 = 11 then 1.4 else 1.02 end as slack
         from budget_indicators b left join paid p using (indicator_no)
        where b.region_code = :region and b.fiscal_year = :year and b.indicator_no like 'ZB%-%-%'
     )
     update budget_indicators b set amount = greatest(round(f.paid * :yearDays / :paidDays * f.slack, 2), 1000)
       from fit f
      where b.region_code = :region and b.fiscal_year = :year and b.indicator_no = f.indicator_no`,
    { region, year: fiscalYear, paidDays, yearDays },
  );
}
