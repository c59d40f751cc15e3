import { z } from 'zod';
import { regionId } from '../../contract/common.js';
import { boolParam, codeParam, regionParam } from '../../middleware/query-schema.js';

/** 审议意见 on either target (an alert or a department): the text and a staff answer. */
export const opinionBody = z.object({ body: z.string().trim().min(1, '请填写审议意见').max(5000) });
export const answerBody = z.object({ answer: z.string().trim().min(1, '请填写答复').max(5000) });

/** An opinion is named by its region and id, `411100-42` (contract/common.ts: REGION_ID). */
export const opinionId = regionId('审议意见');
export const opinionIdParam = z.object({ id: opinionId });

/** A department (主管部门) is named by its code in the path and its region in the query (default: the user's). */
export const departmentParams = z.object({ dept: codeParam });
export const departmentQuery = z.object({ region: regionParam.optional() });

export const OPINION_TARGETS = ['alert', 'department', 'review'] as const;
export type OpinionTarget = (typeof OPINION_TARGETS)[number];

export const listOpinionsQuery = z.object({
  /** One region only (default: the user's region and every region below it). */
  region: regionParam.optional(),
  target: z.enum(OPINION_TARGETS, { error: '应为 alert、department 或 review' }).optional(),
  /** Only the opinions on this department (implies target=department). */
  dept: codeParam.optional(),
  /** true: only those staff have not answered yet. */
  unanswered: boolParam.optional(),
  page: z.coerce.number().int().min(1).default(1),
  pageSize: z.coerce.number().int().min(1).max(200).default(50),
});
export type ListOpinionsQuery = z.infer<typeof listOpinionsQuery>;
