import { z } from 'zod';
import { envelope, isoDate, isoInstant, regionCode } from '../../contract/common.js';

/** 预警规则: what the rules API answers (the web imports these types through @contract/rules). */

/** A rule's parameters: thresholds as decimal strings, severity bands, extras (each rule's own schema). */
const params = z.record(z.string(), z.unknown());

export const RuleHistory = z.strictObject({
  version: z.number().int(),
  /** The region the change was made for; null = the defaults every region starts from. */
  regionCode: regionCode.nullable(),
  regionName: z.string().nullable(),
  paramsOld: params.nullable(),
  paramsNew: params,
  enabledOld: z.boolean().nullable(),
  enabledNew: z.boolean(),
  changedBy: z.strictObject({ id: z.string(), username: z.string(), displayName: z.string() }).nullable(),
  reason: z.string(),
  changedAt: isoInstant,
});
export type RuleHistory = z.infer<typeof RuleHistory>;

/** A rule with the settings in force for a region. */
export const RuleSetting = z.strictObject({
  id: z.string(),
  nameZh: z.string(),
  subject: z.string(),
  enabled: z.boolean(),
  version: z.number().int(),
  /** Where the settings in force were set: this region, one above it, or null = the defaults. */
  regionCode: regionCode.nullable(),
  params,
  defaults: params,
  /** The id of the user who last changed them; null for the seeded defaults. */
  updatedBy: z.string().nullable(),
  updatedAt: isoInstant,
});
export type RuleSetting = z.infer<typeof RuleSetting>;

/** One rule with the history of the changes that shaped its settings in the region. */
export const RuleDetail = RuleSetting.extend({ history: z.array(RuleHistory) });
export type RuleDetail = z.infer<typeof RuleDetail>;

export const TimeProgressConvention = z.enum(['days', 'months']);
export type TimeProgressConvention = z.infer<typeof TimeProgressConvention>;

export const TimeProgressSetting = z.strictObject({
  convention: TimeProgressConvention,
  /** Where it was set: this region, one above, or null = the default. */
  regionCode: regionCode.nullable(),
  /** With ?asOf=: the time progress at that date under the convention (percent exact to 20 places). */
  example: z.strictObject({ convention: TimeProgressConvention, elapsed: z.number().int(), total: z.number().int(), percent: z.string() }).optional(),
});
export type TimeProgressSetting = z.infer<typeof TimeProgressSetting>;

export const TimeProgressChange = z.strictObject({
  from: TimeProgressConvention.nullable(),
  to: TimeProgressConvention,
  changedAt: isoInstant,
  changedBy: z.strictObject({ username: z.string(), displayName: z.string().nullable() }).nullable(),
});
export type TimeProgressChange = z.infer<typeof TimeProgressChange>;

/** One region's evaluation: alerts raised, updated, cleared (condition gone), unchanged and suppressed (staff closed them). */
export const EvaluationResult = z.strictObject({
  evaluationId: z.string(),
  regionCode,
  asOf: isoDate,
  raised: z.number().int(),
  updated: z.number().int(),
  cleared: z.number().int(),
  unchanged: z.number().int(),
  suppressed: z.number().int(),
  /** The one pass over the vouchers all voucher rules share. */
  factsSeconds: z.number(),
  rules: z.array(z.strictObject({ ruleId: z.string(), version: z.number().int(), findings: z.number().int(), seconds: z.number() })),
  seconds: z.number(),
});
export type EvaluationResult = z.infer<typeof EvaluationResult>;

/** A past evaluation, as recorded in rule_evaluations. */
export const Evaluation = z.strictObject({
  id: z.string(),
  regionCode,
  asOf: isoDate,
  trigger: z.string(),
  /** The rule versions (thresholds) used: { R01: 3, … }. */
  ruleVersions: z.record(z.string(), z.number().int()),
  /** The counts and timings of the run, as EvaluationResult has them (null while running). */
  summary: z.unknown(),
  startedAt: isoInstant,
  finishedAt: isoInstant.nullable(),
});
export type Evaluation = z.infer<typeof Evaluation>;

/** Responses by route, read by the OpenAPI document and by the response check in tests. */
export const ruleResponses = {
  'GET /rules': z.strictObject({ data: z.array(RuleSetting), meta: TimeProgressSetting }),
  'GET /rules/time-progress': envelope(TimeProgressSetting),
  'GET /rules/time-progress/history': envelope(z.array(TimeProgressChange)),
  'PUT /rules/time-progress': envelope(TimeProgressSetting),
  'POST /rules/evaluate': envelope(z.array(EvaluationResult)),
  'GET /rules/evaluations': envelope(z.array(Evaluation)),
  'GET /rules/:id': envelope(RuleDetail),
  'GET /rules/:id/history': envelope(z.array(RuleHistory)),
  'PUT /rules/:id': envelope(RuleDetail),
};
