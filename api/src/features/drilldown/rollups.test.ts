import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateFixtures } from '../../../../fixtures/src/index.js';
import { FEEDS, FEEDS_BY_NAME, feedTotals, loadInbox, type PostLoadHook } from '../../../../etl/src/index.js';
import { addDays } from '../../clock.js';
import { createTestDatabase, csv, tempInbox, writeBundle, type TestDatabase } from '../../testing/index.js';
import { AGGREGATE_VIEWS, maintainAggregates, refreshAggregates, type MaintenanceResult } from './aggregates.js';
import { AGGREGATES_VERSION_KEY } from './response-cache.js';

const UNTIL = '2026-01-02';

/**
 * The generated city's daily bundles loaded in date order, a week per run, each run's
 * post-load step maintaining the rollups for the days its batches touched; then a correction
 * (a voucher moved to another day with another amount and indicator, an indicator re-dated, a
 * new indicator that matches vouchers paid before it existed). The incrementally maintained
 * rollups must equal a full rebuild row for row.
 */
describe('rollup tables maintained per load', () => {
  let db: TestDatabase;
  let inbox: string;
  const maintained: MaintenanceResult[] = [];
  const hook: PostLoadHook = async (knex, scope) => {
    maintained.push(await maintainAggregates(knex, scope.batches, { parallel: 2 }));
  };

  beforeAll(async () => {
    db = await createTestDatabase();
    inbox = tempInbox('bw-rollups-');
    await generateFixtures({ out: inbox, seed: 1, vouchers: 16_000, until: UNTIL, force: true });
  }, 120_000);
  afterAll(async () => {
    await db?.drop();
    if (inbox) fs.rmSync(inbox, { recursive: true, force: true });
  });

  const snapshot = async (): Promise<Record<string, string[]>> => {
    const out: Record<string, string[]> = {};
    for (const t of AGGREGATE_VIEWS) {
      const { rows } = await db.knex.raw<{ rows: { r: string }[] }>(`select t::text as r from ${t} t order by 1`);
      out[t] = rows.map((x) => x.r);
    }
    return out;
  };

  it('equal a full rebuild after the daily bundles and a correction', { timeout: 600_000 }, async () => {
    const regions = fs.readdirSync(inbox).filter((r) => /^\d{6}$/.test(r)).sort();
    const dates = [...new Set(regions.flatMap((r) => fs.readdirSync(path.join(inbox, r))))].sort();
    // A week of delivery dates per run.
    for (let i = 0; i < dates.length; i += 5) {
      const [from, until] = [dates[i], dates[Math.min(i + 4, dates.length - 1)]];
      const run = await loadInbox(db.knex, inbox, {
        from: Object.fromEntries(regions.map((r) => [r, from])), until, today: addDays(UNTIL, 1), postLoad: [hook],
      });
      expect(run.results.filter((r) => r.outcome !== 'committed').map((r) => `${r.regionCode} ${r.businessDate} ${r.reason}`)).toEqual([]);
      expect(run.postLoadErrors).toEqual([]);
    }
    // The first run recomputed each region whole (its first vouchers, COPYed), later ones units' days.
    expect(maintained[0].wholeRegions).toBeGreaterThan(0);
    expect(maintained.filter((m) => m.wholeRegions === 0 && m.unitDays > 0).length).toBeGreaterThan(20);
    expect(maintained.every((m) => m.days === 0)).toBe(true);

    // The correction, delivered the day after.
    const fields = async (feed: string, where: string, order: string) => {
      const cols = FEEDS_BY_NAME.get(feed)!.columns.map((c) => c.key);
      const { rows } = await db.knex.raw(
        `select ${cols.map((c) => `coalesce("${c}"::text, '') as "${c}"`).join(', ')} from ${FEEDS_BY_NAME.get(feed)!.table}
          where region_code = '411100' and ${where} order by ${order} limit 1`,
      );
      return { cols, row: rows[0] as Record<string, string> };
    };
    const v = await fields('payment_vouchers', `indicator_no is not null and pay_date < '2025-06-01'`, 'voucher_no');
    const ind = await fields('budget_indicators', `issued_on < '2025-06-01'`, 'indicator_no');
    const fresh: Record<string, string> = { ...ind.row, indicator_no: 'ZB-ROLLUP-NEW', issued_on: '2025-03-03', amount: '1234.56' };
    // Day 1: an indicator re-dated, a voucher moved to another day and amount, naming an
    // indicator that does not exist yet (unmatched).
    writeBundle(path.join(inbox, 'correction'), '411100', addDays(UNTIL, 1), {
      'budget_indicators.csv': csv([ind.cols, ind.cols.map((c) => (c === 'issued_on' ? '2025-02-14' : ind.row[c]))]),
      'payment_vouchers.csv': csv([
        v.cols,
        v.cols.map((c) => ({ pay_date: '2025-07-15', amount: '99.99', indicator_no: 'ZB-ROLLUP-NEW' } as Record<string, string>)[c] ?? v.row[c]),
      ]),
    });
    // Day 2: the indicator arrives; the voucher's day changes through it alone.
    writeBundle(path.join(inbox, 'correction'), '411100', addDays(UNTIL, 2), {
      'budget_indicators.csv': csv([ind.cols, ind.cols.map((c) => fresh[c])]),
    });
    const corrections = path.join(inbox, 'correction');
    const first = await loadInbox(db.knex, corrections, { until: addDays(UNTIL, 1), today: addDays(UNTIL, 3), postLoad: [hook] });
    expect(first.results.map((r) => r.outcome)).toEqual(['committed']);
    expect(first.results[0].files.map((f) => f.updated)).toEqual([1, 1]);
    // At least the voucher's old and new days and the indicator's new one, each of its unit.
    expect(maintained.at(-1)!.unitDays).toBeGreaterThanOrEqual(3);
    const second = await loadInbox(db.knex, corrections, { from: { '411100': addDays(UNTIL, 2) }, today: addDays(UNTIL, 3), postLoad: [hook] });
    expect(second.results.map((r) => r.outcome)).toEqual(['committed']);
    // The new indicator's day and the day of the voucher that names it, each of its unit.
    expect(maintained.at(-1)!.unitDays).toBe(2);
    const { rows: matched } = await db.knex.raw(
      `select paid_unmatched::text from mv_exec_dept_day d join payment_vouchers v on v.region_code = d.region_code and v.pay_date = d.day
        and v.dept_code = d.dept_code and v.fiscal_year = d.fiscal_year and v.fund_type = d.fund_type
        where v.region_code = '411100' and v.voucher_no = ?`,
      [v.row.voucher_no],
    );
    expect(matched.length).toBe(1);

    const incremental = await snapshot();
    for (const t of AGGREGATE_VIEWS) expect(incremental[t].length, t).toBeGreaterThan(0);
    const versionBefore = await db.knex('app_settings').where({ key: AGGREGATES_VERSION_KEY }).first('value');
    await refreshAggregates(db.knex);
    const rebuilt = await snapshot();
    for (const t of AGGREGATE_VIEWS) expect(incremental[t], t).toEqual(rebuilt[t]);
    expect((await db.knex('app_settings').where({ key: AGGREGATES_VERSION_KEY }).first('value')).value).not.toEqual(versionBefore.value);
  });

  // A batch recorded before batch_days named units (20261211100000) says only its days: each is
  // recomputed whole, every unit of it.
  it('recompute the whole day for a batch recorded without units', async () => {
    const { rows: [day] } = await db.knex.raw(
      `select to_char(day, 'YYYY-MM-DD') as day, count(distinct agency_code)::int as units from mv_exec_unit_day
        where region_code = '411100' group by day having count(distinct agency_code) > 1 order by day limit 1`,
    );
    const before = await snapshot();
    await db.knex.raw(`update mv_exec_func_day set paid = paid + 1 where region_code = '411100' and day = ?`, [day.day]);
    await db.knex.raw(`update mv_exec_unit_month set vouchers = vouchers + 1 where region_code = '411100' and month = date_trunc('month', ?::date)`, [day.day]);
    const { rows: [batch] } = await db.knex.raw(`select id::text from batches where region_code = '411100' order by id desc limit 1`);
    await db.knex.raw(`delete from batch_days where region_code = '411100' and batch_id = ?`, [batch.id]);
    await db.knex('batch_days').insert({ region_code: '411100', batch_id: batch.id, day: day.day });
    const done = await maintainAggregates(db.knex, [{ regionCode: '411100', id: batch.id }]);
    expect([done.regions, done.wholeRegions, done.days, done.unitDays]).toEqual([1, 0, 1, 0]);
    expect(await snapshot()).toEqual(before);
  });

  // The same loads, read by the Data page: the counts the loader kept equal counting the tables.
  it('the row counts and control totals the loader kept for the Data page equal counting the tables', async () => {
    const counted: { regionCode: string; feed: string; rows: number; amountSum: string | null }[] = [];
    for (const feed of FEEDS) {
      const { rows } = await db.knex.raw(
        `select region_code, count(*)::int as n, ${feed.amountColumn ? `sum("${feed.amountColumn}")::numeric(20,2)::text` : 'null'} as s
           from ${feed.table} group by region_code order by region_code`,
      );
      for (const r of rows) counted.push({ regionCode: r.region_code, feed: feed.name, rows: r.n, amountSum: r.s });
    }
    expect(counted.length).toBeGreaterThan(20);
    expect(await feedTotals(db.knex)).toEqual(counted);
  });
});
