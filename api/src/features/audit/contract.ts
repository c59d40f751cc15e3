import { z } from 'zod';
import { envelope, isoDate, money } from '../../contract/common.js';

/** 审计整改: what the API answers (the feed table's column names, snake_case, as they always went out). */

export const Finding = z.strictObject({
  finding_no: z.string(),
  audit_year: z.number().int(),
  audit_project: z.string(),
  agency_code: z.string(),
  agency_name: z.string().nullable(),
  category: z.string(),
  description: z.string(),
  amount_involved: money.nullable(),
  rectified_amount: money.nullable(),
  unrectified_amount: money.nullable(),
  rectify_deadline: isoDate,
  status: z.string(),
  closed_on: isoDate.nullable(),
  /** Deadline passed and not 已整改, at the as-of date. */
  overdue: z.boolean(),
  days_overdue: z.number().int(),
});
export type Finding = z.infer<typeof Finding>;

export const FindingStatusCount = z.strictObject({ status: z.string(), findings: z.string(), amount_involved: money, overdue: z.string() });
export type FindingStatusCount = z.infer<typeof FindingStatusCount>;

/** 屡审屡犯: one unit and category found in two or more audit years. */
export const RepeatFinding = z.strictObject({
  agency_code: z.string(),
  agency_name: z.string().nullable(),
  category: z.string(),
  audit_years: z.array(z.number().int()),
  findings: z.string(),
  finding_nos: z.array(z.string()),
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
