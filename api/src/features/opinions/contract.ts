import { z } from 'zod';
import { isoInstant, pagedEnvelope, regionCode, regionId, envelope } from '../../contract/common.js';

/** 审议意见 on an alert or a department, with the staff answer: what the API answers. */
export const Opinion = z.strictObject({
  /** Region and id, `411100-42`: how URLs name the opinion (/opinions/411100-42/answer), as the database keys it. */
  id: regionId('审议意见'),
  target: z.enum(['alert', 'department', 'review']),
  /** The alert's public id, `411100-42` (region and id). */
  alertId: regionId('预警').nullable(),
  /** On a budget document under review (预决算审查): a finding, or a line of the document. */
  review: z.strictObject({ fiscalYear: z.number().int(), stage: z.string(), findingId: regionId('审查发现').nullable(), checkId: z.string().nullable(), lineNo: z.string().nullable() }).nullable(),
  alert: z.strictObject({ ruleId: z.string(), subjectName: z.string().nullable(), ruleName: z.string().optional() }).nullable(),
  regionCode,
  regionName: z.string().nullable(),
  deptCode: z.string().nullable(),
  deptName: z.string().nullable(),
  body: z.string(),
  author: z.strictObject({ id: z.string(), displayName: z.string(), role: z.string() }),
  createdAt: isoInstant.nullable(),
  answer: z.string().nullable(),
  answeredBy: z.strictObject({ id: z.string(), displayName: z.string() }).nullable(),
  answeredAt: isoInstant.nullable(),
});
export type Opinion = z.infer<typeof Opinion>;

export const DepartmentOpinions = z.strictObject({
  department: z.strictObject({ regionCode, code: z.string(), name: z.string() }),
  opinions: z.array(Opinion),
});
export type DepartmentOpinions = z.infer<typeof DepartmentOpinions>;

/** Responses by route, read by the OpenAPI document and by the response check in tests. */
export const opinionResponses = {
  'GET /opinions': pagedEnvelope(Opinion),
  'POST /opinions/:id/answer': envelope(Opinion),
  'GET /departments/:dept/opinions': envelope(DepartmentOpinions),
  'POST /departments/:dept/opinions': envelope(Opinion),
};
