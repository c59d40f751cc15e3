import { z } from 'zod';
import { regionId } from '../../contract/common.js';
import { isoDate, regionParam } from '../../middleware/query-schema.js';

/** A reply and a file are named by region and id, `411100-42` (contract/common.ts: REGION_ID). */
export const replyIdParam = z.object({ id: regionId('答复') });
export const attachmentIdParam = z.object({ id: regionId('附件') });

export const listRepliesQuery = z.object({
  region: regionParam.optional(),
  status: z.enum(['submitted', 'accepted', 'returned'], { error: '应为 submitted / accepted / returned' }).optional(),
});

export const acceptBody = z.object({ note: z.string().trim().min(1).max(2000).optional() });
export const returnBody = z.object({
  note: z.string().trim().min(1, '请填写退回理由').max(2000),
  /** A new 答复期限 for the second round (default: the old one). */
  replyDeadline: isoDate.optional(),
});

export const letterheadBody = z.object({
  office: z.string().trim().min(1, '请填写发文机关').max(100),
  signature: z.string().trim().min(1, '请填写落款').max(100),
  contact: z.string().trim().max(200).default(''),
});
