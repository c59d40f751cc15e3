import type { Knex } from 'knex';
import { fromRegionId, type RegionKey } from '../../contract/common.js';
import { createError, ErrorCode } from '../../errors.js';
import type { AuthUser } from '../../middleware/auth.js';
import { ruleById } from '../../rules/index.js';
import { answerOpinion, countOpinions, findDepartment, getOpinion, insertOpinion, listOpinions, type Opinion, type OpinionFilter, type ReviewOpinionTarget } from './queries.js';
import type { ListOpinionsQuery } from './schema.js';

/**
 * 审议意见 on both targets. An alert's opinions are reached through the alert (the alerts
 * feature checks it is visible first); a department's through (region, department code), the
 * region already checked to be in the user's scope by the route.
 */

/** The department `deptCode` of `regionCode`, else 404. */
export async function existingDepartment(knex: Knex, regionCode: string, deptCode: string) {
  const dept = await findDepartment(knex, regionCode, deptCode);
  if (!dept) throw createError(ErrorCode.NOT_FOUND, `部门 ${deptCode} 在地区 ${regionCode} 不存在`, 404);
  return dept;
}

export async function departmentOpinions(knex: Knex, regionCode: string, deptCode: string) {
  const dept = await existingDepartment(knex, regionCode, deptCode);
  return { department: { regionCode, ...dept }, opinions: await listOpinions(knex, { regionCodes: [regionCode], deptCode }) };
}

/** Adds an opinion (any role) on an alert or a department and returns it. */
export async function addOpinion(
  knex: Knex,
  user: AuthUser,
  target: { regionCode: string } & ({ alertId: string } | { deptCode: string } | { review: ReviewOpinionTarget }),
  body: string,
): Promise<Opinion> {
  if ('deptCode' in target) await existingDepartment(knex, target.regionCode, target.deptCode);
  const key = await insertOpinion(knex, { ...target, authorId: user.id, body });
  return (await getOpinion(knex, key))!;
}

/**
 * Records the staff answer of opinion `opinionId` (public, `411100-42`), which must be in the
 * user's regions (and on `alert` when given); 404 otherwise, as for anything outside the
 * user's scope — and an opinion of a region outside it is not even read.
 */
export async function answer(knex: Knex, user: AuthUser, opinionId: string, text: string, alert?: RegionKey): Promise<Opinion> {
  const key = fromRegionId(opinionId);
  if (!user.regionCodes.includes(key.regionCode) || !(await answerOpinion(knex, key, { alert }, text, user.id))) {
    throw createError(ErrorCode.NOT_FOUND, `审议意见 ${opinionId} 不存在`, 404);
  }
  return (await getOpinion(knex, key))!;
}

/** Opinions on alerts and departments in `regionCodes`, newest first; the alert's rule named. */
export async function opinionList(knex: Knex, regionCodes: string[], q: ListOpinionsQuery) {
  const filter: OpinionFilter = {
    regionCodes,
    target: q.dept ? 'department' : q.target,
    deptCode: q.dept,
    unanswered: q.unanswered,
  };
  const [rows, total] = await Promise.all([
    listOpinions(knex, filter, { limit: q.pageSize, offset: (q.page - 1) * q.pageSize, newestFirst: true }),
    countOpinions(knex, filter),
  ]);
  const data = rows.map((o) => (o.alert ? { ...o, alert: { ...o.alert, ruleName: ruleById(o.alert.ruleId)?.nameZh ?? o.alert.ruleId } } : o));
  return { data, meta: { total, page: q.page, pageSize: q.pageSize } };
}
