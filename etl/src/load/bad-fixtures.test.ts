import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { addDays, ROOT_DIR } from '../../../api/src/core.js';
import { createTestDatabase, type TestDatabase } from '../../../api/src/testing/index.js';
import { FEEDS, FEEDS_BY_NAME } from '../feeds/index.js';
import { loadBundle } from './load-bundle.js';

/**
 * The fixtures engineer's bad-input set: fixtures/bad/<case>/<region>/<date>/ with
 * expected.json beside it. One test per case, each against an emptied database: outcome,
 * rows loaded per feed, table control totals, quarantined file/line/column/code, row values, and
 * for a rejection its code, that nothing is kept and that the reason names what it should.
 */
interface Expected {
  case: string;
  bundle: string;
  outcome: 'loaded' | 'rejected';
  loaded: Record<string, number>;
  amount_sum?: Record<string, string>;
  quarantined?: { file: string; line: number; column: string | null; code: string }[];
  values?: Record<string, Record<string, Record<string, string>>>;
  rejection?: { code: string; file: string | null; mentions: string[] };
}

const BAD_DIR = path.join(ROOT_DIR, 'fixtures/bad');
const CASES: Expected[] = fs
  .readdirSync(BAD_DIR)
  .filter((d) => fs.existsSync(path.join(BAD_DIR, d, 'expected.json')))
  .sort()
  .map((d) => JSON.parse(fs.readFileSync(path.join(BAD_DIR, d, 'expected.json'), 'utf8')) as Expected);
// The bundles are committed data with dates of their own: load them as the nightly run of the
// day after the earliest would (the future-date case lies beyond it), whatever the clock says.
const TODAY = addDays(CASES.map((c) => c.bundle.split('/')[1]).sort()[0], 1);

describe('fixtures/bad', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterAll(async () => {
    await db.drop();
  });
  beforeEach(async () => {
    const tables = [...FEEDS.map((f) => f.table), 'superseded_rows', 'quarantine', 'batch_files', 'batches', 'etl_runs'];
    await db.knex.raw(`truncate ${tables.join(', ')} restart identity cascade`);
  });

  it('has the cases the issue asks for', () => {
    expect(CASES.length).toBeGreaterThanOrEqual(10);
  });

  for (const c of CASES) {
    it(`${c.case}: ${c.outcome}`, async () => {
      const [region] = c.bundle.split('/');
      const r = await loadBundle(db.knex, path.join(BAD_DIR, c.case, c.bundle), { today: TODAY });
      if (c.outcome === 'rejected') {
        expect([r.outcome, r.code], r.reason ?? '').toEqual(['rejected', c.rejection!.code]);
        for (const feed of FEEDS) expect(Number((await db.knex(feed.table).count({ n: '*' }))[0].n), feed.name).toBe(0);
        expect(await db.knex('quarantine').count({ n: '*' })).toEqual([{ n: '0' }]);
        const batch = await db.knex('batches').where({ id: r.batchId }).first();
        expect(batch).toMatchObject({ status: 'rejected', reject_code: c.rejection!.code, reject_reason: r.reason });
        if (c.rejection!.file) expect(r.reason).toContain(c.rejection!.file);
        expect(c.rejection!.mentions.some((m) => r.reason!.includes(m)), `${r.reason} mentions one of ${c.rejection!.mentions.join(', ')}`).toBe(true);
        return;
      }
      expect(r.outcome, r.reason ?? '').toBe('committed');
      for (const [feed, n] of Object.entries(c.loaded)) {
        const [{ count }] = await db.knex(FEEDS_BY_NAME.get(feed)!.table).where({ region_code: region }).count({ count: '*' });
        expect(Number(count), feed).toBe(n);
      }
      for (const [feed, sum] of Object.entries(c.amount_sum ?? {})) {
        const def = FEEDS_BY_NAME.get(feed)!;
        const [{ s }] = await db.knex(def.table).where({ region_code: region }).select(db.knex.raw('coalesce(sum(??), 0)::numeric(18,2)::text as s', [def.amountColumn!]));
        expect(s, feed).toBe(sum);
      }
      const q = await db.knex('quarantine').orderBy(['file_name', 'line_no']).select('file_name', 'line_no', 'column_name', 'reason_code');
      expect(q.map((x) => [x.file_name, x.line_no, x.column_name, x.reason_code])).toEqual((c.quarantined ?? []).map((x) => [x.file, x.line, x.column, x.code]));
      // One shape of raw whatever the reason or the file's header language: the feed's key
      // under its English name, and the header as sent.
      for (const feed of new Set(c.quarantined?.map((x) => x.file.replace(/\.(csv|xlsx)$/, '')))) {
        const key = FEEDS_BY_NAME.get(feed)!.key[0];
        const rows = await db.knex('quarantine').where({ feed }).select(db.knex.raw('raw->>? as v', [key]), db.knex.raw("raw->'_header'->>? as h", [key]));
        for (const x of rows) {
          expect(x.v, `${c.case} raw->>'${key}'`).toMatch(/\S/);
          expect(x.h, `${c.case} raw->'_header'->>'${key}'`).toMatch(/\S/);
        }
      }
      for (const [feed, rows] of Object.entries(c.values ?? {})) {
        const def = FEEDS_BY_NAME.get(feed)!;
        for (const [key, cols] of Object.entries(rows)) {
          const row = await db.knex(def.table).where({ region_code: region, [def.key[0]]: key }).first();
          expect(row, `${feed} ${key}`).toBeDefined();
          for (const [col, v] of Object.entries(cols)) expect(String(row[col]), `${feed} ${key} ${col}`).toBe(v);
        }
      }
    });
  }
});
