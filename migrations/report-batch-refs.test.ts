import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadInbox } from '../etl/src/index.js';
import { AGENCIES_CSV, createTestDatabase, csv, tempInbox, VOUCHER_HEADER, voucher, writeBundle, type TestDatabase } from '../api/src/testing/index.js';
import { down, up } from './20261209200100_report_batch_refs.js';

describe('migration 20261209200100: an archived report names its batches by region and id', () => {
  let db: TestDatabase;
  const batches: Record<string, string> = {};
  beforeAll(async () => {
    db = await createTestDatabase();
    // Two regions' batches, as a 全辖 report reads them.
    const inbox = tempInbox();
    for (const region of ['411100', '411102']) {
      const agency = region === '411100' ? '411100101001' : `${region}101001`;
      writeBundle(inbox, region, '2026-11-20', {
        'agencies.csv': region === '411100' ? AGENCIES_CSV : AGENCIES_CSV.replaceAll('411100', region),
        'payment_vouchers.csv': csv([VOUCHER_HEADER, voucher(`${region}-1`, '10.50', { agency_code: agency })]),
      });
    }
    expect((await loadInbox(db.knex, inbox, { postLoad: [], today: '2026-11-23' })).results.map((r) => r.outcome)).toEqual(['committed', 'committed']);
    for (const b of await db.knex('batches').select('region_code', 'id')) batches[b.region_code] = String(b.id);
  });
  afterAll(() => db.drop());

  it('turns the ids of a report written before it into region and id, each batch\'s own region, and back', async () => {
    await down(db.knex);
    // A batch no longer there keeps the report's region.
    const ids = [batches['411102']!, batches['411100']!, '999999'];
    await db.knex('reports').insert({
      region_code: '411100', scope: 'all', quarter: '2026Q3', as_of: '2026-09-30', batch_ids: ids, file_name: 'r.docx', content: Buffer.from('x'), content_hash: 'h', size_bytes: 1,
    });
    await up(db.knex);
    const row = await db.knex('reports').first('batch_ids');
    expect(row.batch_ids).toEqual([`411100-${batches['411100']}`, '411100-999999', `411102-${batches['411102']}`]);
    await down(db.knex);
    expect((await db.knex('reports').first('batch_ids')).batch_ids.map(String)).toEqual([batches['411100'], '999999', batches['411102']]);
    await up(db.knex);
  });
});
