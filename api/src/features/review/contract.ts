import { z } from 'zod';
import { envelope, isoInstant, money, regionCode, regionId } from '../../contract/common.js';
import { Opinion } from '../opinions/contract.js';

/** 预决算审查: what the API answers (the web imports these types through @contract/review). */

export const ReviewStage = z.enum(['草案', '调整', '批准', '决算']);
export type ReviewStage = z.infer<typeof ReviewStage>;
export const ReviewSeverity = z.enum(['note', 'attention', 'issue']);
export type ReviewSeverity = z.infer<typeof ReviewSeverity>;
export const ReviewDecision = z.enum(['accepted', 'rejected']);
export type ReviewDecision = z.infer<typeof ReviewDecision>;

const counts = z.strictObject({
  total: z.number().int(), issue: z.number().int(), attention: z.number().int(), note: z.number().int(),
  accepted: z.number().int(), rejected: z.number().int(), undecided: z.number().int(),
});

/** One document a region holds: a fiscal year × stage of budget_drafts. */
export const ReviewDocument = z.strictObject({
  regionCode,
  regionName: z.string().nullable(),
  fiscalYear: z.number().int(),
  stage: ReviewStage,
  lines: z.number().int(),
  revenue: money,
  expenditure: money,
  /** The delivery the document came from (its latest batch) and when that was. */
  batchId: z.string(),
  businessDate: z.string(),
  findings: counts,
  /**
   * The one document the workspace opens on: the newest 草案 whose year has no 批准 yet (a draft
   * under review — next year's, from October), else the newest 批准 (the budget in force).
   */
  opening: z.boolean(),
  /** The opening document is a draft under review (审查中): what the workspace labels and the phone's home briefs. */
  underReview: z.boolean(),
});
export type ReviewDocument = z.infer<typeof ReviewDocument>;

/** One line beside last year's budget and execution; change = amount − last year's budget. */
export const ReviewLine = z.strictObject({
  lineNo: z.string(),
  budgetType: z.string(),
  direction: z.enum(['收入', '支出']),
  agencyCode: z.string().nullable(),
  agencyName: z.string().nullable(),
  deptCode: z.string().nullable(),
  deptName: z.string().nullable(),
  funcCode: z.string().nullable(),
  funcName: z.string().nullable(),
  econCode: z.string().nullable(),
  econName: z.string().nullable(),
  revenueCode: z.string().nullable(),
  revenueName: z.string().nullable(),
  spendingKind: z.string().nullable(),
  projectCode: z.string().nullable(),
  projectName: z.string().nullable(),
  amount: money,
  priorBudget: money.nullable(),
  priorActual: money.nullable(),
  change: money.nullable(),
  /** Percent, rounded half-up to 2 decimals; null without last year's budget. */
  changePercent: z.string().nullable(),
  note: z.string().nullable(),
  /** The public ids (`411100-42`) of the findings on this line. */
  findingIds: z.array(regionId('审查发现')),
  source: z.strictObject({ batchId: z.string(), line: z.number().int() }),
});
export type ReviewLine = z.infer<typeof ReviewLine>;

/** A sum of lines: a budget type, a function class (类/款/项 with its parent) or a department. */
export const ReviewGroup = z.strictObject({
  code: z.string(),
  name: z.string().nullable(),
  parent: z.string().nullable(),
  level: z.number().int(),
  lines: z.number().int(),
  amount: money,
  priorBudget: money,
  priorActual: money,
  change: money,
  changePercent: z.string().nullable(),
  findings: z.number().int(),
});
export type ReviewGroup = z.infer<typeof ReviewGroup>;

export const ReviewFinding = z.strictObject({
  /** Region and id, `411100-42`: how URLs name the finding (/review/findings/411100-42/decision), as the database keys it. */
  id: regionId('审查发现'),
  regionCode,
  fiscalYear: z.number().int(),
  stage: ReviewStage,
  checkId: z.string(),
  checkName: z.string(),
  checkVersion: z.number().int(),
  category: z.string(),
  severity: ReviewSeverity,
  subjectKey: z.string(),
  lineNos: z.array(z.string()),
  figures: z.record(z.string(), z.string()),
  basis: z.string(),
  explanation: z.string(),
  agencyCode: z.string().nullable(),
  /** False: the latest run no longer finds it (kept because staff decided on it). */
  current: z.boolean(),
  decision: ReviewDecision.nullable(),
  decisionNote: z.string().nullable(),
  decidedBy: z.strictObject({ id: z.string(), displayName: z.string() }).nullable(),
  decidedAt: isoInstant.nullable(),
  opinions: z.number().int(),
});
export type ReviewFinding = z.infer<typeof ReviewFinding>;

