import type { Knex } from 'knex';
import { fromRegionId, toRegionId, type RegionKey } from '../../contract/common.js';
import { createError, ErrorCode } from '../../errors.js';
import type { AuthUser } from '../../middleware/auth.js';
import { alertEvents, getAlert, toAlert, type AlertKey, type AlertRow } from '../alerts/queries.js';
import type { LiaisonAlert, LiaisonItems } from '../alerts/contract.js';
import { ruleById } from '../../rules/index.js';
import { canTransition, STATUS_ZH, type AlertStatus } from '../alerts/workflow.js';
import { listOpinions } from '../opinions/queries.js';
import { attachmentsOf, insertAttachments, type Upload } from './attachments.js';
import type { Reply, ReplyStatus } from './contract.js';

export const REPLY_STATUS_ZH: Record<ReplyStatus, string> = { submitted: '待采纳', accepted: '已采纳', returned: '已退回' };
export type { ReplyStatus };

const instant = (d: Date | string) => new Date(d).toISOString();
const iso = (d: Date | string | null) => (d == null ? null : instant(d));

/** Replies matching `where`, newest last, with author, reviewer and attachment metadata. */
export async function listReplies(knex: Knex, where: (q: Knex.QueryBuilder) => void): Promise<Reply[]> {
  const q = knex('liaison_replies as p')
    .leftJoin('users as a', 'a.id', 'p.author_id')
    .leftJoin('users as v', 'v.id', 'p.reviewed_by')
    .leftJoin('agencies as g', function () {
      this.on('g.region_code', 'p.region_code').andOn('g.agency_code', 'p.agency_code');
    })
    .leftJoin('alerts as al', function () {
      this.on('al.region_code', 'p.region_code').andOn('al.id', 'p.alert_id');
    })
    .select('p.*', 'a.display_name as author_name', 'v.display_name as reviewer_name', 'g.agency_name', 'al.rule_id', 'al.subject_name', 'al.reply_deadline')
    .orderBy('p.created_at')
    .orderBy('p.id');
  where(q);
  const rows = await q;
  const files = await attachmentsOf(knex, rows.map((r) => ({ regionCode: r.region_code as string, id: String(r.id) })));
  return rows.map((r) => ({
    id: toRegionId(r.region_code, r.id),
    regionCode: r.region_code as string,
    agencyCode: r.agency_code as string,
    agencyName: (r.agency_name as string | null) ?? null,
    alertId: r.alert_id == null ? null : toRegionId(r.region_code, r.alert_id),
    opinionId: r.opinion_id == null ? null : toRegionId(r.region_code, r.opinion_id),
    alert: r.alert_id == null ? null : { ruleId: r.rule_id as string, ruleName: ruleName(r.rule_id) ?? r.rule_id, subjectName: r.subject_name as string | null, replyDeadline: r.reply_deadline as string | null },
    body: r.body as string,
    status: r.status as ReplyStatus,
    statusZh: REPLY_STATUS_ZH[r.status as ReplyStatus],
    author: { id: String(r.author_id), displayName: r.author_name as string },
    createdAt: instant(r.created_at),
    reviewedBy: r.reviewed_by == null ? null : { id: String(r.reviewed_by), displayName: r.reviewer_name as string },
    reviewedAt: iso(r.reviewed_at),
    reviewNote: (r.review_note as string | null) ?? null,
    attachments: files.get(toRegionId(r.region_code, r.id)) ?? [],
  }));
}

const ruleName = (id: string) => ruleById(id)?.nameZh;

/** Is this alert the liaison's: in its region and assigned to one of its agencies? */
const liaisonOwns = (user: AuthUser, a: Pick<AlertRow, 'region_code' | 'assigned_agency_code'>) =>
  a.region_code === user.regionCode && a.assigned_agency_code != null && (user.agencyCodes ?? []).includes(a.assigned_agency_code);

/** The alert `id` (public, `411100-42`) if it is assigned to one of the liaison's agencies, else 404 (as for anything out of scope). */
export async function liaisonAlert(knex: Knex, user: AuthUser, id: string): Promise<AlertRow & { key: AlertKey }> {
  const key = fromRegionId(id);
  const row = key.regionCode === user.regionCode ? await getAlert(knex, key) : undefined;
  if (!row || !liaisonOwns(user, row)) throw createError(ErrorCode.NOT_FOUND, `预警 ${id} 不存在`, 404);
  return { ...row, key };
}

