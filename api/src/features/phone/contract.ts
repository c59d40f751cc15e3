import { z } from 'zod';
import { envelope, isoDate, isoInstant, money, regionCode, regionId } from '../../contract/common.js';

/** The deputy's phone home (代表首页) and reading a quarterly report on the phone. */

const percent = z.string().regex(/^-?\d+\.\d{2}$/).nullable();

export const PhoneAlert = z.strictObject({
  /** The alert's public id, `411100-42` (links to /alerts/:id). */
  id: regionId('预警'),
  ruleId: z.string(),
  ruleName: z.string(),
  severity: z.enum(['yellow', 'orange', 'red']),
  subjectName: z.string().nullable(),
  explanation: z.string(),
  openedAt: isoInstant,
});
export type PhoneAlert = z.infer<typeof PhoneAlert>;

export const PhoneOpinion = z.strictObject({
  /** The opinion's region and id, `411100-42`. */
  id: regionId('审议意见'),
  /** What it is about: the alert's rule and subject, or the department. */
  about: z.string(),
  link: z.string(),
  body: z.string(),
  createdAt: isoInstant.nullable(),
  /** 跟踪办理: 已答复, 部门已反馈, 已退回部门重办, 待答复. */
  state: z.enum(['answered', 'replied', 'returned', 'waiting']),
  answer: z.string().nullable(),
  answeredAt: isoInstant.nullable(),
});
export type PhoneOpinion = z.infer<typeof PhoneOpinion>;

export const PhoneHome = z.strictObject({
  /** label: the scope the figures cover, as the dashboard says it (漯河市本级). */
  region: z.strictObject({ code: regionCode, name: z.string(), label: z.string() }),
  fiscalYear: z.number().int(),
  asOf: isoDate,
  execution: z.strictObject({
    budget: money,
    paid: money,
    /** Paid in the as-of date's month so far. */
    paidThisMonth: money,
    month: z.string().regex(/^\d{4}-\d{2}$/),
    executionPercent: percent,
    timeProgressPercent: z.string(),
    behindPoints: percent,
    /** Cumulative paid at each month's end: the sparkline. */
    spark: z.array(z.strictObject({ month: z.string(), cumulativePaid: money })),
  }),
  alerts: z.strictObject({
    open: z.strictObject({ red: z.number().int(), orange: z.number().int(), yellow: z.number().int() }),
    since: isoInstant.nullable(),
    newCount: z.number().int(),
    newest: z.array(PhoneAlert),
  }),
  opinions: z.array(PhoneOpinion),
  /** The budget draft (or adjustment) under review (预决算审查), when one was delivered. */
  budgetDraft: z.strictObject({ title: z.string(), link: z.string() }).nullable(),
  latestReport: z.strictObject({ id: regionId('报告'), quarter: z.string(), asOf: isoDate, generatedAt: isoInstant }).nullable(),
});
export type PhoneHome = z.infer<typeof PhoneHome>;

export const ReportBlock = z.union([
  z.strictObject({ kind: z.literal('p'), text: z.string() }),
  z.strictObject({ kind: z.literal('table'), rows: z.array(z.array(z.string())) }),
]);
export const PhoneReport = z.strictObject({
  /** The report's public id, `411100-42` (its download: /reports/:id/download). */
  id: regionId('报告'),
  regionName: z.string(),
  quarter: z.string(),
  asOf: isoDate,
  generatedAt: isoInstant,
  fileName: z.string(),
  blocks: z.array(ReportBlock),
});
export type PhoneReport = z.infer<typeof PhoneReport>;

export const phoneResponses = {
  'GET /phone/home': envelope(PhoneHome),
  'GET /phone/reports/:id': envelope(PhoneReport),
};
