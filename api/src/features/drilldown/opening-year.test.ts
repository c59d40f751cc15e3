import Decimal from 'decimal.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, loadCity, type TestDatabase } from '../../testing/index.js';
import { refreshAggregates } from './aggregates.js';
import { getSummary, resolveContext } from './service.js';

// The demo's as-of rule on real data: in February the dashboard opens on last year's final execution.
describe('the fiscal year the drill-down opens on', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase();
    await loadCity(db, '2028-02-29'); // the generated city through the leap day 2028-02-29, fiscal years 2027 and 2028
    await refreshAggregates(db.knex);
  });
  afterAll(() => db?.drop());

  it('in January–March: the previous year as of 31 December, with the new year one switch away', async () => {
    const opening = await resolveContext(db.knex, { regionCode: '411100' });
    expect(opening).toMatchObject({ fiscalYear: 2027, asOf: '2027-12-31' });
    expect(opening.timeProgress).toMatchObject({ elapsed: 365, total: 365 });
    const closed = await getSummary(db.knex, opening);
    expect(new Decimal(closed.total.paid).gt(0)).toBe(true); // the whole year's spending, not a few weeks'

    const current = await resolveContext(db.knex, { regionCode: '411100', fiscalYear: 2028 });
    expect(current).toMatchObject({ fiscalYear: 2028, asOf: '2028-02-29' });
    expect(current.timeProgress).toMatchObject({ elapsed: 60, total: 366 });
  });

  it('an explicit as-of date keeps its own year', async () => {
    expect(await resolveContext(db.knex, { regionCode: '411100', asOf: '2028-02-29' })).toMatchObject({ fiscalYear: 2028, asOf: '2028-02-29' });
  });
});
