import { z } from 'zod';
import { envelope, isoDate, money } from '../../contract/common.js';

/** 审计整改: what the API answers, camelCase (the queries' snake_case rows are mapped in wire.ts). */

export const Finding = z.strictObject({
  findingNo: z.string(),
  auditYear: z.number().int(),
  auditProject: z.string(),
  agencyCode: z.string(),
  agencyName: z.string().nullable(),
  category: z.string(),
  description: z.string(),
  amountInvolved: money.nullable(),
  rectifiedAmount: money.nullable(),
  unrectifiedAmount: money.nullable(),
  rectifyDeadline: isoDate,
  status: z.string(),
  closedOn: isoDate.nullable(),
  /** Deadline passed and not 已整改, at the as-of date. */
  overdue: z.boolean(),
  daysOverdue: z.number().int(),
});
export type Finding = z.infer<typeof Finding>;

export const FindingStatusCount = z.strictObject({ status: z.string(), findings: z.string(), amountInvolved: money, overdue: z.string() });
export type FindingStatusCount = z.infer<typeof FindingStatusCount>;

/** 屡审屡犯: one unit and category found in two or more audit years. */
export const RepeatFinding = z.strictObject({
  agencyCode: z.string(),
  agencyName: z.string().nullable(),
  category: z.string(),
  auditYears: z.array(z.number().int()),
  findings: z.string(),
  findingNos: z.array(z.string()),
});
export type RepeatFinding = z.infer<typeof RepeatFinding>;

export const FindingsMeta = z.strictObject({ asOf: isoDate, statusCounts: z.array(FindingStatusCount) });
export type FindingsMeta = z.infer<typeof FindingsMeta>;
export const OverdueMeta = z.strictObject({ asOf: isoDate });
export type OverdueMeta = z.infer<typeof OverdueMeta>;

export const auditResponses = {
  'GET /audit/findings': z.strictObject({ data: z.array(Finding), meta: FindingsMeta }),
  'GET /audit/overdue': z.strictObject({ data: z.array(Finding), meta: OverdueMeta }),
  'GET /audit/repeats': envelope(z.array(RepeatFinding)),
};