/** What a liaison sees: the alerts assigned to its agencies and the opinions on them or on its departments. */
export async function liaisonItems(knex: Knex, user: AuthUser): Promise<LiaisonItems> {
  const agencies = user.agencyCodes ?? [];
  const alerts: AlertRow[] = await knex('alerts as a')
    .leftJoin('regions as r', 'r.code', 'a.region_code')
    .leftJoin('agencies as g', function () {
      this.on('g.region_code', 'a.region_code').andOn('g.agency_code', 'a.assigned_agency_code');
    })
    .where('a.region_code', user.regionCode)
    .whereIn('a.assigned_agency_code', agencies)
    .select('a.*', 'r.name as region_name', 'g.agency_name as assigned_agency_name')
    .orderByRaw("case a.status when 'assigned' then 0 when 'replied' then 1 else 2 end")
    .orderBy('a.reply_deadline')
    .orderBy('a.id');
  const opinions = (await listOpinions(knex, { regionCodes: [user.regionCode] }, { limit: 500, offset: 0, newestFirst: true })).filter(
    (o) => (o.deptCode != null && agencies.includes(o.deptCode)) || (o.alertId != null && alerts.some((a) => toRegionId(a.region_code, a.id) === o.alertId)),
  );
  return { agencies: await agencyNames(knex, user.regionCode, agencies), alerts: alerts.map((a) => toAlert(a, ruleName)), opinions };
}

export const agencyNames = (knex: Knex, regionCode: string, codes: string[]) =>
  knex('agencies').where({ region_code: regionCode }).whereIn('agency_code', codes).orderBy('agency_code').select('agency_code as code', 'agency_name as name');

export async function liaisonAlertDetail(knex: Knex, user: AuthUser, id: string): Promise<LiaisonAlert> {
  const { key, ...row } = await liaisonAlert(knex, user, id);
  const [events, replies, opinions] = await Promise.all([
    alertEvents(knex, key),
    listReplies(knex, (q) => q.where({ 'p.region_code': key.regionCode, 'p.alert_id': key.id })),
    listOpinions(knex, { alert: key }),
  ]);
  return { ...toAlert(row, ruleName), events, replies, opinions, canReply: row.status === 'assigned' };
}

/**
 * A liaison's answer to an alert assigned to its agency: the reply and its files, and the
 * alert moves 已交办 → 已反馈 with an event naming the liaison, the text and the files.
 */
export async function submitAlertReply(knex: Knex, user: AuthUser, alertId: string, form: { body: string; files: Upload[] }): Promise<Reply> {
  const alert = await liaisonAlert(knex, user, alertId);
  const where = { region_code: alert.key.regionCode, id: alert.key.id };
  const replyId = await knex.transaction(async (trx) => {
    const { status } = await trx('alerts').where(where).forUpdate().first<{ status: AlertStatus }>('status');
    if (!canTransition(status, 'replied')) {
      throw createError(ErrorCode.INVALID_TRANSITION, `预警当前状态为「${STATUS_ZH[status]}」，不能提交答复`, 409, { from: status });
    }
    const [{ id }] = await trx('liaison_replies')
      .insert({ region_code: alert.region_code, agency_code: alert.assigned_agency_code, alert_id: alert.key.id, author_id: user.id, body: form.body })
      .returning('id');
    await insertAttachments(trx, alert.region_code, String(id), form.files);
    await trx('alerts').where(where).update({ status: 'replied', updated_at: trx.fn.now() });
    await trx('alert_events').insert({
      region_code: alert.region_code, alert_id: alert.key.id, kind: 'transition', from_status: status, to_status: 'replied', actor_id: user.id, note: form.body,
      data: JSON.stringify({ replyId: toRegionId(alert.region_code, id), attachments: form.files.map((f) => f.filename) }),
    });
    return String(id);
  });
  return oneReply(knex, { regionCode: alert.region_code, id: replyId });
}

/** One reply, by region and id. */
const oneReply = async (knex: Knex, key: RegionKey): Promise<Reply> =>
  (await listReplies(knex, (q) => q.where({ 'p.region_code': key.regionCode, 'p.id': key.id })))[0]!;

/** The liaison's answer to an opinion on one of its departments or on an alert assigned to it. */
export async function submitOpinionReply(knex: Knex, user: AuthUser, opinionId: string, form: { body: string; files: Upload[] }): Promise<Reply> {
  // `opinionId` is public (`411100-42`): a liaison answers for its own region only, so another region's opinion is not read (the same 404 as none).
  const key = fromRegionId(opinionId);
  const { opinions } = key.regionCode === user.regionCode ? await liaisonItems(knex, user) : { opinions: [] };
  const opinion = opinions.find((o) => o.id === opinionId);
  if (!opinion) throw createError(ErrorCode.NOT_FOUND, `审议意见 ${opinionId} 不存在`, 404);
  if (opinion.answer != null) throw createError(ErrorCode.INVALID_TRANSITION, '该意见已答复', 409);
  let agency = opinion.deptCode;
  if (!agency) agency = (await getAlert(knex, fromRegionId(opinion.alertId!)))!.assigned_agency_code;
  const replyId = await knex.transaction(async (trx) => {
    const [{ id }] = await trx('liaison_replies')
      .insert({ region_code: opinion.regionCode, agency_code: agency, opinion_id: key.id, author_id: user.id, body: form.body })
      .returning('id');
    await insertAttachments(trx, opinion.regionCode, String(id), form.files);
    return String(id);
  });
  return oneReply(knex, { regionCode: opinion.regionCode, id: replyId });
}

