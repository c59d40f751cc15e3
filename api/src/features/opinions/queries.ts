import type { Knex } from 'knex';
import { toRegionId, type RegionKey } from '../../contract/common.js';
import type { Opinion } from './contract.js';
import type { OpinionTarget } from './schema.js';

export type { Opinion };

const iso = (d: Date | string | null) => (d == null ? null : new Date(d).toISOString());

/** Which opinions: those of one alert, of one department, or every one in a set of regions. */
export interface OpinionFilter {
  /** The alert, by region and id. */
  alert?: RegionKey;
  regionCodes?: string[];
  deptCode?: string;
  target?: OpinionTarget;
  unanswered?: boolean;
  /** One opinion, by region and id. */
  opinion?: RegionKey;
  /** The opinions on one budget document under review (its findings and lines). */
  review?: { fiscalYear: number; stage: string };
  /** One author's opinions (a deputy's 跟踪办理 on the phone home). */
  authorId?: string;
}

/** An opinion on a budget document under review: on a finding, or on a line. */
const ON_REVIEW = 'coalesce(o.review_finding_id::text, o.draft_line_no) is not null';

/** review_opinions with author, answerer, region, the department's name and the alert's rule and subject. */
function opinionsQuery(knex: Knex, f: OpinionFilter) {
  const q = knex('review_opinions as o')
    .leftJoin('users as a', 'a.id', 'o.author_id')
    .leftJoin('users as s', 's.id', 'o.answered_by')
    .leftJoin('regions as r', 'r.code', 'o.region_code')
    .leftJoin('alerts as al', function () {
      this.on('al.region_code', 'o.region_code').andOn('al.id', 'o.alert_id');
    })
    .leftJoin('review_findings as rf', function () {
      this.on('rf.region_code', 'o.region_code').andOn('rf.id', 'o.review_finding_id');
    })
    .leftJoin('agencies as g', function () {
      this.on('g.region_code', 'o.region_code').andOn('g.agency_code', 'o.agency_code');
    });
  if (f.opinion) q.where({ 'o.region_code': f.opinion.regionCode, 'o.id': f.opinion.id });
  if (f.alert) q.where({ 'o.region_code': f.alert.regionCode, 'o.alert_id': f.alert.id });
  if (f.regionCodes) q.whereIn('o.region_code', f.regionCodes);
  if (f.deptCode) q.whereNull('o.alert_id').where('o.agency_code', f.deptCode);
  if (f.target === 'alert') q.whereNotNull('o.alert_id');
  if (f.target === 'department') q.whereNull('o.alert_id').whereRaw(`not ${ON_REVIEW}`);
  if (f.target === 'review') q.whereRaw(ON_REVIEW);
  if (f.review) q.where({ 'o.draft_fiscal_year': f.review.fiscalYear, 'o.draft_stage': f.review.stage });
  if (f.unanswered) q.whereNull('o.answered_at');
  if (f.authorId) q.where('o.author_id', f.authorId);
  return q;
}

const COLUMNS = [
  'o.*', 'a.display_name as author_name', 'a.role as author_role', 's.display_name as answerer_name', 'r.name as region_name',
  'g.agency_name as dept_name', 'al.rule_id as alert_rule_id', 'al.subject_name as alert_subject_name', 'rf.check_id as review_check_id',
];

interface OpinionRow {
  id: string;
  alert_id: string | null;
  region_code: string;
  agency_code: string | null;
  author_id: string;
  body: string;
  answer: string | null;
  answered_by: string | null;
  answered_at: Date | null;
  created_at: Date;
  author_name: string;
  author_role: string;
  answerer_name: string | null;
  region_name: string | null;
  dept_name: string | null;
  alert_rule_id: string | null;
  alert_subject_name: string | null;
  review_finding_id: string | null;
  review_check_id: string | null;
  draft_fiscal_year: number | null;
  draft_stage: string | null;
  draft_line_no: string | null;
}

