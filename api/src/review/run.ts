import type { Knex } from 'knex';
import { ensureRuleSettings, loadRuleSettings } from '../rules/settings.js';
import type { CheckDefinition, CheckFinding, DocumentRef, DraftStage } from './define-check.js';
import { CHECKS } from './index.js';

export interface ReviewRun extends DocumentRef {
  checks: { checkId: string; version: number; findings: number }[];
  inserted: number;
  updated: number;
  removed: number;
  /** Decided findings the run no longer finds: kept, marked not current. */
  stale: number;
}

/**
 * Run every enabled check that reads this document's stage and reconcile `review_findings`:
 * one row per check × subject; a finding found again keeps its id and staff's decision and
 * takes the new figures; one no longer found is deleted when nobody decided on it, else kept
 * and marked not current (a decision is history). One transaction, serialised per document.
 * Thresholds are the checks' rows in rule_settings (versioned like the rules', per region).
 */
export async function reviewDocument(knex: Knex, doc: DocumentRef, checks: readonly CheckDefinition<any>[] = CHECKS): Promise<ReviewRun> {
  await ensureRuleSettings(knex, checks);
  return knex.transaction(async (trx) => {
    await trx.raw('select pg_advisory_xact_lock(hashtext(?))', [`bw:review:${doc.regionCode}:${doc.fiscalYear}:${doc.stage}`]);
    const settings = await loadRuleSettings(trx, checks, doc.regionCode);
    const run: ReviewRun = { ...doc, checks: [], inserted: 0, updated: 0, removed: 0, stale: 0 };
    const found: { check: CheckDefinition<any>; version: number; finding: CheckFinding }[] = [];
    for (const check of checks.filter((c) => c.stages.includes(doc.stage) && settings.get(c.id)!.enabled)) {
      const setting = settings.get(check.id)!;
      const findings = await check.evaluate(trx, { ...doc, params: setting.params });
      run.checks.push({ checkId: check.id, version: setting.version, findings: findings.length });
      for (const finding of findings) found.push({ check, version: setting.version, finding });
    }
    const where = { region_code: doc.regionCode, fiscal_year: doc.fiscalYear, stage: doc.stage };
    const existing = new Map<string, { id: string; decision: string | null }>(
      (await trx('review_findings').where(where).select('id', 'check_id', 'subject_key', 'decision')).map((r) => [`${r.check_id}|${r.subject_key}`, r]),
    );
    for (const { check, version, finding } of found) {
      const values = {
        check_version: version, line_nos: finding.lineNos, severity: finding.severity, category: check.category, basis: check.basis,
        figures: JSON.stringify(finding.figures), explanation: check.explain(finding), agency_code: finding.agencyCode, current: true,
      };
      const key = `${check.id}|${finding.subjectKey}`;
      const old = existing.get(key);
      if (old) {
        await trx('review_findings').where({ region_code: doc.regionCode, id: old.id }).update({ ...values, updated_at: trx.fn.now() });
        existing.delete(key);
        run.updated++;
      } else {
        await trx('review_findings').insert({ ...where, check_id: check.id, subject_key: finding.subjectKey, ...values });
        run.inserted++;
      }
    }
    const ran = new Set(run.checks.map((c) => c.checkId));
    for (const [key, old] of existing) {
      if (!ran.has(key.split('|')[0])) continue; // a disabled check's findings stay as they were
      if (old.decision === null) {
        await trx('review_findings').where({ region_code: doc.regionCode, id: old.id }).delete();
        run.removed++;
      } else {
        await trx('review_findings').where({ region_code: doc.regionCode, id: old.id }).update({ current: false, updated_at: trx.fn.now() });
        run.stale++;
      }
    }
    return run;
  });
}

/** Review every document a region holds (the post-load hook: a load may bring any of them). */
export async function reviewRegion(knex: Knex, regionCode: string): Promise<ReviewRun[]> {
  const docs: { fiscal_year: number; stage: DraftStage }[] = await knex('budget_drafts')
    .where({ region_code: regionCode }).distinct('fiscal_year', 'stage').orderBy(['fiscal_year', 'stage']);
  const runs: ReviewRun[] = [];
  for (const d of docs) runs.push(await reviewDocument(knex, { regionCode, fiscalYear: d.fiscal_year, stage: d.stage }));
  return runs;
}
