import { z } from 'zod';
import { envelope, isoDate, isoInstant, pagedEnvelope, regionCode, regionId } from '../../contract/common.js';
import { Reply } from '../liaison/contract.js';
import { Opinion } from '../opinions/contract.js';

/** 预警: what the alerts API answers (the web imports these types through @contract/alerts). */

/** The workflow's states (workflow.ts holds the transitions between them). */
export const AlertStatus = z.enum(['new', 'confirmed', 'assigned', 'replied', 'closed', 'dismissed', 'cleared']);
export type AlertStatus = z.infer<typeof AlertStatus>;

/** The states staff move an alert to ('new' and 'cleared' are the rules engine's). */
export const TransitionTarget = z.enum(['confirmed', 'assigned', 'replied', 'closed', 'dismissed']);
export type TransitionTarget = z.infer<typeof TransitionTarget>;

export const Severity = z.enum(['yellow', 'orange', 'red']);
export type Severity = z.infer<typeof Severity>;

/** Where the alert's figures are on the dashboard: a route and its query. */
export const DrillLink = z.strictObject({ route: z.string(), query: z.record(z.string(), z.string()) });
export type DrillLink = z.infer<typeof DrillLink>;

export const Alert = z.strictObject({
  /** Region and id, `411100-42`: how URLs name the alert (/alerts/411100-42), as the database keys it. */
  id: regionId('预警'),
  ruleId: z.string(),
  ruleName: z.string(),
  regionCode,
  regionName: z.string().nullable(),
  subjectType: z.string(),
  subjectKey: z.string(),
  subjectName: z.string().nullable(),
  period: z.string(),
  severity: Severity,
  status: AlertStatus,
  statusZh: z.string(),
  /** Not yet closed, dismissed or cleared. */
  open: z.boolean(),
  /** Exact decimal strings, keyed by the rule's measure names. */
  measured: z.record(z.string(), z.string()),
  threshold: z.record(z.string(), z.string()),
  explanation: z.string(),
  drillLink: DrillLink,
  ruleVersion: z.number().int(),
  /** The rule evaluation that raised or last updated it; null for alerts older than evaluations. */
  evaluationId: z.string().nullable(),
  assignedAgencyCode: z.string().nullable(),
  assignedAgencyName: z.string().nullable(),
  replyDeadline: isoDate.nullable(),
  openedAt: isoInstant.nullable(),
  updatedAt: isoInstant.nullable(),
  closedAt: isoInstant.nullable(),
});
export type Alert = z.infer<typeof Alert>;

export const AlertEvent = z.strictObject({
  id: z.string(),
  kind: z.string(),
  fromStatus: z.string().nullable(),
  toStatus: z.string().nullable(),
  actor: z.strictObject({ id: z.string(), username: z.string(), displayName: z.string() }).nullable(),
  note: z.string().nullable(),
  /** The assignment's agency and deadline on a 交办, else null. */
  data: z.unknown(),
  createdAt: isoInstant.nullable(),
});
export type AlertEvent = z.infer<typeof AlertEvent>;

export const AlertDetail = Alert.extend({
  rule: z.strictObject({ id: z.string(), nameZh: z.string(), subject: z.string() }).nullable(),
  allowedTransitions: z.array(TransitionTarget),
  events: z.array(AlertEvent),
  opinions: z.array(Opinion),
  /** The department liaison's answers, with their attachments and the staff decision. */
  replies: z.array(Reply),
});
export type AlertDetail = z.infer<typeof AlertDetail>;

/** Open alerts by severity and by rule × severity. */
export const AlertStats = z.strictObject({
  open: z.number().int(),
  bySeverity: z.record(z.string(), z.number().int()),
  byRule: z.record(z.string(), z.record(z.string(), z.number().int())),
  /** The states counted as open. */
  openStatuses: z.array(AlertStatus),
});
export type AlertStats = z.infer<typeof AlertStats>;

export const BulkTransitionResult = z.strictObject({ updated: z.number().int(), to: TransitionTarget });
export type BulkTransitionResult = z.infer<typeof BulkTransitionResult>;

/** What a department liaison sees: the alerts assigned to its agencies and the opinions on them or on its departments. */
export const LiaisonItems = z.strictObject({
  agencies: z.array(z.strictObject({ code: z.string(), name: z.string() })),
  alerts: z.array(Alert),
  opinions: z.array(Opinion),
});
export type LiaisonItems = z.infer<typeof LiaisonItems>;

/** One alert assigned to the liaison's agency, with its events, replies and opinions; canReply while 已交办. */
export const LiaisonAlert = Alert.extend({
  events: z.array(AlertEvent),
  replies: z.array(Reply),
  opinions: z.array(Opinion),
  canReply: z.boolean(),
});
export type LiaisonAlert = z.infer<typeof LiaisonAlert>;

/** Responses by route, read by the OpenAPI document and by the response check in tests. */
export const alertResponses = {
  'GET /alerts': pagedEnvelope(Alert),
  'GET /alerts/stats': envelope(AlertStats),
  'GET /alerts/:id': envelope(AlertDetail),
  'POST /alerts/bulk-transitions': envelope(BulkTransitionResult),
  'POST /alerts/:id/transitions': envelope(AlertDetail),
  'POST /alerts/:id/opinions': envelope(Opinion),
  'POST /alerts/:id/opinions/:opinionId/answer': envelope(Opinion),
  // The liaison's routes (liaison/routes.ts) answer alerts as the alerts feature declares them.
  'GET /liaison/items': envelope(LiaisonItems),
  'GET /liaison/alerts/:id': envelope(LiaisonAlert),
};
