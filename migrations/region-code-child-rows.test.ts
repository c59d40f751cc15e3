import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadInbox } from '../etl/src/index.js';
import { evaluateRules } from '../api/src/rules/index.js';
import { AGENCIES_CSV, BEHIND_SCHEDULE_ROWS, createTestDatabase, csv, insertRows, tempInbox, VOUCHER_HEADER, voucher, writeBundle, type TestDatabase } from '../api/src/testing/index.js';
import { down, up } from './20261207200000_region_code_on_child_rows.js';

const CHILDREN = [
  { table: 'alert_events', parent: 'alerts', via: 'alert_id' },
  { table: 'batch_files', parent: 'batches', via: 'batch_id' },
  { table: 'quarantine', parent: 'batches', via: 'batch_id' },
];

/** Each child row with its own region and its parent's. */
async function regions(db: TestDatabase) {
  const out: Record<string, { id: string; own: string; parent: string }[]> = {};
  for (const { table, parent, via } of CHILDREN) {
    const { rows } = await db.knex.raw(`select c.id::text, c.region_code as own, p.region_code as parent from ?? c join ?? p on p.id = c.?? order by c.id`, [table, parent, via]);
    out[table] = rows;
  }
  return out;
}

describe('migration 20261207200000: region_code on alert_events, batch_files and quarantine', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase();
    // Rows of two regions written by today's code: a bundle with a bad row each, and the alerts an evaluation raises.
    const inbox = tempInbox();
    for (const region of ['411100', '411102']) {
      const agencies = region === '411100' ? AGENCIES_CSV : AGENCIES_CSV.replaceAll('411100', region);
      const agency = region === '411100' ? '411100101001' : `${region}101001`;
      writeBundle(inbox, region, '2026-11-20', {
        'agencies.csv': agencies,
        'payment_vouchers.csv': csv([VOUCHER_HEADER, voucher(`${region}-1`, '10.50', { agency_code: agency }), voucher(`${region}-2`, 'abc', { agency_code: agency })]),
      });
    }
    const run = await loadInbox(db.knex, inbox, { postLoad: [], today: '2026-11-23' });
    expect(run.results.map((r) => r.outcome)).toEqual(['committed', 'committed']);
    await insertRows(db.knex, BEHIND_SCHEDULE_ROWS);
    await evaluateRules(db.knex, { regionCode: '411100', asOf: '2025-12-31', trigger: 'test' });
  });
  afterAll(() => db.drop());

  it('gives every existing row its parent\'s region, both ways, keyed by (region_code, id)', async () => {
    const written = await regions(db);
    for (const { table } of CHILDREN) {
      expect(written[table]!.length, table).toBeGreaterThan(0);
      for (const r of written[table]!) expect(r.own, `${table} ${r.id}`).toBe(r.parent);
    }
    expect(new Set(written.quarantine!.map((r) => r.own))).toEqual(new Set(['411100', '411102']));

    await down(db.knex);
    const { rows: left } = await db.knex.raw(`select table_name from information_schema.columns where column_name = 'region_code' and table_name = any(?)`, [CHILDREN.map((c) => c.table)]);
    expect(left).toEqual([]);

    await up(db.knex);
    expect(await regions(db)).toEqual(written);
    const { rows: pk } = await db.knex.raw(
      `select c.relname, array(select a.attname::text from unnest(i.indkey::int2[]) with ordinality k(n, o) join pg_attribute a on a.attrelid = i.indrelid and a.attnum = k.n order by k.o) as cols
         from pg_index i join pg_class c on c.oid = i.indrelid where i.indisprimary and c.relname = any(?) order by 1`,
      [CHILDREN.map((c) => c.table)],
    );
    expect(pk).toEqual(CHILDREN.map((c) => ({ relname: c.table, cols: ['region_code', 'id'] })).sort((a, b) => a.relname.localeCompare(b.relname)));
  });
});
