import type { PoolClient } from 'pg';
import type { FeedDef } from '../feeds/index.js';
import { stageTable } from './stage.js';

/**
 * The days of its region a batch changed, in batch_days, read by
 * the drill-down's rollup maintenance after the load (api/src/features/drilldown/aggregates.ts);
 * day -infinity stands for every day of the region.
 * Written in the bundle's transaction, so a committed batch always says what it touched.
 *
 * The rollups add budget by the indicator's issued_on and payments by the voucher's pay_date,
 * and split a payment into matched / unmatched by whether its indicator_no exists in the
 * region — so a new or changed indicator also touches the days of the vouchers that name it.
 */
const DAY_COLUMN: Record<string, string> = { payment_vouchers: 'pay_date', budget_indicators: 'issued_on' };

export async function recordTouchedDays(client: PoolClient, feed: FeedDef, regionCode: string, batchId: string, direct: boolean): Promise<void> {
  const day = DAY_COLUMN[feed.name];
  if (!day) return;
  const insert = (select: string) =>
    client.query(`insert into batch_days (batch_id, region_code, day) select distinct $1::bigint, $2::text, d from (${select}) x(d) on conflict do nothing`, [
      batchId, regionCode,
    ]);
  if (direct) {
    // The region's first rows of the feed, COPYed without a stage: recompute the whole region.
    await insert(`select '-infinity'::date`);
    return;
  }
  const good = `select * from ${stageTable(feed)} where err is null`;
  // The new versions (identical rows included: a superset costs only their days' recompute).
  await insert(`select ${day}::date from (${good}) s`);
  // The old versions this batch replaced or removed.
  await insert(
    `select (row->>'${day}')::date from superseded_rows where superseded_by_batch_id = $1::bigint and feed = '${feed.name}' and region_code = $2::text`,
  );
  if (feed.name === 'budget_indicators') {
    // Vouchers whose matched / unmatched split may have changed with these indicators.
    await insert(
      `select v.pay_date from payment_vouchers v
        where v.region_code = $2::text
          and v.indicator_no in (select s.indicator_no from (${good}) s
                                 union select r.row->>'indicator_no' from superseded_rows r
                                  where r.superseded_by_batch_id = $1::bigint and r.feed = 'budget_indicators' and r.region_code = $2::text)`,
    );
  }
}
