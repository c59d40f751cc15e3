import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../../api/src/testing/index.js';
import { FEEDS } from './index.js';

// The feed declarations and the feed tables must agree column by column, or the loader's
// generated SQL would fail at the first delivery.
describe('feed definitions', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterAll(async () => {
    await db.drop();
  });

  it('declares the feeds of DATA-INTERFACE.md, agencies first', () => {
    expect(FEEDS.map((f) => f.name)).toEqual([
      'agencies', 'budget_indicators', 'payment_vouchers', 'revenues', 'audit_findings',
      'debt_bonds', 'debt_repayments', 'debt_limits', 'state_asset_reports', 'asset_cards',
      'budget_drafts', 'performance_targets', 'transfer_payments',
    ]);
  });

  it('matches every feed table: same columns, key = primary key, required = not null', async () => {
    for (const feed of FEEDS) {
      const { rows } = await db.knex.raw(
        `select column_name, is_nullable from information_schema.columns where table_name = ? and table_schema = 'public'`,
        [feed.table],
      );
      const cols = new Map((rows as { column_name: string; is_nullable: string }[]).map((r) => [r.column_name, r.is_nullable]));
      const extra = feed.deptFrom ? ['dept_code'] : [];
      const declared = [...feed.columns.map((c) => c.key), ...extra, 'region_code', 'batch_id', 'source_line'].sort();
      expect([...cols.keys()].sort(), feed.name).toEqual(declared);
      for (const c of feed.columns) expect(cols.get(c.key), `${feed.name}.${c.key}`).toBe(c.required ? 'NO' : 'YES');

      const pk = await db.knex.raw(
        `select a.attname from pg_index i join pg_attribute a on a.attrelid = i.indrelid and a.attnum = any(i.indkey)
         where i.indrelid = ?::regclass and i.indisprimary`,
        [feed.table],
      );
      expect((pk.rows as { attname: string }[]).map((r) => r.attname).sort(), feed.name).toEqual(['region_code', ...feed.key].sort());
    }
  });

  it('has unique Chinese headers within a feed', () => {
    for (const feed of FEEDS) {
      const names = feed.columns.flatMap((c) => [c.key, ...c.zh]);
      expect(new Set(names).size, feed.name).toBe(names.length);
    }
  });
});
