import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../api/src/testing/index.js';
import { down, up } from './20261210200000_alerts_autovacuum.js';

const options = async (db: TestDatabase) =>
  (await db.knex.raw<{ rows: { o: string[] | null }[] }>(`select reloptions as o from pg_class where oid = 'alerts'::regclass`)).rows[0]!.o;

describe('migration 20261210200000: autovacuum settles the alerts at 1 % of the table', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterAll(() => db.drop());

  it('sets the alerts table\'s autovacuum thresholds, and resets them down', async () => {
    expect(await options(db)).toEqual([
      'autovacuum_vacuum_scale_factor=0.01', 'autovacuum_vacuum_insert_scale_factor=0.01', 'autovacuum_analyze_scale_factor=0.02',
    ]);
    await down(db.knex);
    expect(await options(db)).toBeNull();
    await up(db.knex);
    expect(await options(db)).toHaveLength(3);
  });
});