export function toOpinion(o: OpinionRow): Opinion {
  const onAlert = o.alert_id != null;
  const onReview = o.review_finding_id != null || o.draft_line_no != null;
  return {
    id: toRegionId(o.region_code, o.id),
    target: (onAlert ? 'alert' : onReview ? 'review' : 'department') as OpinionTarget,
    alertId: onAlert ? toRegionId(o.region_code, o.alert_id!) : null,
    review: onReview
      ? { fiscalYear: o.draft_fiscal_year!, stage: o.draft_stage!, findingId: o.review_finding_id == null ? null : toRegionId(o.region_code, o.review_finding_id), checkId: o.review_check_id, lineNo: o.draft_line_no }
      : null,
    /** The alert's rule and subject (opinions on an alert), for lists that mix both targets. */
    alert: onAlert ? { ruleId: o.alert_rule_id ?? '', subjectName: o.alert_subject_name } : null,
    regionCode: o.region_code,
    regionName: o.region_name,
    deptCode: onAlert ? null : o.agency_code,
    deptName: onAlert ? null : o.dept_name,
    body: o.body,
    author: { id: String(o.author_id), displayName: o.author_name, role: o.author_role },
    createdAt: iso(o.created_at),
    answer: o.answer,
    answeredBy: o.answered_by == null ? null : { id: String(o.answered_by), displayName: o.answerer_name ?? '' },
    answeredAt: iso(o.answered_at),
  };
}

/** The opinions matching `f` in conversation order (oldest first), or newest first for cross-target lists. */
export async function listOpinions(knex: Knex, f: OpinionFilter, page?: { limit: number; offset: number; newestFirst?: boolean }): Promise<Opinion[]> {
  const dir = page?.newestFirst ? 'desc' : 'asc';
  const q = opinionsQuery(knex, f).select(COLUMNS).orderBy('o.created_at', dir).orderBy('o.id', dir);
  if (page) q.limit(page.limit).offset(page.offset);
  return ((await q) as OpinionRow[]).map(toOpinion);
}

export async function countOpinions(knex: Knex, f: OpinionFilter): Promise<number> {
  const [{ n }] = await opinionsQuery(knex, f).count({ n: '*' });
  return Number(n);
}

/** One opinion, by region and id (the public id `411100-42` is both). */
export async function getOpinion(knex: Knex, key: RegionKey): Promise<Opinion | undefined> {
  return (await listOpinions(knex, { opinion: key }))[0];
}

/** An opinion on a budget document: on a finding (its id in the opinion's region) or on a line. */
export type ReviewOpinionTarget = { fiscalYear: number; stage: string } & ({ findingId: string } | { lineNo: string });

export async function insertOpinion(
  knex: Knex,
  row: { regionCode: string; authorId: string; body: string } & ({ alertId: string } | { deptCode: string } | { review: ReviewOpinionTarget }),
): Promise<RegionKey> {
  const review = 'review' in row ? row.review : null;
  const [{ id }] = await knex('review_opinions')
    .insert({
      alert_id: 'alertId' in row ? row.alertId : null,
      agency_code: 'deptCode' in row ? row.deptCode : null,
      review_finding_id: review && 'findingId' in review ? review.findingId : null,
      draft_line_no: review && 'lineNo' in review ? review.lineNo : null,
      draft_fiscal_year: review?.fiscalYear ?? null,
      draft_stage: review?.stage ?? null,
      region_code: row.regionCode,
      author_id: row.authorId,
      body: row.body,
    })
    .returning('id');
  return { regionCode: row.regionCode, id: String(id) };
}

/** Records the staff answer on opinion `key` if it matches `f` (on that alert); false when none does. */
export async function answerOpinion(knex: Knex, key: RegionKey, f: { alert?: RegionKey }, answer: string, userId: string): Promise<boolean> {
  const q = knex('review_opinions').where({ region_code: key.regionCode, id: key.id });
  if (f.alert) q.where({ region_code: f.alert.regionCode, alert_id: f.alert.id });
  const n = await q.update({ answer, answered_by: userId, answered_at: knex.fn.now() });
  return n > 0;
}

/** The department (主管部门: an agency without a parent) `deptCode` of `regionCode`, if it exists. */
export async function findDepartment(knex: Knex, regionCode: string, deptCode: string): Promise<{ code: string; name: string } | undefined> {
  return knex('agencies')
    .where({ region_code: regionCode, agency_code: deptCode })
    .where((w) => w.whereNull('parent_code').orWhere('parent_code', ''))
    .first('agency_code as code', 'agency_name as name');
}
