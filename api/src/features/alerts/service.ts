import type { Knex } from 'knex';
import { fromRegionId, toRegionId } from '../../contract/common.js';
import { createError, ErrorCode } from '../../errors.js';
import type { AuthUser } from '../../middleware/auth.js';
import { ruleById } from '../../rules/index.js';
import { listReplies } from '../liaison/replies.js';
import { listOpinions } from '../opinions/queries.js';
import { addOpinion as addTargetOpinion, answer } from '../opinions/service.js';
import { alertEvents, getAlert, toAlert, type AlertKey, type AlertRow } from './queries.js';
import type { AlertDetail, BulkTransitionResult } from './contract.js';
import type { Opinion } from '../opinions/contract.js';
import type { TransitionBody } from './schema.js';
import { canTransition, STATUS_ZH, TRANSITIONS, type AlertStatus } from './workflow.js';

export const ruleName = (id: string) => ruleById(id)?.nameZh;

/**
 * The alert `id` (public, `411100-42`) if the user may see it (its region is in the user's
 * tree), else 404 — the same answer for an alert of another region as for none, and that
 * region is not even read.
 */
export async function visibleAlert(knex: Knex, user: AuthUser, id: string): Promise<AlertRow & { key: AlertKey }> {
  const key = fromRegionId(id);
  const row = user.regionCodes.includes(key.regionCode) ? await getAlert(knex, key) : undefined;
  if (!row) throw createError(ErrorCode.NOT_FOUND, `预警 ${id} 不存在`, 404);
  return { ...row, key };
}

export async function alertDetail(knex: Knex, user: AuthUser, id: string): Promise<AlertDetail> {
  const { key, ...row } = await visibleAlert(knex, user, id);
  const [events, opinions, replies] = await Promise.all([
    alertEvents(knex, key),
    listOpinions(knex, { alert: key }),
    listReplies(knex, (q) => q.where({ 'p.region_code': key.regionCode, 'p.alert_id': key.id })),
  ]);
  const rule = ruleById(row.rule_id);
  return {
    ...toAlert(row, ruleName),
    rule: rule ? { id: rule.id, nameZh: rule.nameZh, subject: rule.subject } : null,
    allowedTransitions: (Object.keys(TRANSITIONS) as (keyof typeof TRANSITIONS)[]).filter((t) => canTransition(row.status, t)),
    events,
    opinions,
    /** The department liaison's answers, with their attachments and the staff decision. */
    replies,
  };
}

/**
 * Moves an alert along the workflow, under a row lock so two staff members cannot both act
 * on the same state; the event records actor, time, note and the assignment details.
 */
export async function transitionAlert(knex: Knex, user: AuthUser, id: string, body: TransitionBody): Promise<AlertDetail> {
  const { key } = await visibleAlert(knex, user, id);
  await knex.transaction((trx) => applyTransition(trx, user, key, body));
  return alertDetail(knex, user, id);
}

/**
 * The same move for many alerts with one reason (staff inbox): all or nothing — when one alert
 * cannot make it (not visible, or in a state the move does not start from), nothing changes
 * and the answer names every alert that could not.
 */
export async function transitionAlerts(knex: Knex, user: AuthUser, ids: string[], body: TransitionBody): Promise<BulkTransitionResult> {
  const unique = [...new Set(ids)];
  // Only the user's regions are read: an alert elsewhere is refused as one that does not exist.
  const keys = unique.map(fromRegionId).filter((k) => user.regionCodes.includes(k.regionCode));
  await knex.transaction(async (trx) => {
    const rows: { id: string; status: AlertStatus; region_code: string }[] = keys.length
      ? await trx('alerts').whereIn(['region_code', 'id'], keys.map((k) => [k.regionCode, k.id])).orderBy(['region_code', 'id']).forUpdate().select('id', 'status', 'region_code')
      : [];
    const byId = new Map(rows.map((r) => [toRegionId(r.region_code, r.id), r]));
    const refused = unique
      .map((id) => ({ id, row: byId.get(id) }))
      .filter(({ row }) => !row || !canTransition(row.status, body.to))
      .map(({ id, row }) => ({ id, status: row?.status ?? null }));
    if (refused.length) {
      const list = refused.map((r) => (r.status ? `${r.id}（${STATUS_ZH[r.status]}）` : `${r.id}（不存在）`)).join('、');
      throw createError(ErrorCode.INVALID_TRANSITION, `以下预警不能转为「${STATUS_ZH[body.to]}」，均未处理：${list}`, 409, { refused });
    }
    for (const id of unique) await applyTransition(trx, user, fromRegionId(id), body);
  });
  return { updated: unique.length, to: body.to };
}

async function applyTransition(trx: Knex.Transaction, user: AuthUser, key: AlertKey, body: TransitionBody): Promise<void> {
  const where = { region_code: key.regionCode, id: key.id };
  const current: { status: AlertStatus; region_code: string } = await trx('alerts').where(where).forUpdate().first('status', 'region_code');
  if (!canTransition(current.status, body.to)) {
    throw createError(
      ErrorCode.INVALID_TRANSITION,
      `预警当前状态为「${STATUS_ZH[current.status]}」，不能转为「${STATUS_ZH[body.to]}」`,
      409,
      { from: current.status, to: body.to, allowedFrom: TRANSITIONS[body.to] },
    );
  }
  const patch: Record<string, unknown> = { status: body.to, updated_at: trx.fn.now() };
  const data: Record<string, string> = {};
  if (body.to === 'assigned') {
    const agency = await trx('agencies')
      .where({ agency_code: body.assignedAgencyCode })
      .whereIn('region_code', user.regionCodes)
      .first('agency_code');
    if (!agency) throw createError(ErrorCode.VALIDATION, `字段 assignedAgencyCode: 单位 ${body.assignedAgencyCode} 不存在`, 400);
    patch.assigned_agency_code = body.assignedAgencyCode;
    patch.reply_deadline = body.replyDeadline;
    data.assignedAgencyCode = body.assignedAgencyCode;
    data.replyDeadline = body.replyDeadline;
  }
  if (body.to === 'closed' || body.to === 'dismissed') patch.closed_at = trx.fn.now();
  await trx('alerts').where(where).update(patch);
  await trx('alert_events').insert({
    region_code: current.region_code, alert_id: key.id, kind: 'transition', from_status: current.status, to_status: body.to, actor_id: user.id,
    note: body.note ?? null, data: Object.keys(data).length ? JSON.stringify(data) : null,
  });
}

export async function addOpinion(knex: Knex, user: AuthUser, alertId: string, body: string): Promise<Opinion> {
  const { key } = await visibleAlert(knex, user, alertId);
  return addTargetOpinion(knex, user, { regionCode: key.regionCode, alertId: key.id }, body);
}

export async function answerAlertOpinion(knex: Knex, user: AuthUser, alertId: string, opinionId: string, text: string): Promise<Opinion> {
  const { key } = await visibleAlert(knex, user, alertId);
  return answer(knex, user, opinionId, text, key);
}
