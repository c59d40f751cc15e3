import { z } from 'zod';
import { isoDate, regionCode, regionId } from '../../contract/common.js';
import { boolParam, scopeParam } from '../../middleware/query-schema.js';
import { STATUSES } from './workflow.js';


/** An alert is named by its region and id, `411100-42` (contract/common.ts: REGION_ID). */
export const alertId = regionId('预警');
export const alertIdParam = z.object({ id: alertId });
/** An opinion on the alert, named by region and id too (it has the alert's region). */
export const opinionParams = alertIdParam.extend({ opinionId: regionId('审议意见') });

const statusFilter = z.enum([...STATUSES, 'open', 'closed_any']);

export const listAlertsQuery = z.object({
  region: regionCode.optional(),
  /** all: the region's alerts and those of every region under it (全辖). */
  scope: scopeParam.optional(),
  rule: z.string().regex(/^R\d{2}$/, '规则编号形如 R01').optional(),
  severity: z.enum(['yellow', 'orange', 'red']).optional(),
  /** Statuses (repeat the parameter for several), or 'open' (every not yet closed state) / 'closed_any'. */
  status: z
    .union([statusFilter, z.array(statusFilter)])
    .transform((v) => (Array.isArray(v) ? v : [v]))
    .optional(),
  dept: z.string().min(1).max(50).optional(),
  period: z.string().min(1).max(20).optional(),
  subject: z.string().min(1).max(200).optional(),
  /** true: 交办 past their 答复期限 with no answer yet (已交办, deadline before today). */
  overdue: boolParam.optional(),
  /** 交办 to this agency (assigned_agency_code). */
  assignedTo: z.string().min(1).max(50).optional(),
  /** true: open alerts the signed-in user assigned (我的交办). */
  mine: boolParam.optional(),
  page: z.coerce.number().int().min(1).default(1),
  pageSize: z.coerce.number().int().min(1).max(200).default(50),
});
export type ListAlertsQuery = z.infer<typeof listAlertsQuery>;

const note = z.string().trim().min(1, '请填写说明').max(2000);

/** One body per target state, so each names exactly what it needs. */
export const transitionBody = z.discriminatedUnion('to', [
  z.object({ to: z.literal('confirmed'), note: note.optional() }),
  z.object({
    to: z.literal('assigned'),
    assignedAgencyCode: z.string().trim().min(1, '请选择交办部门').max(50),
    note,
    replyDeadline: isoDate,
  }),
  z.object({ to: z.literal('replied'), note }),
  z.object({ to: z.literal('closed'), note: note.optional() }),
  z.object({ to: z.literal('dismissed'), note }),
], { error: '字段 to 应为 confirmed / assigned / replied / closed / dismissed 之一' });
export type TransitionBody = z.infer<typeof transitionBody>;

/** One move for many alerts (staff inbox): confirm, assign or dismiss, with one reason. */
export const bulkTransitionBody = z.intersection(
  z.object({ ids: z.array(alertId).min(1, '请选择预警').max(200, '一次最多处理 200 条') }),
  z.discriminatedUnion('to', [
    z.object({ to: z.literal('confirmed'), note: note.optional() }),
    z.object({ to: z.literal('assigned'), assignedAgencyCode: z.string().trim().min(1, '请选择交办部门').max(50), note, replyDeadline: isoDate }),
    z.object({ to: z.literal('dismissed'), note }),
  ], { error: '字段 to 应为 confirmed / assigned / dismissed 之一' }),
);

export { answerBody, opinionBody } from '../opinions/schema.js';

export const statsQuery = z.object({ region: regionCode.optional(), scope: scopeParam.optional(), period: z.string().min(1).max(20).optional() });
