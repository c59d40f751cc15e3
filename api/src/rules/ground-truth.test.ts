import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadGeneratedCity } from '../../../etl/src/index.js';
import { AS_OF_DATES } from '../../../fixtures/src/as-of-dates.js';
import { createTestDatabase, type TestDatabase } from '../testing/index.js';
import { evaluateRules } from './index.js';
import { VALUE_LABEL } from '../../../web/src/utils/alert-values.js';

interface Expected {
  as_of: string;
  alerts: { rule: string; region: string; subject_key: string; period: string; severity: string }[];
  not_applicable: { rule: string; plant: string; reason: string }[];
}

const RULES = Array.from({ length: 23 }, (_, i) => `R${String(i + 1).padStart(2, '0')}`);

/**
 * The fixtures' ground truth as the oracle: generate a small city as of each date, load it
 * through the ETL, evaluate each region at that date, and require exactly the expected alerts —
 * every planted anomaly with its severity (recall), nothing else, and no near miss
 * (precision). Every rule either fires on a planted case or the ground truth says why it
 * cannot fire on that date (R01 before 1 April, R07 before a 结转 can be 180 days old …).
 */
describe.each(AS_OF_DATES)('rules against the fixtures ground truth as of %s', (asOf) => {
  let db: TestDatabase;
  let expected: Expected;
  beforeAll(async () => {
    db = await createTestDatabase();
    const city = await loadGeneratedCity(db.knex, { until: asOf, vouchers: 16_000, seed: 11, postLoad: [] });
    const notLoaded = city.run.results.filter((r) => r.outcome !== 'committed').map((r) => `${r.regionCode} ${r.businessDate} ${r.outcome} ${r.reason ?? ''}`);
    expect(notLoaded).toEqual([]);
    expected = JSON.parse(fs.readFileSync(city.expectedFile, 'utf8'));
    expect(expected.as_of).toBe(asOf);
  }, 300_000);
  afterAll(async () => {
    await db?.drop();
  });

  it('raises exactly the expected alerts: precision and recall 100 %', async () => {
    const regions = [...new Set(expected.alerts.map((a) => a.region))];
    const all: string[] = (await db.knex('regions').whereIn('level', ['city', 'county']).pluck('code')).filter((c: string) => c.startsWith('4111'));
    for (const region of [...new Set([...regions, ...all])].sort()) {
      await evaluateRules(db.knex, { regionCode: region, asOf, trigger: 'test', timeProgressConvention: 'days' });
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
  });

  it('covers every rule: a planted case fires, or the ground truth says why it cannot on this date', () => {
    const fired = new Set(expected.alerts.map((a) => a.rule));
    const excused = new Set(expected.not_applicable.map((n) => n.rule));
    expect(RULES.filter((r) => !fired.has(r) && !excused.has(r))).toEqual([]);
    for (const n of expected.not_applicable) expect(n.reason.length, n.plant).toBeGreaterThan(5);
    // From mid-July to the end of the year every rule of the catalogue has its planted case.
    if (asOf.slice(5) >= '07-15') expect([...fired].sort()).toEqual(RULES);
  });
});

describe('alert labels', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase();
    await loadGeneratedCity(db.knex, { until: '2026-11-22', vouchers: 16_000, seed: 11, postLoad: [] });
  }, 300_000);
  afterAll(async () => {
    await db?.drop();
  });

  it('gives every measured and threshold key the alerts carry a Chinese label on the alert page', async () => {
    for (const region of ['411100', '411102', '411103', '411104', '411121', '411122']) {
      await evaluateRules(db.knex, { regionCode: region, asOf: '2026-11-22', trigger: 'test', timeProgressConvention: 'days' });
    }
    const keys = new Set<string>();
    for (const a of await db.knex('alerts').select('measured', 'threshold')) {
      for (const k of [...Object.keys(a.measured), ...Object.keys(a.threshold)]) keys.add(k);
    }
    expect(keys.size).toBeGreaterThan(20);
    expect([...keys].filter((k) => !VALUE_LABEL[k]).sort()).toEqual([]);
  });
});
