import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateFixtures } from '../../../fixtures/src/index.js';
import { compactBundles } from '../../../etl/src/demo.js';
import { loadInbox } from '../../../etl/src/index.js';
import { createTestDatabase, type TestDatabase } from '../db/test-database.js';
import { evaluateRules } from './index.js';
import { VALUE_LABEL } from '../../../web/src/utils/alert-values.js';

interface Expected {
  as_of: string;
  alerts: { rule: string; region: string; subject_key: string; period: string; severity: string }[];
}

/**
 * The fixtures' ground truth as the oracle: generate a small city, load it through the ETL,
 * evaluate each region at the documented as-of date, and require exactly the expected
 * alerts — every planted anomaly with its severity (recall), nothing else, and no near miss
 * (precision). The daily bundles are compacted to one per region first (the final state of
 * every feed, which is what loading the days in order leaves; etl/src/demo.ts), so the test
 * loads six bundles instead of a few thousand.
 */
describe('rules against the fixtures ground truth (expected_alerts.json)', () => {
  let db: TestDatabase;
  let out: string;
  let expected: Expected;
  beforeAll(async () => {
    db = await createTestDatabase();
    out = fs.mkdtempSync(path.join(os.tmpdir(), 'bw-ground-truth-'));
    await generateFixtures({ out: path.join(out, 'generated'), seed: 11, vouchers: 20_000 });
    expected = JSON.parse(fs.readFileSync(path.join(out, 'generated', 'expected_alerts.json'), 'utf8'));
    compactBundles(path.join(out, 'generated'), path.join(out, 'inbox'), expected.as_of);
    const dayAfter = new Date(Date.parse(`${expected.as_of}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);
    // Rules are evaluated below at the ground truth's as-of date, for every region.
    const run = await loadInbox(db.knex, path.join(out, 'inbox'), { postLoad: [], today: dayAfter, trigger: 'cli' });
    const notLoaded = run.results.filter((r) => r.outcome !== 'committed').map((r) => `${r.regionCode} ${r.businessDate} ${r.outcome} ${r.reason ?? ''}`);
    expect(notLoaded).toEqual([]);
  }, 300_000);
  afterAll(async () => {
    await db?.drop();
    if (out) fs.rmSync(out, { recursive: true, force: true });
  });

  it('raises exactly the expected alerts: precision and recall 100 %', async () => {
    const regions = [...new Set(expected.alerts.map((a) => a.region))];
    const all: string[] = (await db.knex('regions').whereIn('level', ['city', 'county']).pluck('code')).filter((c: string) => c.startsWith('4111'));
    for (const region of [...new Set([...regions, ...all])].sort()) {
      await evaluateRules(db.knex, { regionCode: region, asOf: expected.as_of, trigger: 'test', timeProgressConvention: 'days' });
    }
    const key = (a: { rule?: string; rule_id?: string; region?: string; region_code?: string; subject_key: string; period: string; severity: string }) =>
      `${a.rule ?? a.rule_id} ${a.region ?? a.region_code} ${a.subject_key} ${a.period} ${a.severity}`;
    const raised = new Set((await db.knex('alerts').whereNull('closed_at')).map(key));
    const wanted = new Set(expected.alerts.map(key));
    const missing = [...wanted].filter((k) => !raised.has(k)).sort();
    const unexpected = [...raised].filter((k) => !wanted.has(k)).sort();
    const hits = wanted.size - missing.length;
    const precision = raised.size ? hits / raised.size : 1;
    const recall = wanted.size ? hits / wanted.size : 1;
    expect({ missing, unexpected }).toEqual({ missing: [], unexpected: [] });
    expect([precision, recall]).toEqual([1, 1]);
    expect(wanted.size).toBeGreaterThan(18);
    // Every rule of the catalogue is exercised by at least one planted case.
    expect(new Set(expected.alerts.map((a) => a.rule)).size).toBe(18);
  });

  it('gives every measured and threshold key the alerts carry a Chinese label on the alert page', async () => {
    const keys = new Set<string>();
    for (const a of await db.knex('alerts').select('measured', 'threshold')) {
      for (const k of [...Object.keys(a.measured), ...Object.keys(a.threshold)]) keys.add(k);
    }
    expect(keys.size).toBeGreaterThan(20);
    expect([...keys].filter((k) => !VALUE_LABEL[k]).sort()).toEqual([]);
  });
});
