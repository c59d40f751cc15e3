import { z } from 'zod';
import { regionCode, regionId } from '../../contract/common.js';

const stage = z.enum(['草案', '调整', '批准', '决算'], { error: '阶段应为 草案、调整、批准 或 决算' });
const year = z.coerce.number().int().min(1990, '年度应在 1990–2100 之间').max(2100, '年度应在 1990–2100 之间');

export const regionQuery = z.object({ region: regionCode.optional() });
export const documentParams = z.object({ fy: year, stage });
export const lineParams = documentParams.extend({ lineNo: z.string().regex(/^[0-9A-Za-z_.-]{1,30}$/, '行号格式不正确') });
/** A finding and an archived 初审意见 are named by region and id, `411100-42` (contract/common.ts: REGION_ID). */
export const findingIdParam = z.object({ id: regionId('审查发现') });
export const opinionDocIdParam = z.object({ id: regionId('初审意见') });

export const findingsQuery = z.object({
  region: regionCode.optional(),
  fy: year.optional(),
  stage: stage.optional(),
  check: z.string().regex(/^D\d{2}$/, '审查项应为 D01–D14').optional(),
  severity: z.enum(['note', 'attention', 'issue']).optional(),
  category: z.enum(['合法性', '完整性', '合理性', '绩效']).optional(),
  decision: z.enum(['accepted', 'rejected', 'undecided']).optional(),
  agency: z.string().regex(/^[0-9A-Za-z]{1,20}$/).optional(),
  line: z.string().regex(/^[0-9A-Za-z_.-]{1,30}$/).optional(),
});
export type FindingsQuery = z.infer<typeof findingsQuery>;

export const decisionBody = z.object({
  decision: z.enum(['accepted', 'rejected'], { error: '应为 accepted（写入意见）或 rejected（不采纳）' }),
  note: z.string().trim().max(2000).default(''),
}).refine((b) => b.decision === 'accepted' || b.note.length > 0, { path: ['note'], message: '不采纳时请填写理由' });

export const opinionDocsQuery = z.object({ region: regionCode.optional(), fy: year.optional(), stage: stage.optional() });
export const exportQuery = z.object({ region: regionCode.optional(), view: z.enum(['lines', 'findings']).default('lines') });

export const listParams = documentParams.extend({ list: z.enum(['projects', 'standards', 'problems', 'performance'], { error: '清单应为 projects、standards、problems 或 performance' }) });
export const listQuery = z.object({ region: regionCode.optional(), format: z.enum(['json', 'xlsx']).default('json') });

export const checkIdParam = z.object({ id: z.string().regex(/^D\d{2}$/, '审查项应为 D01–D14') });