export const ReviewWorkspace = z.strictObject({
  document: ReviewDocument,
  lines: z.array(ReviewLine),
  findings: z.array(ReviewFinding),
  /** Sums for the three views; expenditure of the total budget (总预算) when the document has one, else of the departments. */
  groups: z.strictObject({ budgetTypes: z.array(ReviewGroup), functions: z.array(ReviewGroup), departments: z.array(ReviewGroup) }),
});
export type ReviewWorkspace = z.infer<typeof ReviewWorkspace>;

export const ReviewCheck = z.strictObject({
  id: z.string(),
  nameZh: z.string(),
  category: z.string(),
  basis: z.string(),
  stages: z.array(ReviewStage),
  enabled: z.boolean(),
  version: z.number().int(),
  params: z.unknown(),
  defaults: z.unknown(),
  /** Where the thresholds were set: the region itself, a region above it, or null = the defaults. */
  setIn: regionCode.nullable(),
  updatedAt: isoInstant,
});
export type ReviewCheck = z.infer<typeof ReviewCheck>;

/** One change of a check's thresholds (who, when, for which region, old → new, why). */
export const ReviewCheckChange = z.strictObject({
  version: z.number().int(),
  regionCode: regionCode.nullable(),
  regionName: z.string().nullable(),
  paramsOld: z.unknown(),
  paramsNew: z.unknown(),
  enabledOld: z.boolean().nullable(),
  enabledNew: z.boolean(),
  changedBy: z.strictObject({ id: z.string(), username: z.string(), displayName: z.string() }).nullable(),
  reason: z.string(),
  changedAt: isoInstant,
});
export type ReviewCheckChange = z.infer<typeof ReviewCheckChange>;

export const ReviewRunResult = z.strictObject({
  checks: z.array(z.strictObject({ checkId: z.string(), version: z.number().int(), findings: z.number().int() })),
  inserted: z.number().int(),
  updated: z.number().int(),
  removed: z.number().int(),
  stale: z.number().int(),
});
export type ReviewRunResult = z.infer<typeof ReviewRunResult>;

/** An archived 初审意见 (.docx). */
export const OpinionDoc = z.strictObject({
  /** Region and id, `411100-42` (/review/opinion-docs/411100-42/file). */
  id: regionId('初审意见'),
  regionCode,
  fiscalYear: z.number().int(),
  stage: ReviewStage,
  /** The accepted findings it was written from, by public id. */
  findingIds: z.array(regionId('审查发现')),
  sha256: z.string(),
  bytes: z.number().int(),
  fileName: z.string(),
  generatedBy: z.strictObject({ id: z.string(), displayName: z.string() }).nullable(),
  generatedAt: isoInstant,
});
export type OpinionDoc = z.infer<typeof OpinionDoc>;

/** One of the four lists (四张清单) as a table: its columns and rows (amounts as decimal strings). */
export const ReviewList = z.strictObject({
  title: z.string(),
  note: z.string().nullable(),
  columns: z.array(z.strictObject({ key: z.string(), header: z.string(), type: z.enum(['text', 'money', 'percent2dp', 'int']) })),
  rows: z.array(z.record(z.string(), z.string().nullable())),
});
export type ReviewList = z.infer<typeof ReviewList>;

export const reviewResponses = {
  'GET /review/documents/:fy/:stage/lists/:list': envelope(ReviewList),
  'GET /review/documents': envelope(z.array(ReviewDocument)),
  'GET /review/documents/:fy/:stage': envelope(ReviewWorkspace),
  'POST /review/documents/:fy/:stage/run': envelope(ReviewRunResult),
  'GET /review/findings': envelope(z.array(ReviewFinding)),
  'POST /review/findings/:id/decision': envelope(ReviewFinding),
  'GET /review/checks': envelope(z.array(ReviewCheck)),
  'PUT /review/checks/:id': envelope(ReviewCheck),
  'GET /review/checks/:id/history': envelope(z.array(ReviewCheckChange)),
  'POST /review/documents/:fy/:stage/opinion-docs': envelope(OpinionDoc),
  'GET /review/opinion-docs': envelope(z.array(OpinionDoc)),
  // Deputies' opinions on a line or a finding are opinions like any other (the opinions inbox lists them).
  'GET /review/documents/:fy/:stage/opinions': envelope(z.array(Opinion)),
  'POST /review/documents/:fy/:stage/lines/:lineNo/opinions': envelope(Opinion),
  'POST /review/findings/:id/opinions': envelope(Opinion),
};
