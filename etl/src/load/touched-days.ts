import type { PoolClient } from 'pg';
import type { FeedDef } from '../feeds/index.js';
import { DEPT_EXPR } from './agency-rules.js';
import { stageTable } from './stage.js';

/**
 * The units' days of its region a batch changed — (day, dept_code, agency_code) — in batch_days,
 * read by the drill-down's rollup maintenance after the load
 * (api/src/features/drilldown/aggregates.ts); day -infinity stands for every day of the region,
 * agency_code '' for every unit of the day (rows recorded before 20261211100000).
 * Written in the bundle's transaction, so a committed batch always says what it touched.
 *
 * The rollups add budget by the indicator's issued_on and payments by the voucher's pay_date,
 * and split a payment into matched / unmatched by whether its indicator_no exists in the
 * region — so a new or changed indicator also touches the days of the vouchers that name it.
 * A unit, not the whole day: a correction moves a voucher onto an old day that holds the more
 * vouchers the more was loaded, but few of them are the unit's.
 */
const DAY_COLUMN: Record<string, string> = { payment_vouchers: 'pay_date', budget_indicators: 'issued_on' };

export async function recordTouchedDays(client: PoolClient, feed: FeedDef, regionCode: string, batchId: string, direct: boolean): Promise<void> {
  const day = DAY_COLUMN[feed.name];
  if (!day) return;
  const insert = (select: string) =>
    client.query(
      `insert into batch_days (batch_id, region_code, day, dept_code, agency_code)
       select distinct $1::bigint, $2::text, d, dp, ag from (${select}) x(d, dp, ag) on conflict do nothing`,
      [batchId, regionCode],
    );
  if (direct) {
    // The region's first rows of the feed, COPYed without a stage: recompute the whole region.
    await insert(`select '-infinity'::date, '', ''`);
    return;
  }
  // The new versions (identical rows included: a superset costs only their units' recompute),
  // under the 主管部门 the merge resolves for them; rows of unknown agencies were marked bad.
  const good = `select s.* from ${stageTable(feed)} s where s.err is null`;
  await insert(
    `select s.${day}::date, ${DEPT_EXPR}, s.agency_code from (${good}) s
       join agencies a on a.region_code = $2::text and a.agency_code = s.agency_code`,
  );
  // The old versions this batch replaced or removed, kept whole with the dept_code they had.
  const old = `select row from superseded_rows where superseded_by_batch_id = $1::bigint and feed = '${feed.name}' and region_code = $2::text`;
  await insert(`select (row->>'${day}')::date, row->>'dept_code', row->>'agency_code' from (${old}) h`);
  if (feed.name === 'budget_indicators') {
    // Vouchers whose matched / unmatched split may have changed with these indicators.
    await insert(
      `select v.pay_date, v.dept_code, v.agency_code from payment_vouchers v
        where v.region_code = $2::text
          and v.indicator_no in (select s.indicator_no from (${good}) s union select h.row->>'indicator_no' from (${old}) h)`,
    );
  }
}
