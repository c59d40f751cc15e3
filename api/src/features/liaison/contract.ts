import { z } from 'zod';
import { envelope, isoDate, isoInstant, regionCode, regionId } from '../../contract/common.js';

/**
 * 部门联络员 and the 交办 loop: the departments' replies, their files, the staff decision, and
 * the 交办函's letterhead. (What a liaison reads of alerts and opinions is the alerts' and
 * opinions' own answer.)
 */

/** A file of a reply; its id is public, `411100-42` (GET /attachments/:id). */
export const Attachment = z.strictObject({ id: regionId('附件'), filename: z.string(), contentType: z.string(), size: z.number().int() });
export type Attachment = z.infer<typeof Attachment>;

export const ReplyStatus = z.enum(['submitted', 'accepted', 'returned']);
export type ReplyStatus = z.infer<typeof ReplyStatus>;

/** A department liaison's answer to a 交办 (or an opinion), and the staff decision on it. */
export const Reply = z.strictObject({
  /** Region and id, `411100-42` (POST /replies/:id/accept). */
  id: regionId('答复'),
  regionCode,
  agencyCode: z.string(),
  agencyName: z.string().nullable(),
  /** The alert's public id, `411100-42`. */
  alertId: regionId('预警').nullable(),
  /** The opinion's public id, `411100-42`. */
  opinionId: regionId('审议意见').nullable(),
  alert: z.strictObject({ ruleId: z.string(), ruleName: z.string(), subjectName: z.string().nullable(), replyDeadline: isoDate.nullable() }).nullable(),
  body: z.string(),
  status: ReplyStatus,
  /** 待采纳, 已采纳, 已退回. */
  statusZh: z.string(),
  author: z.strictObject({ id: z.string(), displayName: z.string() }),
  createdAt: isoInstant,
  reviewedBy: z.strictObject({ id: z.string(), displayName: z.string() }).nullable(),
  reviewedAt: isoInstant.nullable(),
  reviewNote: z.string().nullable(),
  attachments: z.array(Attachment),
});
export type Reply = z.infer<typeof Reply>;

/** The 交办函's issuing office, signature and contact line. */
export const Letterhead = z.strictObject({ office: z.string(), signature: z.string(), contact: z.string() });
export type Letterhead = z.infer<typeof Letterhead>;

export const liaisonResponses = {
  'POST /liaison/alerts/:id/replies': envelope(Reply),
  'POST /liaison/opinions/:id/replies': envelope(Reply),
  'GET /replies': envelope(z.array(Reply)),
  'POST /replies/:id/accept': envelope(Reply),
  'POST /replies/:id/return': envelope(Reply),
  'GET /settings/letterhead': envelope(Letterhead),
  'PUT /settings/letterhead': envelope(Letterhead),
};
