import type { Knex } from 'knex';
import type { Evaluation, EvaluationResult, RuleDetail, RuleHistory, RuleSetting as RuleAnswer, TimeProgressChange, TimeProgressSetting } from './contract.js';
import { today } from '../../clock.js';
import { createError, ErrorCode } from '../../errors.js';
import { latestBusinessDate } from '../drilldown/queries.js';
import type { AuthUser } from '../../middleware/auth.js';
import { evaluateRules, RULES, ruleById } from '../../rules/index.js';
import { changeRuleSetting, loadRuleSettings, ruleSettingHistory, type RuleSetting } from '../../rules/settings.js';
import { setRegionTimeProgress, timeProgress, timeProgressConventionFor, timeProgressHistory, type TimeProgressConvention } from '../../rules/time-progress.js';

function knownRule(id: string) {
  const rule = ruleById(id);
  if (!rule) throw createError(ErrorCode.NOT_FOUND, `规则 ${id} 不存在`, 404);
  return rule;
}

// params are whatever the rule's own schema accepted (an object): stored as jsonb, answered as is.
const toRule = (rule: (typeof RULES)[number], s: RuleSetting): RuleAnswer => ({
  id: rule.id,
  nameZh: rule.nameZh,
  subject: rule.subject,
  enabled: s.enabled,
  version: s.version,
  /** Where these settings were set: the region itself, a region above it, or null = the defaults. */
  regionCode: s.regionCode,
  params: s.params as Record<string, unknown>,
  defaults: rule.defaults as Record<string, unknown>,
  updatedBy: s.updatedBy,
  updatedAt: s.updatedAt,
});

export async function listRules(knex: Knex, regionCode: string): Promise<RuleAnswer[]> {
  const settings = await loadRuleSettings(knex, RULES, regionCode);
  return RULES.map((r) => toRule(r, settings.get(r.id)!));
}

export async function getRule(knex: Knex, id: string, regionCode: string): Promise<RuleDetail> {
  const rule = knownRule(id);
  const settings = await loadRuleSettings(knex, [rule], regionCode);
  return { ...toRule(rule, settings.get(id)!), history: await history(knex, id, regionCode) };
}

export async function changeRule(
  knex: Knex,
  user: AuthUser,
  id: string,
  regionCode: string,
  body: { params?: Record<string, unknown>; enabled?: boolean; reason: string },
): Promise<RuleDetail> {
  await changeRuleSetting(knex, knownRule(id), { ...body, userId: user.id, regionCode });
  return getRule(knex, id, regionCode);
}

export async function history(knex: Knex, id: string, regionCode: string): Promise<RuleHistory[]> {
  knownRule(id);
  // Parameters are objects (each rule's schema); the stored jsonb is answered as is.
  return (await ruleSettingHistory(knex, id, regionCode)).map((h) => ({
    ...h,
    paramsOld: h.paramsOld as Record<string, unknown> | null,
    paramsNew: h.paramsNew as Record<string, unknown>,
  }));
}

/** Runs the rules for a region (and, on request, every region below it), one evaluation each. */
export async function evaluateOnDemand(knex: Knex, user: AuthUser, body: { region: string; asOf?: string; includeSubRegions: boolean }): Promise<EvaluationResult[]> {
  const regions = body.includeSubRegions ? (await subTree(knex, body.region)).filter((c) => user.regionCodes.includes(c)) : [body.region];
  const results: EvaluationResult[] = [];
  for (const region of regions) {
    const asOf = body.asOf ?? (await latestBusinessDate(knex, region)) ?? today();
    results.push(await evaluateRules(knex, { regionCode: region, asOf, trigger: `api:${user.username}` }));
  }
  return results;
}

async function subTree(knex: Knex, root: string): Promise<string[]> {
  const { rows } = await knex.raw<{ rows: { code: string }[] }>(
    `with recursive t as (select code from regions where code = ? union all select r.code from regions r join t on r.parent_code = t.code)
     select code from t order by code`,
    [root],
  );
  return rows.map((r) => r.code);
}

/** The region's 时序进度 convention and where it was set (`regionCode`; null = the default). */
export async function timeProgressSetting(knex: Knex, regionCode: string, asOf?: string): Promise<TimeProgressSetting> {
  const { convention, regionCode: setIn } = await timeProgressConventionFor(knex, regionCode);
  return { convention, regionCode: setIn, ...(asOf ? { example: timeProgress(asOf, convention) } : {}) };
}

export const timeProgressChanges = (knex: Knex, regionCode: string): Promise<TimeProgressChange[]> => timeProgressHistory(knex, regionCode);

/** A region's 时序进度 convention, used by R01, R08 and R09 and its dashboard from the next evaluation on. */
export async function setTimeProgress(knex: Knex, user: AuthUser, regionCode: string, convention: TimeProgressConvention): Promise<TimeProgressSetting> {
  await setRegionTimeProgress(knex, regionCode, convention, user.id);
  return timeProgressSetting(knex, regionCode);
}

export async function recentEvaluations(knex: Knex, regionCodes: string[], limit: number): Promise<Evaluation[]> {
  const rows = await knex('rule_evaluations').whereIn('region_code', regionCodes).orderBy('id', 'desc').limit(limit);
  return rows.map((r) => ({
    id: String(r.id),
    regionCode: r.region_code,
    asOf: r.as_of,
    trigger: r.trigger,
    ruleVersions: r.rule_versions,
    summary: r.summary,
    startedAt: new Date(r.started_at).toISOString(),
    finishedAt: r.finished_at ? new Date(r.finished_at).toISOString() : null,
  }));
}
