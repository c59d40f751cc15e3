import type { Knex } from 'knex';
import { SEVERITIES, type Finding, type RuleContext, type RuleDefinition, type Severity } from './define-rule.js';

export interface RuleResult {
  rule: RuleDefinition<any>;
  ctx: RuleContext<unknown>;
  version: number;
  findings: Finding[];
  /** Whether an open alert of this period is spoken for by this evaluation. */
  covers: (period: string) => boolean;
}

export interface ReconcileCounts {
  raised: number;
  updated: number;
  cleared: number;
  unchanged: number;
  /** Findings matching an alert staff closed or dismissed, at no higher severity: not raised again. */
  suppressed: number;
}

export const CLEARED_NOTE = '条件已消除，自动关闭';

interface OpenAlert {
  id: string;
  rule_id: string;
  subject_key: string;
  period: string;
  status: string;
  severity: Severity;
  subject_name: string | null;
  measured: unknown;
  threshold: unknown;
  explanation: string;
  drill_link: unknown;
}

const keyOf = (ruleId: string, subjectKey: string, period: string) => `${ruleId}\u0000${subjectKey}\u0000${period}`;
const rank = (s: string) => SEVERITIES.indexOf(s as Severity);

/** JSON with object keys sorted, so jsonb read back compares equal to what was written. */
function canonical(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonical).join(',')}]`;
  if (v && typeof v === 'object') {
    return `{${Object.keys(v).sort().map((k) => `${JSON.stringify(k)}:${canonical((v as Record<string, unknown>)[k])}`).join(',')}}`;
  }
  return JSON.stringify(v ?? null);
}

/**
 * Brings the region's alerts in line with the findings, with a fixed number of statements:
 * - a finding without an open alert → insert (status new) + 'raised' event;
 * - an open alert whose severity, values, threshold, wording or link changed → update +
 *   'updated' event holding old and new;
 * - an open alert found unchanged → nothing at all (a re-run on the same data writes nothing);
 * - an open alert of a covered period not found → status 'cleared', closed_at, 'cleared' event.
 * Staff-closed (销号) and dismissed (误报) alerts are not raised again for the same rule ×
 * subject × period unless the severity rose.
 */
export async function reconcileAlerts(
  trx: Knex.Transaction,
  { regionCode, evaluationId, results }: { regionCode: string; evaluationId: string; results: RuleResult[] },
): Promise<ReconcileCounts> {
  const ruleIds = results.map((r) => r.rule.id);
  const counts: ReconcileCounts = { raised: 0, updated: 0, cleared: 0, unchanged: 0, suppressed: 0 };
  if (ruleIds.length === 0) return counts;

  const open: OpenAlert[] = await trx('alerts')
    .where({ region_code: regionCode })
    .whereIn('rule_id', ruleIds)
    .whereNull('closed_at')
    .select('id', 'rule_id', 'subject_key', 'period', 'status', 'severity', 'subject_name', 'measured', 'threshold', 'explanation', 'drill_link');
  const openByKey = new Map(open.map((a) => [keyOf(a.rule_id, a.subject_key, a.period), a]));

  const settled: { rule_id: string; subject_key: string; period: string; severity: string }[] = await trx('alerts')
    .where({ region_code: regionCode })
    .whereIn('rule_id', ruleIds)
    .whereIn('status', ['closed', 'dismissed'])
    .select('rule_id', 'subject_key', 'period', 'severity');
  const settledMax = new Map<string, number>();
  for (const s of settled) {
    const k = keyOf(s.rule_id, s.subject_key, s.period);
    settledMax.set(k, Math.max(settledMax.get(k) ?? -1, rank(s.severity)));
  }

  type Row = Record<string, unknown>;
  const inserts: Row[] = [];
  const updates: { id: string; row: Row; old: OpenAlert }[] = [];
  const seen = new Set<string>();

  const ordered = results
    .flatMap((res) => res.findings.map((f) => ({ res, f })))
    .sort((a, b) => cmp(a.res.rule.id, b.res.rule.id) || cmp(a.f.subjectKey, b.f.subjectKey) || cmp(a.f.period, b.f.period));
  for (const { res, f } of ordered) {
    const key = keyOf(res.rule.id, f.subjectKey, f.period);
    if (seen.has(key)) throw new Error(`${res.rule.id} returned ${f.subjectKey} ${f.period} twice`);
    seen.add(key);
    const row: Row = {
      subject_type: f.subjectType,
      subject_name: f.subjectName,
      severity: f.severity,
      measured: f.measured,
      threshold: f.threshold,
      explanation: res.rule.explain(f),
      drill_link: f.drillLink,
    };
    const existing = openByKey.get(key);
    if (!existing) {
      const closedRank = settledMax.get(key);
      if (closedRank !== undefined && rank(f.severity) <= closedRank) {
        counts.suppressed++;
        continue;
      }
      inserts.push({
        ...row, rule_id: res.rule.id, region_code: regionCode, subject_key: f.subjectKey, period: f.period,
        status: 'new', rule_version: res.version, evaluation_id: evaluationId,
      });
      continue;
    }
    const same =
      existing.severity === f.severity &&
      existing.subject_name === f.subjectName &&
      existing.explanation === row.explanation &&
      canonical(existing.measured) === canonical(f.measured) &&
      canonical(existing.threshold) === canonical(f.threshold) &&
      canonical(existing.drill_link) === canonical(f.drillLink);
    if (same) counts.unchanged++;
    else updates.push({ id: existing.id, row: { ...row, rule_version: res.version, evaluation_id: evaluationId }, old: existing });
  }

  const coversOf = new Map(results.map((r) => [r.rule.id, r.covers]));
  const gone = open
    .filter((a) => !seen.has(keyOf(a.rule_id, a.subject_key, a.period)) && coversOf.get(a.rule_id)!(a.period))
    .sort((a, b) => cmp(a.id.padStart(20, '0'), b.id.padStart(20, '0')));

  const events: Row[] = [];
  if (inserts.length > 0) {
    const json = (r: Row) => ({ ...r, measured: JSON.stringify(r.measured), threshold: JSON.stringify(r.threshold), drill_link: JSON.stringify(r.drill_link) });
    for (let i = 0; i < inserts.length; i += 1000) {
      const chunk = inserts.slice(i, i + 1000);
      const ids: { id: string }[] = await trx('alerts').insert(chunk.map(json)).returning('id');
      ids.forEach(({ id }, j) =>
        events.push({ alert_id: id, kind: 'raised', from_status: null, to_status: 'new', note: chunk[j].explanation, data: JSON.stringify({ evaluationId }) }),
      );
    }
    counts.raised = inserts.length;
  }

  if (updates.length > 0) {
    const payload = updates.map((u) => ({ id: u.id, ...u.row }));
    await trx.raw(
      `update alerts a
          set subject_type = x.subject_type, subject_name = x.subject_name, severity = x.severity,
              measured = x.measured, threshold = x.threshold, explanation = x.explanation,
              drill_link = x.drill_link, rule_version = x.rule_version, evaluation_id = x.evaluation_id,
              updated_at = now()
         from jsonb_to_recordset(?::jsonb) as x(id bigint, subject_type text, subject_name text, severity text,
              measured jsonb, threshold jsonb, explanation text, drill_link jsonb, rule_version int, evaluation_id bigint)
        where a.region_code = ? and a.id = x.id`,
      [JSON.stringify(payload), regionCode],
    );
    for (const u of updates) {
      events.push({
        alert_id: u.id, kind: 'updated', from_status: u.old.status, to_status: u.old.status, note: u.row.explanation,
        data: JSON.stringify({
          evaluationId,
          old: { severity: u.old.severity, measured: u.old.measured, threshold: u.old.threshold, explanation: u.old.explanation },
          new: { severity: u.row.severity, measured: u.row.measured, threshold: u.row.threshold, explanation: u.row.explanation },
        }),
      });
    }
    counts.updated = updates.length;
  }

  if (gone.length > 0) {
    await trx('alerts')
      .where({ region_code: regionCode })
      .whereIn('id', gone.map((a) => a.id))
      .update({ status: 'cleared', closed_at: trx.fn.now(), updated_at: trx.fn.now(), evaluation_id: evaluationId });
    for (const a of gone) {
      events.push({ alert_id: a.id, kind: 'cleared', from_status: a.status, to_status: 'cleared', note: CLEARED_NOTE, data: JSON.stringify({ evaluationId }) });
    }
    counts.cleared = gone.length;
  }

  // Every event carries its alert's region (its key, and its shard under Citus: docs/SCALE-OUT.md).
  for (let i = 0; i < events.length; i += 1000) await trx('alert_events').insert(events.slice(i, i + 1000).map((e) => ({ ...e, region_code: regionCode })));
  return counts;
}

const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
