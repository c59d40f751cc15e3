import { z } from 'zod';
import { isoInstant, regionCode } from '../../contract/common.js';

export const homeQuery = z.object({
  region: regionCode.optional(),
  /** The phone's last visit: alerts opened after it are "new". */
  since: isoInstant.optional(),
});
export const reportParam = z.object({ id: z.string().regex(/^\d{1,18}$/, '报告编号应为数字') });
