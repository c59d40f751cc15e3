import type { Knex } from 'knex';
import { coversFiscalYear, type Finding, type RuleContext, type RuleDefinition } from './define-rule.js';
import { reconcileAlerts, type ReconcileCounts, type RuleResult } from './reconcile.js';
import { ensureRuleSettings, loadRuleSettings } from './settings.js';
import { stageVoucherFacts } from './voucher-facts.js';
import { readTimeProgressConvention, timeProgress, type TimeProgressConvention } from './time-progress.js';

export interface EvaluateOptions {
  regionCode: string;
  /** Business date, 'YYYY-MM-DD'. */
  asOf: string;
  /** Who asked: 'etl' after a load, 'api' on demand, 'cli', 'test', 'bench'. */
  trigger: string;
  /** Overrides the region's convention (tests, what-if runs). */
  timeProgressConvention?: TimeProgressConvention;
  /** Evaluate only these rule ids (still only enabled ones); default all. */
  only?: string[];
}

export interface RuleRunSummary {
  ruleId: string;
  version: number;
  findings: number;
  seconds: number;
}

export interface EvaluationResult extends ReconcileCounts {
  evaluationId: string;
  regionCode: string;
  asOf: string;
  /** The one pass over the vouchers (voucher-facts.ts) all voucher rules share. */
  factsSeconds: number;
  rules: RuleRunSummary[];
  seconds: number;
}

/**
 * Evaluates every enabled rule for one region at one as-of date and reconciles the alerts,
 * in one transaction serialised per region (an advisory lock), so two runs for the same
 * region never race on the "one open alert" index. The evaluation row records the rule
 * versions used, so every alert can be re-explained later.
 */
export async function evaluateRulesWith(
  rules: readonly RuleDefinition<any>[],
  knex: Knex,
  opts: EvaluateOptions,
): Promise<EvaluationResult> {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(opts.asOf)) throw new Error(`asOf must be YYYY-MM-DD: ${opts.asOf}`);
  const started = process.hrtime.bigint();
  // The write path gives a rule registered since start-up its row (reads never do: settings.ts).
  await ensureRuleSettings(knex, rules);
  return knex.transaction(async (trx) => {
    await trx.raw('select pg_advisory_xact_lock(hashtext(?))', [`bw:rules:${opts.regionCode}`]);
    // The region's own settings (or those it inherits): what its staff set is what it is judged by.
    const settings = await loadRuleSettings(trx, rules, opts.regionCode);
    const convention = opts.timeProgressConvention ?? (await readTimeProgressConvention(trx, opts.regionCode));
    const tp = timeProgress(opts.asOf, convention);
    const fiscalYear = Number(opts.asOf.slice(0, 4));
    const active = rules.filter((r) => settings.get(r.id)!.enabled && (!opts.only || opts.only.includes(r.id)));
    const versions = Object.fromEntries(active.map((r) => [r.id, settings.get(r.id)!.version]));

    const [{ id: evaluationId }] = await trx('rule_evaluations')
      .insert({ region_code: opts.regionCode, as_of: opts.asOf, rule_versions: JSON.stringify(versions), trigger: opts.trigger })
      .returning('id');

    const { results, summaries, factsSeconds } = await runRules(trx, active, settings, { ...opts, fiscalYear, tp });
    const counts = await reconcileAlerts(trx, { regionCode: opts.regionCode, evaluationId: String(evaluationId), results });
    const seconds = elapsedSeconds(started);
    await trx('rule_evaluations')
      .where({ region_code: opts.regionCode, id: evaluationId })
      .update({
        finished_at: trx.fn.now(),
        summary: JSON.stringify({ ...counts, timeProgress: tp, factsSeconds, rules: summaries, seconds }),
      });
    return { evaluationId: String(evaluationId), regionCode: opts.regionCode, asOf: opts.asOf, ...counts, factsSeconds, rules: summaries, seconds };
  });
}

/** The rules' findings at one date, from one pass over the vouchers; nothing written. */
async function runRules(
  trx: Knex.Transaction,
  active: readonly RuleDefinition<any>[],
  settings: Awaited<ReturnType<typeof loadRuleSettings>>,
  opts: { regionCode: string; asOf: string; fiscalYear: number; tp: ReturnType<typeof timeProgress> },
): Promise<{ results: RuleResult[]; summaries: RuleRunSummary[]; factsSeconds: number }> {
  const tFacts = process.hrtime.bigint();
  const facts = await stageVoucherFacts(trx, opts.regionCode, opts.asOf);
  const factsSeconds = elapsedSeconds(tFacts);
  const results: RuleResult[] = [];
  const summaries: RuleRunSummary[] = [];
  for (const rule of active) {
    const setting = settings.get(rule.id)!;
    const ctx: RuleContext<unknown> = { regionCode: opts.regionCode, asOf: opts.asOf, fiscalYear: opts.fiscalYear, timeProgress: opts.tp, params: setting.params, facts };
    const t0 = process.hrtime.bigint();
    const findings: Finding[] = await rule.evaluate(trx, ctx);
    summaries.push({ ruleId: rule.id, version: setting.version, findings: findings.length, seconds: elapsedSeconds(t0) });
    results.push({ rule, ctx, version: setting.version, findings, covers: (p) => (rule.covers ?? coversFiscalYear)(p, ctx) });
  }
  await trx.raw(`drop table if exists ${facts}`);
  return { results, summaries, factsSeconds };
}

export interface HeldWarning {
  ruleId: string;
  regionCode: string;
  subjectName: string | null;
  period: string;
  severity: Finding['severity'];
  explanation: string;
}

/**
 * What the rules find at a past date, without touching the alerts (a report's "as of the
 * quarter's last day" when no evaluation ran that day): the evaluation's work in a
 * transaction that is rolled back.
 */
export async function findingsAsOf(rules: readonly RuleDefinition<any>[], knex: Knex, regionCode: string, asOf: string): Promise<HeldWarning[]> {
  const out: HeldWarning[] = [];
  const trx = await knex.transaction();
  try {
    const settings = await loadRuleSettings(trx, rules, regionCode);
    const tp = timeProgress(asOf, await readTimeProgressConvention(trx, regionCode));
    const active = rules.filter((r) => settings.get(r.id)!.enabled);
    const { results } = await runRules(trx, active, settings, { regionCode, asOf, fiscalYear: Number(asOf.slice(0, 4)), tp });
    for (const r of results) {
      for (const f of r.findings) out.push({ ruleId: r.rule.id, regionCode, subjectName: f.subjectName, period: f.period, severity: f.severity, explanation: r.rule.explain(f) });
    }
  } finally {
    await trx.rollback();
  }
  return out;
}

const elapsedSeconds = (t0: bigint) => Number(process.hrtime.bigint() - t0) / 1e9;
