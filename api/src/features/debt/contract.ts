import { z } from 'zod';
import { envelope, isoDate, money, regionCode } from '../../contract/common.js';

/**
 * 政府债务: what the API answers, camelCase (the queries' snake_case rows are mapped in wire.ts;
 * the exports keep the tables' columns under their published Chinese headers).
 */

/** A ratio: exact (20 significant digits) and in percent rounded to 2 decimals; null when the base is zero. */
export const Ratio = z.strictObject({ rateExact: z.string().nullable(), percent2dp: z.string().nullable() });
export type Ratio = z.infer<typeof Ratio>;

const limits = z.strictObject({ limit: money, balance: money, headroom: money });

/** 债务率 = balance ÷ fiscal capacity, with the risk grade (green < 120%, yellow, orange, red ≥ 300%). */
export const DebtRatio = Ratio.extend({ grade: z.enum(['green', 'yellow', 'orange', 'red']).nullable() });
export type DebtRatio = z.infer<typeof DebtRatio>;

export const DebtSummary = z.union([
  /** No limits row for the region(s) and year. */
  z.strictObject({ asOf: isoDate, fiscalYear: z.number().int(), available: z.literal(false) }),
  z.strictObject({
    asOf: isoDate,
    fiscalYear: z.number().int(),
    available: z.literal(true),
    general: limits.extend({ balanceToLimit: Ratio }),
    special: limits.extend({ balanceToLimit: Ratio }),
    total: limits,
    fiscalCapacity: money,
    debtRatio: DebtRatio,
    bonds: z.strictObject({ count: z.string(), issued: money }),
    /** The limits row the figures come from (the first region's, over several). */
    lineage: z.strictObject({ batchId: z.string(), sourceLine: z.number().int() }),
    /** Over several regions (全辖): each region's row. */
    regions: z.array(z.strictObject({ regionCode, fiscalYear: z.number().int(), batchId: z.string(), sourceLine: z.number().int() })).optional(),
  }),
]);
export type DebtSummary = z.infer<typeof DebtSummary>;

export const Bond = z.strictObject({
  regionCode,
  bondCode: z.string(),
  bondName: z.string(),
  bondType: z.string(),
  purpose: z.string().nullable(),
  issueDate: isoDate,
  maturityDate: isoDate,
  /** Percent. */
  couponRate: z.string(),
  amount: money,
  /** Principal repaid by the as-of date. */
  principalRepaid: money,
  nextDueDate: isoDate.nullable(),
});
export type Bond = z.infer<typeof Bond>;

export const Maturity = z.strictObject({
  period: z.string(),
  principal: money,
  interest: money,
  paid: money,
  /** How many repayments fall due in the period. */
  repayments: z.string(),
  /** Outstanding principal of the bonds maturing in the period (asked with upcoming=true). */
  maturing: money.optional(),
});
export type Maturity = z.infer<typeof Maturity>;

export const Repayment = z.strictObject({
  regionCode,
  bondCode: z.string(),
  bondName: z.string().nullable(),
  bondType: z.string().nullable(),
  dueDate: isoDate,
  principal: money,
  interest: money,
  paidOn: isoDate.nullable(),
  paidAmount: money.nullable(),
  daysOverdue: z.number().int(),
});
export type Repayment = z.infer<typeof Repayment>;

/** Bonds and repayments come whole, or a page at a time with the count of all. */
const pageOf = { total: z.number().int().optional(), page: z.number().int().optional(), pageSize: z.number().int().optional() };
export const BondsMeta = z.strictObject({ asOf: isoDate, ...pageOf });
export type BondsMeta = z.infer<typeof BondsMeta>;
export const MaturitiesMeta = z.strictObject({ asOf: isoDate, by: z.enum(['year', 'month']), from: isoDate.optional() });
export type MaturitiesMeta = z.infer<typeof MaturitiesMeta>;
export const RepaymentsMeta = z.strictObject({ asOf: isoDate, status: z.enum(['due', 'overdue', 'paid', 'all']), ...pageOf });
export type RepaymentsMeta = z.infer<typeof RepaymentsMeta>;

export const debtResponses = {
  'GET /debt/summary': envelope(DebtSummary),
  'GET /debt/bonds': z.strictObject({ data: z.array(Bond), meta: BondsMeta }),
  'GET /debt/maturities': z.strictObject({ data: z.array(Maturity), meta: MaturitiesMeta }),
  'GET /debt/repayments': z.strictObject({ data: z.array(Repayment), meta: RepaymentsMeta }),
};