/**
 * Staff decide on a submitted reply. Accepting an alert's reply closes it (已反馈 → 已销号);
 * sending it back re-opens the 交办 (→ 已交办, optionally with a new deadline). Accepting an
 * opinion's reply makes it the opinion's answer.
 */
export async function reviewReply(
  knex: Knex,
  user: AuthUser,
  replyId: string,
  decision: { accept: true; note?: string } | { accept: false; note: string; replyDeadline?: string },
): Promise<Reply> {
  // `replyId` is public (`411100-42`): a reply of a region outside the user's is not read, the same 404 as none.
  const key = fromRegionId(replyId);
  const where = { region_code: key.regionCode, id: key.id };
  await knex.transaction(async (trx) => {
    const reply = user.regionCodes.includes(key.regionCode) ? await trx('liaison_replies').where(where).forUpdate().first() : undefined;
    if (!reply) throw createError(ErrorCode.NOT_FOUND, `答复 ${replyId} 不存在`, 404);
    if (reply.status !== 'submitted') {
      throw createError(ErrorCode.INVALID_TRANSITION, `该答复${REPLY_STATUS_ZH[reply.status as ReplyStatus]}，不能再处理`, 409);
    }
    const status: ReplyStatus = decision.accept ? 'accepted' : 'returned';
    await trx('liaison_replies').where(where).update({ status, reviewed_by: user.id, reviewed_at: trx.fn.now(), review_note: decision.note ?? null });
    if (reply.alert_id != null) {
      const to = decision.accept ? 'closed' : 'assigned';
      const alert = { region_code: reply.region_code, id: reply.alert_id };
      const { status: from } = await trx('alerts').where(alert).forUpdate().first<{ status: AlertStatus }>('status');
      if (!canTransition(from, to)) {
        throw createError(ErrorCode.INVALID_TRANSITION, `预警当前状态为「${STATUS_ZH[from]}」，不能转为「${STATUS_ZH[to]}」`, 409);
      }
      const patch: Record<string, unknown> = { status: to, updated_at: trx.fn.now() };
      if (to === 'closed') patch.closed_at = trx.fn.now();
      if (!decision.accept && decision.replyDeadline) patch.reply_deadline = decision.replyDeadline;
      await trx('alerts').where(alert).update(patch);
      await trx('alert_events').insert({
        region_code: reply.region_code, alert_id: reply.alert_id, kind: 'transition', from_status: from, to_status: to, actor_id: user.id,
        note: decision.note ?? (decision.accept ? '采纳部门答复' : null),
        data: JSON.stringify({ replyId, decision: status, ...(!decision.accept && decision.replyDeadline ? { replyDeadline: decision.replyDeadline } : {}) }),
      });
    } else if (decision.accept) {
      await trx('review_opinions').where({ region_code: reply.region_code, id: reply.opinion_id }).update({ answer: reply.body, answered_by: user.id, answered_at: trx.fn.now() });
    }
  });
  return oneReply(knex, key);
}

/** One attachment's bytes, if the user may read it: staff/deputies in its region tree, a liaison only for its agencies. */
export async function readAttachment(knex: Knex, user: AuthUser, id: string) {
  const key = fromRegionId(id);
  const regions = user.role === 'liaison' ? [user.regionCode] : user.regionCodes;
  const row = !regions.includes(key.regionCode) ? undefined : await knex('reply_attachments as f')
    .join('liaison_replies as p', (j) => j.on('p.region_code', 'f.region_code').andOn('p.id', 'f.reply_id'))
    .where({ 'f.region_code': key.regionCode, 'f.id': key.id })
    .modify((q) => {
      if (user.role === 'liaison') q.whereIn('p.agency_code', user.agencyCodes ?? []);
    })
    .first('f.filename', 'f.content_type', 'f.content', 'f.size');
  if (!row) throw createError(ErrorCode.NOT_FOUND, `附件 ${id} 不存在`, 404);
  return row as { filename: string; content_type: string; content: Buffer; size: number };
}
