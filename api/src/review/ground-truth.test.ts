import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadGeneratedCity } from '../../../etl/src/index.js';
import { draftUnderReviewYear } from '../clock.js';
import { createTestDatabase, type TestDatabase } from '../testing/index.js';
import { evaluateRules } from '../rules/index.js';
import { CHECKS, reviewRegion } from './index.js';

interface Truth {
  documents: { region: string; fiscal_year: number; stage: string; lines: number }[];
  findings: { check: string; region: string; fiscal_year: number; stage: string; subject_key: string; line_nos: string[]; severity: string; plant: string }[];
  near_misses: { region: string; check: string; fiscal_year: number; stage: string; subject_key: string }[];
  not_applicable: { region: string; check: string; reason: string }[];
}

/**
 * The generator's planted review findings as the oracle, as for the rules: load the city as of a
 * date through the ETL, run the rules (D07 reads their alerts) and then the review of every
 * document of every region (the city and its five counties), and require exactly the expected
 * findings — region, check, document, subject, lines and severity — nothing else, no near-miss. Dates: January–March (the draft is of the year just
 * ended), mid-year, the fourth quarter (next year's draft under review: its D07 reads this year's
 * alerts), and a leap day years ahead. Pinned, so the test means the same on any day.
 */
describe.each(['2026-03-31', '2026-06-30', '2026-12-05', '2028-02-29'])('budget review against the fixtures ground truth as of %s', (asOf) => {
  let db: TestDatabase;
  let truth: Truth;
  let regions: string[];
  beforeAll(async () => {
    db = await createTestDatabase();
    const city = await loadGeneratedCity(db.knex, { until: asOf, vouchers: 16_000, seed: 11, postLoad: [] });
    expect(city.run.results.filter((r) => r.outcome !== 'committed').map((r) => r.reason)).toEqual([]);
    truth = JSON.parse(fs.readFileSync(city.expectedFile, 'utf8')).review_findings;
    regions = [...new Set(truth.documents.map((d) => d.region))].sort();
    for (const region of regions) await evaluateRules(db.knex, { regionCode: region, asOf, trigger: 'test', timeProgressConvention: 'days' });
  }, 300_000);
  afterAll(async () => {
    await db?.drop();
  });

  it('loads every document of the ground truth whole', async () => {
    const docs = await db.knex('budget_drafts').groupBy('region_code', 'fiscal_year', 'stage').orderBy(['region_code', 'fiscal_year', 'stage'])
      .select('region_code as region', 'fiscal_year', 'stage', db.knex.raw('count(*)::int as lines'));
    // Every region of the fixture city has its documents, so the workspace works for the counties too.
    expect(regions).toEqual(['411100', '411102', '411103', '411104', '411121', '411122']);
    expect(docs).toEqual([...truth.documents].sort((a, b) => a.region.localeCompare(b.region) || a.fiscal_year - b.fiscal_year || a.stage.localeCompare(b.stage)));
  });

  it('finds exactly the planted findings: precision and recall 100 %', async () => {
    for (const region of regions) await reviewRegion(db.knex, region);
    const key = (f: { region?: string; region_code?: string; check?: string; check_id?: string; fiscal_year: number; stage: string; subject_key: string; severity: string; line_nos: string[] }) =>
      `${f.region ?? f.region_code} ${f.check ?? f.check_id} ${f.fiscal_year}${f.stage} ${f.subject_key} ${f.severity} [${[...f.line_nos].sort().join(',')}]`;
    const found = new Set((await db.knex('review_findings').where({ current: true })).map(key));
    const wanted = new Set(truth.findings.map(key));
    for (const region of regions) expect(truth.findings.filter((f) => f.region === region).length, region).toBeGreaterThan(20);
    expect({ missing: [...wanted].filter((k) => !found.has(k)).sort(), unexpected: [...found].filter((k) => !wanted.has(k)).sort() })
      .toEqual({ missing: [], unexpected: [] });
    for (const n of truth.near_misses) {
      expect(await db.knex('review_findings').where({ region_code: n.region, check_id: n.check, subject_key: n.subject_key, fiscal_year: n.fiscal_year, stage: n.stage }).first(), `${n.region} ${n.check} ${n.fiscal_year} ${n.subject_key}`).toBeUndefined();
    }
  });

  it('has next year\'s draft in the fourth quarter only, and every check of a draft planted in each draft', () => {
    const next = draftUnderReviewYear(asOf);
    const draftYears = [...new Set(truth.documents.filter((d) => d.stage === '草案').map((d) => d.fiscal_year))].sort();
    expect(draftYears.includes(Number(asOf.slice(0, 4)) + 1)).toBe(next !== null);
    const draftChecks = CHECKS.filter((c) => c.stages.includes('草案')).map((c) => c.id);
    for (const region of regions) {
      const excused = new Set(truth.not_applicable.filter((n) => n.region === region).map((n) => n.check));
      for (const fy of draftYears) {
        const fired = new Set(truth.findings.filter((f) => f.region === region && f.fiscal_year === fy && f.stage === '草案').map((f) => f.check));
        expect([region, fy, draftChecks.filter((id) => !fired.has(id) && !excused.has(id))]).toEqual([region, fy, []]);
      }
    }
    // D07 on next year's draft reads this year's alerts: a project planted again after one.
    if (next !== null) expect(truth.findings.filter((f) => f.fiscal_year === next && f.check === 'D07' && f.plant === 'D07-alerted-repeat').map((f) => f.region)).toContain('411100');
  });

  it('covers every check in every region: a planted finding, or the ground truth says why not', () => {
    for (const region of regions) {
      const fired = new Set(truth.findings.filter((f) => f.region === region).map((f) => f.check));
      const excused = new Set(truth.not_applicable.filter((n) => n.region === region).map((n) => n.check));
      expect([region, CHECKS.map((c) => c.id).filter((id) => !fired.has(id) && !excused.has(id))]).toEqual([region, []]);
    }
  });

  it('a second run changes nothing and keeps every finding id', async () => {
    const before = await db.knex('review_findings').orderBy('id').select('id', 'check_id', 'subject_key', 'figures');
    const runs = (await Promise.all(regions.map((r) => reviewRegion(db.knex, r)))).flat();
    expect(runs.reduce((s, r) => s + r.inserted + r.removed, 0)).toBe(0);
    expect(await db.knex('review_findings').orderBy('id').select('id', 'check_id', 'subject_key', 'figures')).toEqual(before);
  });
});
