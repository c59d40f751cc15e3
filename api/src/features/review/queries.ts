import type { Knex } from 'knex';
import { toRegionId, type RegionKey } from '../../contract/common.js';
import type { OpinionDoc, ReviewDocument, ReviewFinding, ReviewLine } from './contract.js';
import type { FindingsQuery } from './schema.js';

const iso = (d: Date | string | null) => (d == null ? null : new Date(d).toISOString());
const str = (v: unknown) => (v == null ? null : String(v));

/** The documents of a region: lines, totals, the latest delivery, finding counts. */
export async function listDocuments(knex: Knex, regionCode: string): Promise<ReviewDocument[]> {
  const { rows } = await knex.raw(
    `with d as (
       select fiscal_year, stage, count(*)::int as lines, max(batch_id) as batch_id,
              coalesce(sum(amount) filter (where direction = '收入' and agency_code is null), 0) as revenue,
              coalesce(sum(amount) filter (where direction = '支出' and agency_code is null), 0) as exp_total,
              coalesce(sum(amount) filter (where direction = '支出'), 0) as exp_all,
              bool_or(agency_code is null) as has_total
         from budget_drafts where region_code = :region group by fiscal_year, stage
     ), f as (
       select fiscal_year, stage, count(*)::int as total,
              count(*) filter (where severity = 'issue')::int as issue, count(*) filter (where severity = 'attention')::int as attention,
              count(*) filter (where severity = 'note')::int as note, count(*) filter (where decision = 'accepted')::int as accepted,
              count(*) filter (where decision = 'rejected')::int as rejected, count(*) filter (where decision is null)::int as undecided
         from review_findings where region_code = :region and current group by fiscal_year, stage
     )
     select d.*, case when d.has_total then d.exp_total else d.exp_all end as expenditure,
            b.business_date, r.name as region_name, f.total, f.issue, f.attention, f.note, f.accepted, f.rejected, f.undecided
       from d join batches b on b.region_code = :region and b.id = d.batch_id left join f using (fiscal_year, stage) left join regions r on r.code = :region
      order by d.fiscal_year desc, array_position(array['草案','调整','批准','决算'], d.stage)`,
    { region: regionCode },
  );
  const docs: Omit<ReviewDocument, 'opening' | 'underReview'>[] = rows.map((r: Record<string, any>) => ({
    regionCode, regionName: r.region_name, fiscalYear: r.fiscal_year, stage: r.stage, lines: r.lines, revenue: r.revenue, expenditure: r.expenditure,
    batchId: String(r.batch_id), businessDate: r.business_date,
    findings: { total: r.total ?? 0, issue: r.issue ?? 0, attention: r.attention ?? 0, note: r.note ?? 0, accepted: r.accepted ?? 0, rejected: r.rejected ?? 0, undecided: r.undecided ?? 0 },
  }));
  // Newest year first: the first draft not yet approved, else the first approved budget, else the newest.
  const approvedYears = new Set(docs.filter((d) => d.stage === '批准').map((d) => d.fiscalYear));
  const opening = docs.find((d) => d.stage === '草案' && !approvedYears.has(d.fiscalYear)) ?? docs.find((d) => d.stage === '批准') ?? docs[0];
  return docs.map((d) => ({ ...d, opening: d === opening, underReview: d === opening && d.stage === '草案' }));
}

