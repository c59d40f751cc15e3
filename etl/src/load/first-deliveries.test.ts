import type { PoolClient } from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase, AGENCIES_CSV, csv, tempInbox, VOUCHER_HEADER, voucher, writeBundle } from '../../../api/src/testing/index.js';
import { loadInbox } from './inbox.js';
import { BUNDLE_LOCK_KEY, PARTITION_ATTACH_LOCK_KEY } from './lock.js';

/**
 * A new region's first delivery loads beside the other regions' bundles (lock.ts): its read,
 * validation, COPY into its fresh partition table and that table's index builds hold the bundle
 * lock shared; only the ATTACH is one bundle at a time.
 */
const TODAY = '2026-11-23';
const REGIONS = ['411102', '411103'];

describe('first deliveries of new regions', () => {
  let db: TestDatabase;
  let inbox: string;
  beforeAll(async () => {
    db = await createTestDatabase();
    inbox = tempInbox();
  });
  afterAll(async () => {
    await db.drop();
  });

  /** Sessions holding (granted) or awaiting an advisory lock on one bigint key, by mode. */
  const advisory = async (key: number, granted: boolean) => {
    const { rows } = await db.knex.raw(
      `select mode, count(*)::int as n from pg_locks
        where locktype = 'advisory' and database = (select oid from pg_database where datname = current_database())
          and classid = 0 and objid = ? and objsubid = 1 and granted = ? group by mode`,
      [key, granted],
    );
    return Object.fromEntries(rows.map((r: { mode: string; n: number }) => [r.mode, r.n])) as Record<string, number>;
  };

  it('two regions read, COPY and index their partitions at once, attach one after the other, and end as a lone load would', { timeout: 60_000 }, async () => {
    for (const region of REGIONS) {
      writeBundle(inbox, region, '2026-11-20', {
        'agencies.csv': AGENCIES_CSV,
        'payment_vouchers.csv': csv([
          VOUCHER_HEADER,
          ...Array.from({ length: 40 }, (_, i) => voucher(`PZ${i}`, `${i}.05`, { payee_name: `收款单位${region}-${i % 6}` })),
        ]),
      });
    }
    // Hold the attach lock: each bundle can then get only as far as its ATTACH.
    const hold = (await db.knex.client.acquireConnection()) as PoolClient;
    await hold.query('select pg_advisory_lock($1)', [PARTITION_ATTACH_LOCK_KEY]);
    const run = loadInbox(db.knex, inbox, { today: TODAY, postLoad: [], parallel: 2 });
    try {
      const t0 = Date.now();
      while ((await advisory(PARTITION_ATTACH_LOCK_KEY, false)).ExclusiveLock !== 2) {
        expect(Date.now() - t0, 'both bundles reach their ATTACH').toBeLessThan(30_000);
        await new Promise((r) => setTimeout(r, 50));
      }
      // Both got there holding the bundle lock shared, one beside the other.
      expect(await advisory(BUNDLE_LOCK_KEY, true)).toEqual({ ShareLock: 2 });
    } finally {
      await hold.query('select pg_advisory_unlock($1)', [PARTITION_ATTACH_LOCK_KEY]);
      await db.knex.client.releaseConnection(hold);
    }
    const r = await run;
    expect(r.results.map((b) => [b.regionCode, b.outcome, b.reason])).toEqual(REGIONS.map((region) => [region, 'committed', null]));

    for (const region of REGIONS) {
      const part = `payment_vouchers_${region}`;
      // Attached, holding the region's rows and amounts …
      const { rows: attached } = await db.knex.raw(`select count(*)::int as n from pg_inherits where inhrelid = ?::regclass and inhparent = 'payment_vouchers'::regclass`, [part]);
      expect(attached[0].n).toBe(1);
      const [{ n, s }] = await db.knex('payment_vouchers').where({ region_code: region }).select(db.knex.raw('count(*)::int as n, sum(amount)::text as s'));
      expect([n, s]).toEqual([40, '782.00']); // 0.05 × 40 + (0 + … + 39)
      expect(await db.knex('payment_vouchers').where({ region_code: region, voucher_no: 'PZ1' }).first('dept_code')).toEqual({ dept_code: '411100101' });
      // … with each of the parent's indexes once, built before ATTACH and adopted by it, all valid.
      const { rows: ix } = await db.knex.raw(
        `select (select count(*)::int from pg_index where indrelid = 'payment_vouchers'::regclass) as parent,
                (select count(*)::int from pg_index where indrelid = ?::regclass) as own,
                (select count(*)::int from pg_index x join pg_inherits i on i.inhrelid = x.indexrelid where x.indrelid = ?::regclass and x.indisvalid) as adopted`,
        [part, part],
      );
      expect(ix[0].own).toBe(ix[0].parent);
      expect(ix[0].adopted).toBe(ix[0].parent);
      // The payee names, in the region's own names partition.
      expect(await db.knex(`payee_names_${region}`).orderBy('payee_name').pluck('payee_name')).toEqual(
        Array.from({ length: 6 }, (_, i) => `收款单位${region}-${i}`),
      );
    }
    const { rows: valid } = await db.knex.raw(`select bool_and(indisvalid) as ok from pg_index where indrelid in ('payment_vouchers'::regclass, 'payee_names'::regclass)`);
    expect(valid[0].ok).toBe(true);
  });

  it('counts a first delivery into feed_totals while COPYing it: the rows and amounts the table holds, bad rows left out', async () => {
    const dir = writeBundle(inbox, '411104', '2026-11-20', {
      'agencies.csv': AGENCIES_CSV,
      'payment_vouchers.csv': csv([
        VOUCHER_HEADER,
        voucher('PZ1', '1,234.50'),
        voucher('PZ2', '12.345'), // bad amount
        voucher('PZ3', '-20.01', { agency_code: '411100102' }),
        voucher('PZ4', '5.00', { agency_code: '999' }), // unknown agency
        voucher('PZ5', '7.00', { pay_date: '2026-02-30' }), // bad date, legal amount
        voucher('PZ6', '0.10'),
      ]),
    });
    const r = await loadInbox(db.knex, dir.replace(/\/411104\/2026-11-20$/, ''), { today: TODAY, postLoad: [], region: '411104' });
    expect(r.results.map((b) => b.outcome)).toEqual(['committed']);
    const totals = await db.knex('feed_totals').where({ region_code: '411104' }).orderBy('feed').select('feed', 'rows', 'amount_sum');
    const expected = [];
    for (const t of totals) {
      const table = t.feed as string;
      const amount = table === 'payment_vouchers' ? 'sum(amount)::text' : 'null';
      const { rows } = await db.knex.raw(`select count(*)::int as rows, ${amount} as amount_sum from ${table} where region_code = '411104'`);
      expected.push({ feed: t.feed, rows: rows[0].rows, amount_sum: rows[0].amount_sum });
    }
    expect(totals.map((t) => ({ ...t, rows: Number(t.rows) }))).toEqual(expected);
    expect(totals.find((t) => t.feed === 'payment_vouchers')).toMatchObject({ amount_sum: '1214.59' });
  });
});
