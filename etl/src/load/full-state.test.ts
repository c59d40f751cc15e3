import type { PoolClient } from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase, AGENCIES_HEADER, csv, feedTablesHash, tempInbox, VOUCHER_HEADER, voucher, writeBundle } from '../../../api/src/testing/index.js';
import { agencies as agenciesFeed } from '../feeds/index.js';
import { loadBundle } from './load-bundle.js';
import { mergeStage } from './merge.js';
import { createStage, stageTable } from './stage.js';

/**
 * Reference feeds (agencies, debt_limits, state_asset_reports) are delivered as the full state
 * of the region: what a later file no longer lists is removed, kept in superseded_rows as
 * 'removed'. Transaction feeds keep what a later file leaves out.
 */
const TODAY = '2026-11-23';
const LIMITS_HEADER = ['fiscal_year', 'general_limit', 'special_limit', 'general_balance', 'special_balance', 'fiscal_capacity'];
const limit = (year: string, general = '1000000.00') => [year, general, '2000000.00', '800000.00', '1500000.00', '9000000.00'];
const ASSETS_HEADER = ['report_year', 'entity_code', 'entity_name', 'asset_category', 'industry', 'total_assets', 'total_liabilities', 'operating_revenue', 'net_profit'];
const asset = (entity: string, name: string) => ['2025', entity, name, '企业', '建筑业', '5000000.00', '3000000.00', '', ''];

// 教育局 with one school, 卫健委, 民政局 with one unit.
const AGENCY_ROWS = {
  edu: ['411100101', '教育局', '', '行政'],
  school: ['411100101001', '第一实验小学', '411100101', '事业'],
  health: ['411100102', '卫生健康委员会', '', '行政'],
  civil: ['411100103', '民政局', '', '行政'],
  civilUnit: ['411100103001', '社会福利院', '411100103', '事业'],
};
const agenciesCsv = (...rows: string[][]) => csv([AGENCIES_HEADER, ...rows]);