/** Every line of one document with the names of its codes, in line order. */
export async function documentLines(knex: Knex, regionCode: string, fiscalYear: number, stage: string): Promise<Omit<ReviewLine, 'change' | 'changePercent' | 'findingIds'>[]> {
  const rows = await knex('budget_drafts as d')
    .leftJoin('agencies as a', function () {
      this.on('a.region_code', 'd.region_code').andOn('a.agency_code', 'd.agency_code');
    })
    .leftJoin('agencies as p', function () {
      this.on('p.region_code', 'd.region_code').andOn('p.agency_code', knex.raw(`coalesce(nullif(a.parent_code, ''), d.agency_code)`));
    })
    .leftJoin('func_classes as fc', 'fc.code', 'd.func_code')
    .leftJoin('econ_classes as ec', 'ec.code', 'd.econ_code')
    .leftJoin('revenue_classes as rc', 'rc.code', 'd.revenue_code')
    .where({ 'd.region_code': regionCode, 'd.fiscal_year': fiscalYear, 'd.stage': stage })
    .orderBy('d.line_no')
    .select('d.*', 'a.agency_name', 'p.agency_code as dept_code', 'p.agency_name as dept_name', 'fc.name as func_name', 'ec.name as econ_name', 'rc.name as revenue_name');
  return rows.map((r: Record<string, any>) => ({
    lineNo: r.line_no, budgetType: r.budget_type, direction: r.direction,
    agencyCode: r.agency_code, agencyName: r.agency_name ?? null, deptCode: r.agency_code ? (r.dept_code ?? r.agency_code) : null, deptName: r.dept_name ?? null,
    funcCode: r.func_code, funcName: r.func_name ?? null, econCode: r.econ_code, econName: r.econ_name ?? null,
    revenueCode: r.revenue_code, revenueName: r.revenue_name ?? null, spendingKind: r.spending_kind, projectCode: r.project_code, projectName: r.project_name,
    amount: r.amount, priorBudget: r.prior_budget, priorActual: r.prior_actual, note: r.note,
    source: { batchId: String(r.batch_id), line: r.source_line },
  }));
}

/** Names of function classes (类/款/项) for the tree. */
export async function funcNames(knex: Knex, codes: string[]): Promise<Map<string, string>> {
  const rows: { code: string; name: string }[] = await knex('func_classes').whereIn('code', codes).select('code', 'name');
  return new Map(rows.map((r) => [r.code, r.name]));
}

interface FindingRow {
  id: string; region_code: string; fiscal_year: number; stage: string; check_id: string; check_version: number; category: string; severity: string;
  subject_key: string; line_nos: string[]; figures: Record<string, string>; basis: string; explanation: string; agency_code: string | null; current: boolean;
  decision: string | null; decision_note: string | null; decided_by: string | null; decider_name: string | null; decided_at: Date | null; opinions: number;
}

/** The findings of `regionCodes` matching `f`; `f.finding` is one finding by region and id. */
export function findingsQueryBuilder(knex: Knex, regionCodes: string[], f: FindingsQuery & { finding?: RegionKey }) {
  const q = knex('review_findings as f')
    .leftJoin('users as u', 'u.id', 'f.decided_by')
    .whereIn('f.region_code', regionCodes)
    .select('f.*', 'u.display_name as decider_name', knex.raw('(select count(*)::int from review_opinions o where o.region_code = f.region_code and o.review_finding_id = f.id) as opinions'))
    .orderByRaw(`f.fiscal_year desc, f.stage, case f.severity when 'issue' then 0 when 'attention' then 1 else 2 end, f.check_id, f.subject_key`);
  if (f.finding) q.where({ 'f.region_code': f.finding.regionCode, 'f.id': f.finding.id });
  if (f.fy) q.where('f.fiscal_year', f.fy);
  if (f.stage) q.where('f.stage', f.stage);
  if (f.check) q.where('f.check_id', f.check);
  if (f.severity) q.where('f.severity', f.severity);
  if (f.category) q.where('f.category', f.category);
  if (f.decision === 'undecided') q.whereNull('f.decision');
  else if (f.decision) q.where('f.decision', f.decision);
  if (f.agency) q.where('f.agency_code', f.agency);
  if (f.line) q.whereRaw('? = any(f.line_nos)', [f.line]);
  return q;
}

export function toFinding(r: FindingRow, checkName: (id: string) => string): ReviewFinding {
  return {
    id: toRegionId(r.region_code, r.id), regionCode: r.region_code, fiscalYear: r.fiscal_year, stage: r.stage as ReviewFinding['stage'], checkId: r.check_id, checkName: checkName(r.check_id),
    checkVersion: r.check_version, category: r.category, severity: r.severity as ReviewFinding['severity'], subjectKey: r.subject_key, lineNos: r.line_nos,
    figures: r.figures, basis: r.basis, explanation: r.explanation, agencyCode: r.agency_code, current: r.current,
    decision: r.decision as ReviewFinding['decision'], decisionNote: r.decision_note,
    decidedBy: r.decided_by == null ? null : { id: String(r.decided_by), displayName: r.decider_name ?? '' }, decidedAt: iso(r.decided_at), opinions: r.opinions,
  };
}

