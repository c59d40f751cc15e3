import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, loadCity, type TestDatabase } from '../api/src/testing/index.js';
import { refreshAggregates } from '../api/src/features/drilldown/aggregates.js';
import { down, up } from './20261123070000_partition_vouchers_by_region.js';

/** What must survive the table swap: every voucher, the aggregates built from it, its statistics object. */
async function snapshot(db: TestDatabase) {
  const { rows: vouchers } = await db.knex.raw(
    `select count(*)::int as n, sum(amount)::text as total, md5(string_agg(v::text, E'\\n' order by region_code, voucher_no)) as hash
       from payment_vouchers v`,
  );
  // The drill-down's aggregates: materialized views over payment_vouchers when this migration
  // landed (it re-creates them), ordinary rollup tables since 20261207100000 (untouched by it).
  const { rows: views } = await db.knex.raw(
    `select relname as name, relkind from pg_class where relnamespace = 'public'::regnamespace and relname like 'mv\\_exec\\_%' and relkind in ('r', 'm') order by 1`,
  );
  const { rows: paid } = await db.knex.raw(`select sum(paid)::text as paid from mv_exec_dept_day`);
  const { rows: stats } = await db.knex.raw(`select stxname from pg_statistic_ext where stxrelid = 'payment_vouchers'::regclass`);
  return { vouchers: vouchers[0], views, paid: paid[0].paid, stats: stats.map((s: { stxname: string }) => s.stxname) };
}

async function partitions(db: TestDatabase) {
  const { rows } = await db.knex.raw(`select tableoid::regclass::text as part, count(*)::int as n from payment_vouchers group by 1 order by 1`);
  return rows as { part: string; n: number }[];
}

describe('migration 20261123070000: payment_vouchers partitioned by region', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase();
    await loadCity(db, '2026-06-30');
    await refreshAggregates(db.knex, { concurrently: false });
  });
  afterAll(() => db.drop());

  it('converts a table that holds vouchers both ways, keeping every row, the aggregates built from it and its statistics', async () => {
    const before = await snapshot(db);
    expect(before.vouchers.n).toBeGreaterThan(100);
    expect(before.views.length).toBeGreaterThanOrEqual(6);
    expect(before.stats).toEqual(['payment_vouchers_group_stats']);

    await down(db.knex);
    const { rows: kind } = await db.knex.raw(`select relkind from pg_class where oid = 'payment_vouchers'::regclass`);
    expect(kind[0].relkind).toBe('r');
    expect(await snapshot(db)).toEqual(before);

    await up(db.knex);
    expect(await snapshot(db)).toEqual(before);
    // Rows that were there go to their region's partition, not the default one.
    const parts = await partitions(db);
    expect(parts.every((p) => /^payment_vouchers_\d{6}$/.test(p.part))).toBe(true);
    expect(parts.reduce((s, p) => s + p.n, 0)).toBe(before.vouchers.n);
    const { rows: invalid } = await db.knex.raw(
      `select count(*)::int as n from pg_index x join pg_class c on c.oid = x.indrelid where c.relname like 'payment_vouchers%' and not x.indisvalid`,
    );
    expect(invalid[0].n).toBe(0);
    // The aggregates still rebuild from the converted table to the same figures.
    await refreshAggregates(db.knex);
    expect(await snapshot(db)).toEqual(before);
  });
});
