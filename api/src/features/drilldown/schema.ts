import { z } from 'zod';
import { isoDate, regionCode } from '../../contract/common.js';
import { boolParam as bool, codeParam as code } from '../../middleware/query-schema.js';

const money = z.string().regex(/^-?\d{1,16}(\.\d{1,2})?$/, '金额应为最多两位小数的数字');

/** Query parameters every drill level accepts: where we are (region, year, date) and the path so far. */
export const drillQuery = z.object({
  region: regionCode.optional(),
  fy: z.coerce.number().int().min(2000, '预算年度超出范围').max(2100, '预算年度超出范围').optional(),
  asOf: isoDate.optional(),
  progress: z.enum(['days', 'months']).optional(),
  /** self = 本级 (default), all = 全辖: the region and every region under it. */
  scope: z.enum(['self', 'all']).optional(),
  dept: code.optional(),
  unit: code.optional(),
  func: z.string().regex(/^\d{3}(\d{2}){0,2}$/, '功能分类应为 3、5 或 7 位数字').optional(),
  econ: z.string().regex(/^\d{3}(\d{2})?$/, '经济分类应为 3 或 5 位数字').optional(),
  fundType: z.enum(['1', '2', '3', '4']).optional(),
  indicator: code.optional(),
  /** true: func / econ match exactly (a row with exactCode: true), not as a prefix. */
  funcExact: bool.optional(),
  econExact: bool.optional(),
  codeLength: z.coerce.number().refine((n) => [3, 5, 7].includes(n), '分组位数应为 3、5 或 7').optional(),
});
export type DrillQuery = z.infer<typeof drillQuery>;

export const voucherListQuery = drillQuery.extend({
  unmatched: bool.optional(),
  dateFrom: isoDate.optional(),
  dateTo: isoDate.optional(),
  payee: z.string().trim().min(1).max(100).optional(),
  amountMin: money.optional(),
  amountMax: money.optional(),
  sort: z.enum(['date', 'amount']).default('date'),
  order: z.enum(['asc', 'desc']).default('desc'),
  limit: z.coerce.number().int().min(1, '每页至少 1 条').max(500, '每页最多 500 条').default(50),
  cursor: z.string().max(300).optional(),
});
export type VoucherListParams = z.infer<typeof voucherListQuery>;

export const voucherNoParam = z.object({ voucherNo: z.string().min(1).max(60) });

/** Keyset cursors are opaque to clients: base64url of [sort value, voucher_no]. */
export function encodeCursor(after: [string, string]): string {
  return Buffer.from(JSON.stringify(after)).toString('base64url');
}

export function decodeCursor(cursor: string): [string, string] | undefined {
  try {
    const v = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (Array.isArray(v) && v.length === 2 && v.every((x) => typeof x === 'string')) return v as [string, string];
  } catch {
    /* fall through */
  }
  return undefined;
}
