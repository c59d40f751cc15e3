import { z } from 'zod';
import { envelope, isoDate, money, pageMeta, regionCode, regionId } from '../../contract/common.js';

/** 重点监督 (issue 15): performance targets monitored with spending, and transfer payments. */

const severity = z.enum(['yellow', 'orange', 'red']);

/** One project indicator with its performance targets summed up (R21's measure). */
export const PerformanceProject = z.strictObject({
  /** The region whose budget holds the indicator (全辖 lists mix regions). */
  regionCode,
  indicatorNo: z.string(),
  projectCode: z.string().nullable(),
  projectName: z.string().nullable(),
  deptCode: z.string(),
  agencyCode: z.string(),
  agencyName: z.string().nullable(),
  kind: z.string(),
  amount: money,
  paid: money,
  /** Percent, exact decimal strings. */
  executionRate: money,
  targets: z.number().int(),
  measuredTargets: z.number().int(),
  onTrack: z.number().int(),
  onTrackShare: money.nullable(),
  /** executionRate − onTrackShare in percentage points; null when no quantitative 产出 target. */
  gap: money.nullable(),
});
export type PerformanceProject = z.infer<typeof PerformanceProject>;

export const PerformanceTarget = z.strictObject({
  targetNo: z.string(),
  level1: z.string(),
  level2: z.string().nullable(),
  name: z.string(),
  direction: z.string(),
  targetValue: z.string(),
  unit: z.string().nullable(),
  actualValue: z.string().nullable(),
  actualAsOf: isoDate.nullable(),
  /** actual ÷ target in percent, for quantitative targets with a result. */
  progress: money.nullable(),
  /** ≥ targets: progress ≥ time progress; null where that is not measured. */
  onTrack: z.boolean().nullable(),
  selfScore: money.nullable(),
});
export type PerformanceTarget = z.infer<typeof PerformanceTarget>;

export const KeyAlert = z.strictObject({
  /** The alert's public id, `411100-42` (links to /alerts/:id). */
  id: regionId('预警'),
  ruleId: z.string(),
  severity,
  explanation: z.string(),
  period: z.string(),
});
export type KeyAlert = z.infer<typeof KeyAlert>;

export const ProjectDetail = z.strictObject({
  asOf: isoDate,
  timeProgress: money,
  project: PerformanceProject,
  /** Cumulative payments by month of the fiscal year, up to the as-of date. */
  curve: z.array(z.strictObject({ month: z.number().int(), paid: money, cumulative: money, rate: money })),
  targets: z.array(PerformanceTarget),
  alerts: z.array(KeyAlert),
});
export type ProjectDetail = z.infer<typeof ProjectDetail>;

export const Transfer = z.strictObject({
  regionCode,
  transferNo: z.string(),
  fiscalYear: z.number().int(),
  direction: z.enum(['收到上级', '下达下级']),
  kind: z.string(),
  counterpartRegion: z.string(),
  counterpartName: z.string().nullable(),
  funcCode: z.string().nullable(),
  title: z.string(),
  amount: money,
  receivedOn: isoDate.nullable(),
  allocatedOn: isoDate.nullable(),
  indicatorNo: z.string().nullable(),
  agencyCode: z.string().nullable(),
  agencyName: z.string().nullable(),
  deptCode: z.string().nullable(),
  /** Days received → allocated (or → the as-of date while not allocated). */
  daysToAllocate: z.number().int().nullable(),
  firstPaidOn: isoDate.nullable(),
  /** Days allocated → first payment (or → the as-of date while nothing is paid). */
  daysToFirstPayment: z.number().int().nullable(),
  paid: money.nullable(),
  executionRate: money.nullable(),
  alerts: z.array(z.strictObject({ ruleId: z.string(), severity })),
});
export type Transfer = z.infer<typeof Transfer>;

export const TransferGroup = z.strictObject({
  direction: z.enum(['收到上级', '下达下级']),
  kind: z.string(),
  count: z.number().int(),
  amount: money,
  allocated: money,
  notAllocated: money,
  paid: money,
});
export type TransferGroup = z.infer<typeof TransferGroup>;

const countAmount = z.strictObject({ count: z.number().int(), amount: money });
const directFunds = z.strictObject({ count: z.number().int(), amount: money, notAllocated: z.number().int(), averageDays: money.nullable(), over30: z.number().int() });
/**
 * 全辖: the part of received / passed down that moves between two regions of the scope (a
 * city's 下达下级 to its county is that county's 收到上级), counted on both sides and not
 * netted; null in 本级.
 */
const withinScope = z.strictObject({ received: money, passedDown: money }).nullable();

export const TransferSummary = z.strictObject({
  asOf: isoDate,
  fiscalYear: z.number().int(),
  groups: z.array(TransferGroup),
  received: money,
  passedDown: money,
  directFunds,
  idle: countAmount,
  withinScope,
});
export type TransferSummary = z.infer<typeof TransferSummary>;

/** The 重点监督 figures of a region (本级) or its whole tree (全辖) as of one date: the overview's block and the report's section. */
export const KeySupervisionFigures = z.strictObject({
  asOf: isoDate,
  fiscalYear: z.number().int(),
  performance: z.strictObject({
    /** Project indicators of the year with an amount. */
    projects: z.number().int(),
    /** … with quantitative 产出 targets (the gap is measured). */
    measured: z.number().int(),
    /** … whose spending runs ahead of the targets on track (gap > 0). */
    behind: z.number().int(),
    /** The largest gap, when one is measured. */
    worst: z.strictObject({ regionCode, indicatorNo: z.string(), projectName: z.string().nullable(), gap: money }).nullable(),
    /** Projects of 500,000 yuan or more with no performance target at all. */
    noTargets: countAmount,
  }),
  transfers: z.strictObject({
    received: money,
    passedDown: money,
    directFunds,
    idle: countAmount,
    withinScope,
  }),
  /** Payments flagged by R19 (one voucher each, its amount) and R20 (one cluster each, its total) that held on the as-of date. */
  payments: z.strictObject({ large: countAmount, split: countAmount }),
});
export type KeySupervisionFigures = z.infer<typeof KeySupervisionFigures>;

export const KeySupervisionOverview = KeySupervisionFigures.extend({
  /** 漯河市本级 / 漯河市全市. */
  label: z.string(),
  rules: z.array(z.strictObject({ ruleId: z.string(), name: z.string(), yellow: z.number().int(), orange: z.number().int(), red: z.number().int() })),
  worst: z.array(KeyAlert.extend({ regionCode, subjectName: z.string().nullable(), drillLink: z.strictObject({ route: z.string(), query: z.record(z.string(), z.string()) }) })),
});
export type KeySupervisionOverview = z.infer<typeof KeySupervisionOverview>;

const listMeta = pageMeta.extend({ asOf: isoDate, fiscalYear: z.number().int(), region: regionCode, scope: z.enum(['self', 'all']), label: z.string() });

export const keySupervisionResponses = {
  'GET /performance/projects': z.strictObject({ data: z.array(PerformanceProject), meta: listMeta }),
  'GET /performance/projects/:indicator': envelope(ProjectDetail),
  'GET /transfers/summary': envelope(TransferSummary),
  'GET /transfers': z.strictObject({ data: z.array(Transfer), meta: listMeta }),
  'GET /key-supervision/overview': envelope(KeySupervisionOverview),
};
