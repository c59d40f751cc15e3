import { z } from 'zod';
import { regionId } from '../../contract/common.js';
import { scopeParam } from '../../middleware/query-schema.js';

export const generateBody = z.object({
  region: z.string().regex(/^\d{6}$/, '地区代码应为 6 位数字'),
  quarter: z.string().trim().toUpperCase().regex(/^\d{4}Q[1-4]$/, '季度格式应为 2025Q3'),
  /** self = 本级 (default), all = 全市/全省. */
  scope: scopeParam.optional(),
});

export const listQuery = z.object({
  region: z.string().regex(/^\d{6}$/, '地区代码应为 6 位数字').optional(),
  quarter: z.string().trim().toUpperCase().regex(/^\d{4}Q[1-4]$/, '季度格式应为 2025Q3').optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});

/** A report is named by its region and id, `411100-42` (contract/common.ts: REGION_ID). */
export const reportId = regionId('报告');
export const idParam = z.object({ id: reportId });
