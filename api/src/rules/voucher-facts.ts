import type { Knex } from 'knex';

/** Name of the per-evaluation table of voucher facts (a temporary table: one per connection). */
export const VOUCHER_FACTS = 'rule_voucher_facts';

/**
 * One pass over payment_vouchers per evaluation: the region's vouchers of the as-of fiscal
 * year and the one before, paid up to the as-of date, summed per
 *   fiscal_year × pay month × in_last_period × dept × unit × indicator × function × economic class
 * (+ the pay date for vouchers whose indicator is empty or unknown, which R03 reports per day).
 * The voucher rules (R01 R02 R03 R05 R06 R07 R08) read these few thousand rows instead of
 * scanning millions of vouchers each; every figure stays an exact numeric sum.
 *   in_last_period: paid up to the as-of date one year earlier (R05's same period last year)
 *   unmatched_date: the pay date when indicator_no is empty or names no indicator of the region (R03), else null
 *   max_amount:     largest single voucher (R07: was anything paid at all)
 * A temporary table dropped at commit, so it must be built and read inside one transaction.
 * Temporary tables get no autovacuum analyze, hence the explicit analyze.
 */
export async function stageVoucherFacts(trx: Knex.Transaction, regionCode: string, asOf: string): Promise<string> {
  const year = Number(asOf.slice(0, 4));
  await trx.raw(`drop table if exists ${VOUCHER_FACTS}`);
  // The planner multiplies the grouping columns' distinct counts (≈ 1.8 million groups guessed
  // for the 2,000 or so a city has), then prefers walking an index in key order over millions
  // of rows to avoid a big hash: 28 s instead of 3 s on bench/rules' city. For this one
  // statement: no ordered index walk (bitmap or sequential scans only), hash aggregation.
  await trx.raw('set local enable_indexscan = off');
  await trx.raw('set local enable_sort = off');
  // Room for the hash table (tens of thousands of groups for a city) without spilling to disk.
  await trx.raw("set local work_mem = '256MB'");
  await trx.raw(
    `create temporary table ${VOUCHER_FACTS} on commit drop as
     select v.fiscal_year, date_trunc('month', v.pay_date)::date as pay_month,
            v.pay_date <= (:asOf::date - interval '1 year')::date as in_last_period,
            v.dept_code, v.agency_code, v.indicator_no, v.func_code, v.econ_code,
            case when i.indicator_no is null then v.pay_date end as unmatched_date,
            sum(v.amount) as amount, count(*)::bigint as vouchers, max(v.amount) as max_amount
       from payment_vouchers v
       left join budget_indicators i on i.region_code = v.region_code and i.indicator_no = v.indicator_no
      where v.region_code = :region and v.fiscal_year in (:year, :prevYear) and v.pay_date <= :asOf
      group by 1, 2, 3, 4, 5, 6, 7, 8, 9`,
    { region: regionCode, asOf, year, prevYear: year - 1 },
  );
  await trx.raw('reset enable_indexscan');
  await trx.raw('reset enable_sort');
  await trx.raw('reset work_mem');
  await trx.raw(`analyze ${VOUCHER_FACTS}`);
  return VOUCHER_FACTS;
}