describe('full-state reference feeds', () => {
  let db: TestDatabase;
  let inbox: string;
  const load = async (region: string, date: string, files: Record<string, string>, force = false) => {
    const r = await loadBundle(db.knex, writeBundle(inbox, region, date, files), { today: TODAY, force });
    expect(r.outcome, r.reason ?? '').toBe('committed');
    return r;
  };
  const codes = (region: string) => db.knex('agencies').where({ region_code: region }).orderBy('agency_code').pluck('agency_code');
  const history = (region: string, feed: string) =>
    db.knex('superseded_rows').where({ region_code: region, feed }).orderBy('natural_key').select('natural_key', 'change', 'row', 'batch_id', 'superseded_by_batch_id');

  beforeAll(async () => {
    db = await createTestDatabase();
    inbox = tempInbox();
  });
  afterAll(async () => {
    await db.drop();
  });

  it('removes what a later full-state file leaves out and keeps it in superseded_rows as removed', async () => {
    const first = await load('411100', '2026-11-01', {
      'agencies.csv': agenciesCsv(...Object.values(AGENCY_ROWS)),
      'debt_limits.csv': csv([LIMITS_HEADER, limit('2024'), limit('2025'), limit('2026')]),
      'state_asset_reports.csv': csv([ASSETS_HEADER, asset('E1', '漯河市投资集团'), asset('E2', '漯河市城建公司')]),
    });
    const second = await load('411100', '2026-11-02', {
      'agencies.csv': agenciesCsv(AGENCY_ROWS.edu, AGENCY_ROWS.school),
      'debt_limits.csv': csv([LIMITS_HEADER, limit('2025', '1100000.00'), limit('2026')]),
      'state_asset_reports.csv': csv([ASSETS_HEADER, asset('E1', '漯河市投资集团')]),
    });

    expect(await codes('411100')).toEqual(['411100101', '411100101001']);
    expect(await db.knex('debt_limits').where({ region_code: '411100' }).orderBy('fiscal_year').select('fiscal_year', 'general_limit')).toEqual([
      { fiscal_year: 2025, general_limit: '1100000.00' },
      { fiscal_year: 2026, general_limit: '1000000.00' },
    ]);
    expect(await db.knex('state_asset_reports').where({ region_code: '411100' }).pluck('entity_code')).toEqual(['E1']);

    const removedAgencies = await history('411100', 'agencies');
    expect(removedAgencies.map((h) => [h.natural_key, h.change, h.row.agency_name])).toEqual([
      ['411100102', 'removed', '卫生健康委员会'],
      ['411100103', 'removed', '民政局'],
      ['411100103001', 'removed', '社会福利院'],
    ]);
    for (const h of removedAgencies) expect([h.batch_id, h.superseded_by_batch_id]).toEqual([first.batchId, second.batchId]);
    expect(removedAgencies[2].row).toEqual({
      region_code: '411100', source_line: 6, agency_code: '411100103001', agency_name: '社会福利院', parent_code: '411100103', agency_type: '事业',
    });
    // 2025 was corrected (replaced), 2024 left out (removed).
    expect((await history('411100', 'debt_limits')).map((h) => [h.natural_key, h.change, h.row.general_limit])).toEqual([
      ['2024', 'removed', '1000000.00'],
      ['2025', 'replaced', '1000000.00'],
    ]);
    expect((await history('411100', 'state_asset_reports')).map((h) => [h.natural_key, h.change])).toEqual([['2025|E2', 'removed']]);
  });

  it('loading the same bundle again, even forced, leaves every table identical', async () => {
    const before = await feedTablesHash(db.knex);
    await load('411100', '2026-11-02', {}, true); // the files written by the test above
    expect(await feedTablesHash(db.knex)).toBe(before);
  });

  it('keeps a transaction feed row that a later file leaves out', async () => {
    await load('411102', '2026-11-01', {
      'agencies.csv': agenciesCsv(AGENCY_ROWS.edu, AGENCY_ROWS.school),
      'payment_vouchers.csv': csv([VOUCHER_HEADER, voucher('PZ1', '10.00'), voucher('PZ2', '20.00')]),
    });
    await load('411102', '2026-11-02', { 'payment_vouchers.csv': csv([VOUCHER_HEADER, voucher('PZ2', '20.00'), voucher('PZ3', '30.00')]) });
    expect(await db.knex('payment_vouchers').where({ region_code: '411102' }).orderBy('voucher_no').pluck('voucher_no')).toEqual(['PZ1', 'PZ2', 'PZ3']);
    expect(await history('411102', 'payment_vouchers')).toEqual([]);
  });

  it('keeps a row whose key the file carries only on a quarantined line, in its previous good version', async () => {
    await load('411103', '2026-11-01', {
      'agencies.csv': agenciesCsv(AGENCY_ROWS.edu, AGENCY_ROWS.health, AGENCY_ROWS.civil),
      'debt_limits.csv': csv([LIMITS_HEADER, limit('2024'), limit('2025')]),
    });
    const r = await load('411103', '2026-11-02', {
      // 卫健委's type and 2024's limit are bad; 民政局 is left out.
      'agencies.csv': agenciesCsv(AGENCY_ROWS.edu, ['411100102', '卫生健康委员会（新）', '', '公司']),
      'debt_limits.csv': csv([LIMITS_HEADER, limit('2024', '12.345'), limit('2025')]),
    });
    expect(r.files.map((f) => [f.feed, f.quarantined])).toEqual([['agencies', 1], ['debt_limits', 1]]);
    expect(await db.knex('agencies').where({ region_code: '411103' }).orderBy('agency_code').select('agency_code', 'agency_name')).toEqual([
      { agency_code: '411100101', agency_name: '教育局' },
      { agency_code: '411100102', agency_name: '卫生健康委员会' },
    ]);
    expect(await db.knex('debt_limits').where({ region_code: '411103' }).orderBy('fiscal_year').select('fiscal_year', 'general_limit')).toEqual([
      { fiscal_year: 2024, general_limit: '1000000.00' },
      { fiscal_year: 2025, general_limit: '1000000.00' },
    ]);
    expect((await history('411103', 'agencies')).map((h) => [h.natural_key, h.change])).toEqual([['411100103', 'removed']]);
    expect(await history('411103', 'debt_limits')).toEqual([]);
  });

  it('keeps an agency that rows of the region still refer to, and its department', async () => {
    await load('411104', '2026-11-01', {
      'agencies.csv': agenciesCsv(...Object.values(AGENCY_ROWS)),
      'payment_vouchers.csv': csv([VOUCHER_HEADER, voucher('PZ1', '10.00')]), // 第一实验小学 (教育局)
    });
    // Only 卫健委 listed: the school (vouchers) and 教育局 (the vouchers' dept_code, the
    // school's parent) stay; 民政局 and its unit go.
    await load('411104', '2026-11-02', { 'agencies.csv': agenciesCsv(AGENCY_ROWS.health) });
    expect(await codes('411104')).toEqual(['411100101', '411100101001', '411100102']);
    expect((await history('411104', 'agencies')).map((h) => [h.natural_key, h.change])).toEqual([
      ['411100103', 'removed'],
      ['411100103001', 'removed'],
    ]);
    // The drill-down still names the voucher's unit and department.
    const v = await db.knex('payment_vouchers as v')
      .join('agencies as a', function () {
        this.on('a.region_code', 'v.region_code').andOn('a.agency_code', 'v.agency_code');
      })
      .join('agencies as d', function () {
        this.on('d.region_code', 'v.region_code').andOn('d.agency_code', 'v.dept_code');
      })
      .where({ 'v.region_code': '411104', 'v.voucher_no': 'PZ1' })
      .first('a.agency_name as unit', 'd.agency_name as dept');
    expect(v).toEqual({ unit: '第一实验小学', dept: '教育局' });
  });

  it('counts removed and referenced-kept agencies in the merge counts', async () => {
    await load('411121', '2026-11-01', {
      'agencies.csv': agenciesCsv(...Object.values(AGENCY_ROWS)),
      'asset_cards.csv': csv([
        ['asset_no', 'agency_code', 'asset_name', 'asset_class', 'original_value', 'net_value', 'status', 'status_since'],
        ['ZC1', '411100101001', '教学楼', '房屋', '3000000.00', '2500000.00', '在用', '2020-09-01'],
      ]),
    });
    // A file listing only 卫健委: 民政局 and its unit go (2); the school (its asset card) and
    // 教育局 (the parent of an agency that stays; nothing names it directly) stay (2).
    const counts = await mergeInTransaction(db, '411121', [AGENCY_ROWS.health]);
    expect(counts).toEqual({ inserted: 0, updated: 0, superseded: 0, removed: 2, keptReferenced: 2 });
    expect(await codes('411121')).toEqual(['411100101', '411100101001', '411100102']);
  });

  it('removes nothing when a reference file has no data rows', async () => {
    const before = await feedTablesHash(db.knex);
    const r = await load('411100', '2026-11-03', {
      'agencies.csv': agenciesCsv(),
      'debt_limits.csv': csv([LIMITS_HEADER]),
      'state_asset_reports.csv': csv([ASSETS_HEADER]),
    });
    expect(r.rowsRead).toBe(0);
    expect(await feedTablesHash(db.knex)).toBe(before);
    expect(await codes('411100')).toEqual(['411100101', '411100101001']);
    expect(await mergeInTransaction(db, '411100', [])).toMatchObject({ removed: 0, keptReferenced: 0 });
  });
});

/** mergeStage over an agencies stage holding `rows` (all good), in a committed transaction of its own batch. */
async function mergeInTransaction(db: TestDatabase, region: string, rows: string[][]) {
  return db.knex.transaction(async (trx) => {
    const client = (await trx.client.acquireConnection()) as PoolClient;
    const [{ id }] = await trx('batches').insert({ region_code: region, business_date: '2026-11-10', source: 'inbox', status: 'committed' }).returning('id');
    await createStage(client, agenciesFeed);
    for (const [i, r] of rows.entries()) {
      await client.query(`insert into ${stageTable(agenciesFeed)} (source_line, agency_code, agency_name, parent_code, agency_type) values ($1, $2, $3, nullif($4, ''), $5)`, [i + 2, ...r]);
    }
    return mergeStage(client, agenciesFeed, region, String(id), rows.length);
  });
}