/** Records staff's decision on finding `key`; false when there is none. */
export async function decide(knex: Knex, key: RegionKey, d: { decision: string; note: string; userId: string }): Promise<boolean> {
  const n = await knex('review_findings').where({ region_code: key.regionCode, id: key.id })
    .update({ decision: d.decision, decision_note: d.note || null, decided_by: d.userId, decided_at: knex.fn.now() });
  return n > 0;
}

export async function findingTarget(knex: Knex, key: RegionKey): Promise<{ region_code: string; fiscal_year: number; stage: string } | undefined> {
  return knex('review_findings').where({ region_code: key.regionCode, id: key.id }).first('region_code', 'fiscal_year', 'stage');
}

export async function lineExists(knex: Knex, regionCode: string, fiscalYear: number, stage: string, lineNo: string): Promise<boolean> {
  return !!(await knex('budget_drafts').where({ region_code: regionCode, fiscal_year: fiscalYear, stage, line_no: lineNo }).first('line_no'));
}

interface DocRow { id: string; region_code: string; fiscal_year: number; stage: string; finding_ids: string[]; sha256: string; bytes: number; generated_by: string | null; generator_name: string | null; generated_at: Date }

export const opinionDocFileName = (r: { region_code: string; fiscal_year: number; stage: string; id: string }) => `初审意见_${r.region_code}_${r.fiscal_year}${r.stage}_${r.id}.docx`;

function toOpinionDoc(r: DocRow): OpinionDoc {
  return {
    // finding_ids are ids of the document's own region (the findings it was written from).
    id: toRegionId(r.region_code, r.id), regionCode: r.region_code, fiscalYear: r.fiscal_year, stage: r.stage as OpinionDoc['stage'], findingIds: r.finding_ids.map((f) => toRegionId(r.region_code, f)),
    sha256: r.sha256, bytes: r.bytes, fileName: opinionDocFileName(r),
    generatedBy: r.generated_by == null ? null : { id: String(r.generated_by), displayName: r.generator_name ?? '' }, generatedAt: iso(r.generated_at)!,
  };
}

const docColumns = (knex: Knex) => ['d.id', 'd.region_code', 'd.fiscal_year', 'd.stage', 'd.finding_ids', 'd.sha256', 'd.generated_by', 'd.generated_at', 'u.display_name as generator_name', knex.raw('length(d.content)::int as bytes')];

/** Archives a 初审意见 of `regionCode`; `findingIds` are the ids of that region's findings. */
export async function insertOpinionDoc(knex: Knex, r: { regionCode: string; fiscalYear: number; stage: string; findingIds: string[]; content: Buffer; sha256: string; userId: string }): Promise<OpinionDoc> {
  const [{ id }] = await knex('review_opinion_docs').insert({
    region_code: r.regionCode, fiscal_year: r.fiscalYear, stage: r.stage, finding_ids: r.findingIds, content: r.content, sha256: r.sha256, generated_by: r.userId,
  }).returning('id');
  return (await listOpinionDocs(knex, [r.regionCode], { doc: { regionCode: r.regionCode, id: String(id) } }))[0];
}

export async function listOpinionDocs(knex: Knex, regionCodes: string[], f: { doc?: RegionKey; region?: string; fy?: number; stage?: string }): Promise<OpinionDoc[]> {
  const q = knex('review_opinion_docs as d').leftJoin('users as u', 'u.id', 'd.generated_by').whereIn('d.region_code', regionCodes)
    .select(docColumns(knex)).orderBy('d.generated_at', 'desc').orderBy('d.id', 'desc').limit(100);
  if (f.doc) q.where({ 'd.region_code': f.doc.regionCode, 'd.id': f.doc.id });
  if (f.region) q.where('d.region_code', f.region);
  if (f.fy) q.where('d.fiscal_year', f.fy);
  if (f.stage) q.where('d.stage', f.stage);
  return ((await q) as DocRow[]).map(toOpinionDoc);
}

/** One archived 初审意见 with its bytes, by region and id. */
export async function opinionDocContent(knex: Knex, key: RegionKey): Promise<{ region_code: string; fiscal_year: number; stage: string; id: string; content: Buffer } | undefined> {
  return knex('review_opinion_docs').where({ region_code: key.regionCode, id: key.id }).first('id', 'region_code', 'fiscal_year', 'stage', 'content');
}

export { str };
