import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, loadCity, type TestDatabase } from '../testing/index.js';
import { evaluateRules, RULES } from './index.js';

describe('rules on the demo data (what npm start evaluates)', () => {
  let db: TestDatabase;
  let regions: string[];
  beforeAll(async () => {
    db = await createTestDatabase();
    await loadCity(db, '2025-09-30'); // the fixture generator's city, as npm start loads it
    regions = await db.knex('batches').distinct('region_code').orderBy('region_code').pluck('region_code');
  });
  afterAll(() => db.drop());

  it('evaluates every demo region, and a second run changes nothing', async () => {
    const first = [];
    expect(regions.length).toBe(6);
    for (const region of regions) first.push(await evaluateRules(db.knex, { regionCode: region, asOf: '2025-09-30', trigger: 'test' }));
    expect(first.every((r) => r.rules.length === RULES.length && RULES.length === 23)).toBe(true);
    const raised = first.reduce((n, r) => n + r.raised, 0);
    expect(raised).toBeGreaterThan(0);
    const [{ n: events }] = await db.knex('alert_events').count({ n: '*' });
    for (const region of regions) {
      expect(await evaluateRules(db.knex, { regionCode: region, asOf: '2025-09-30', trigger: 'test' })).toMatchObject({ raised: 0, updated: 0, cleared: 0 });
    }
    expect(await db.knex('alert_events').count({ n: '*' })).toEqual([{ n: events }]);
    // Every alert explains itself and links somewhere.
    const alerts = await db.knex('alerts').select('explanation', 'drill_link');
    expect(alerts).toHaveLength(raised);
    for (const a of alerts) {
      expect(a.explanation.length).toBeGreaterThan(10);
      expect(a.drill_link.route).toMatch(/^\/(drill|debt|assets|audit|overview|performance|transfers)$/);
    }
  });
});
