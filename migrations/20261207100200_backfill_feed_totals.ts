import type { Knex } from 'knex';

// feed_totals for the rows loaded before the loader kept it: counted once here. The feeds and
// their control-amount columns as they are on the day this landed (frozen: not read from the
// loader's feed definitions, which may change).
const FEEDS: [feed: string, table: string, amount: string | null][] = [
  ['agencies', 'agencies', null],
  ['budget_indicators', 'budget_indicators', 'amount'],
  ['payment_vouchers', 'payment_vouchers', 'amount'],
  ['revenues', 'revenues', 'amount'],
  ['audit_findings', 'audit_findings', 'amount_involved'],
  ['debt_bonds', 'debt_bonds', 'amount'],
  ['debt_repayments', 'debt_repayments', null],
  ['debt_limits', 'debt_limits', null],
  ['state_asset_reports', 'state_asset_reports', null],
  ['asset_cards', 'asset_cards', null],
  ['performance_targets', 'performance_targets', null],
  ['transfer_payments', 'transfer_payments', 'amount'],
  ['budget_drafts', 'budget_drafts', 'amount'],
];

export async function up(knex: Knex): Promise<void> {
  for (const [feed, table, amount] of FEEDS) {
    await knex.raw(
      `insert into feed_totals (region_code, feed, rows, amount_sum)
       select region_code, ?, count(*), ${amount ? `coalesce(sum("${amount}"), 0)` : 'null'} from ?? group by region_code
       on conflict (region_code, feed) do update set rows = excluded.rows, amount_sum = excluded.amount_sum`,
      [feed, table],
    );
  }
}

// The rows are derived from the feed tables; 20261207100100's down drops the table with them.
export async function down(knex: Knex): Promise<void> {
  await knex('feed_totals').del();
}
