import { z } from 'zod';
import { envelope, isoDate, money, regionCode } from '../../contract/common.js';

/**
 * 政府债务: what the API answers. The row lists keep the feed tables' column names
 * (snake_case) as they always went out; the summary is camelCase.
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
  region_code: regionCode,
  bond_code: z.string(),
  bond_name: z.string(),
  bond_type: z.string(),
  purpose: z.string().nullable(),
  issue_date: isoDate,
  maturity_date: isoDate,
  /** Percent. */
  coupon_rate: z.string(),
  amount: money,
  /** Principal repaid by the as-of date. */
  principal_repaid: money,
  next_due_date: isoDate.nullable(),
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
  region_code: regionCode,
  bond_code: z.string(),
  bond_name: z.string().nullable(),
  bond_type: z.string().nullable(),
  due_date: isoDate,
  principal: money,
  interest: money,
  paid_on: isoDate.nullable(),
  paid_amount: money.nullable(),
  days_overdue: z.number().int(),
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
