import type { Knex } from 'knex';
import { fromRegionId, toRegionId } from '../../contract/common.js';
import type { AuthUser } from '../../middleware/auth.js';
import { visibleRegionCodes } from '../../middleware/auth.js';
import { documentBlocks, docxParts } from '../../report/docx-xml.js';
import { ruleById } from '../../rules/index.js';
import { getSummary, resolveContext } from '../drilldown/service.js';
import { listOpinions } from '../opinions/queries.js';
import { findReport, reportContent } from '../reports/queries.js';
import { listDocuments } from '../review/queries.js';
import type { PhoneAlert, PhoneHome, PhoneOpinion, PhoneReport } from './contract.js';

const iso = (d: Date | string) => new Date(d).toISOString();
const ruleName = (id: string) => ruleById(id)?.nameZh ?? id;

/** The region's spending as the overview computes it (drill-down service), cut to three numbers and a curve. */
async function execution(knex: Knex, regionCode: string) {
  const ctx = await resolveContext(knex, { regionCode });
  const s = await getSummary(knex, ctx);
  const month = ctx.asOf.slice(0, 7);
  return {
    region: { code: s.region.code, name: s.region.name, label: ctx.label },
    fiscalYear: s.fiscalYear,
    asOf: s.asOf,
    execution: {
      budget: s.total.budget,
      paid: s.total.paid,
      paidThisMonth: s.monthly.find((m) => m.month === month)?.paid ?? '0.00',
      month,
      executionPercent: s.total.executionPercent2dp,
      timeProgressPercent: s.timeProgress.percent2dp,
      behindPoints: s.total.behindProgressPoints2dp,
      spark: s.monthly.map((m) => ({ month: m.month, cumulativePaid: m.cumulativePaid })),
    },
  };
}

/** Open alerts of the region and below: counts by severity, and those opened since the last visit. */
async function alerts(knex: Knex, regions: string[], since: string | undefined): Promise<PhoneHome['alerts']> {
  const open = knex('alerts').whereIn('region_code', regions).whereNull('closed_at');
  const counts = await open.clone().groupBy('severity').select<{ severity: string; n: string }[]>('severity', knex.raw('count(*) as n'));
  const fresh = since ? open.clone().where('opened_at', '>', since) : open.clone();
  const [{ n }] = await fresh.clone().count<{ n: string }[]>({ n: '*' });
  const rows = await fresh
    .clone()
    .orderByRaw(`case severity when 'red' then 0 when 'orange' then 1 else 2 end`)
    .orderBy('opened_at', 'desc')
    .limit(5)
    .select<{ id: string; region_code: string; rule_id: string; severity: PhoneAlert['severity']; subject_name: string | null; explanation: string; opened_at: Date }[]>(
      'id', 'region_code', 'rule_id', 'severity', 'subject_name', 'explanation', 'opened_at');
  const count = (s: string) => Number(counts.find((c) => c.severity === s)?.n ?? 0);
  return {
    open: { red: count('red'), orange: count('orange'), yellow: count('yellow') },
    since: since ?? null,
    newCount: since ? Number(n) : 0,
    newest: rows.map((r) => ({
      id: toRegionId(r.region_code, r.id), ruleId: r.rule_id, ruleName: ruleName(r.rule_id), severity: r.severity, subjectName: r.subject_name, explanation: r.explanation, openedAt: iso(r.opened_at),
    })),
  };
}

/** My opinions and how each is being handled (跟踪办理): answered, the department replied, sent back, waiting. */
async function myOpinions(knex: Knex, user: AuthUser): Promise<PhoneOpinion[]> {
  const opinions = await listOpinions(knex, { authorId: user.id, regionCodes: user.regionCodes }, { limit: 20, offset: 0, newestFirst: true });
  const replies = opinions.length
    ? await knex('liaison_replies')
      .whereIn(['region_code', 'opinion_id'], opinions.map((o) => { const k = fromRegionId(o.id); return [k.regionCode, k.id]; }))
      .orderBy('created_at')
      .select<{ region_code: string; opinion_id: string; status: string }[]>('region_code', 'opinion_id', 'status')
    : [];
  const lastReply = new Map(replies.map((r) => [toRegionId(r.region_code, r.opinion_id), r.status]));
  return opinions.map((o) => {
    const reply = lastReply.get(o.id);
    const state: PhoneOpinion['state'] = o.answer ? 'answered' : reply === 'submitted' ? 'replied' : reply === 'returned' ? 'returned' : 'waiting';
    return {
      id: o.id,
      about: o.alert ? `${ruleName(o.alert.ruleId)}${o.alert.subjectName ? `：${o.alert.subjectName}` : ''}` : (o.deptName ?? o.deptCode ?? ''),
      link: o.alertId ? `/alerts/${o.alertId}` : `/drill/${o.regionCode}/dept/${o.deptCode}`,
      body: o.body,
      createdAt: o.createdAt,
      state,
      answer: o.answer,
      answeredAt: o.answeredAt,
    };
  });
}

/**
 * The budget draft under review (预决算审查), if any: the document the review workspace opens on,
 * when it is a 草案 whose year has no approved budget yet. Once approved there is nothing to review.
 */
async function draftUnderReview(knex: Knex, regionCode: string): Promise<PhoneHome['budgetDraft']> {
  const doc = (await listDocuments(knex, regionCode)).find((d) => d.underReview);
  if (!doc) return null;
  const f = doc.findings;
  return {
    title: `${doc.fiscalYear}年预算草案：审查发现 ${f.total} 项（问题 ${f.issue}、关注 ${f.attention}）`,
    link: `/review?fy=${doc.fiscalYear}&stage=${encodeURIComponent(doc.stage)}`,
  };
}

export async function phoneHome(knex: Knex, user: AuthUser, regionCode: string, since: string | undefined): Promise<PhoneHome> {
  const regions = (await visibleRegionCodes(knex, regionCode)).filter((c) => user.regionCodes.includes(c));
  const [exec, alertBlock, opinions, report, budgetDraft] = await Promise.all([
    execution(knex, regionCode),
    alerts(knex, regions, since),
    myOpinions(knex, user),
    knex('reports').where({ region_code: regionCode }).orderBy('generated_at', 'desc').first<{ id: string; quarter: string; as_of: string; generated_at: Date } | undefined>('id', 'quarter', 'as_of', 'generated_at'),
    draftUnderReview(knex, regionCode),
  ]);
  return {
    ...exec,
    alerts: alertBlock,
    opinions,
    budgetDraft,
    latestReport: report ? { id: toRegionId(regionCode, report.id), quarter: report.quarter, asOf: report.as_of, generatedAt: iso(report.generated_at) } : null,
  };
}

/** An archived report's own text and tables, read from its .docx: the same content, for a phone screen. */
export async function phoneReport(knex: Knex, user: AuthUser, id: string): Promise<PhoneReport | undefined> {
  const key = fromRegionId(id);
  // A report of a region outside the user's scope is not read: the same 404 as none.
  if (!user.regionCodes.includes(key.regionCode)) return undefined;
  const meta = await findReport(knex, key);
  if (!meta) return undefined;
  const file = (await reportContent(knex, key))!;
  const blocks = documentBlocks(docxParts(file.content).documentXml).filter((b) => b.kind === 'table' || b.text.trim() !== '');
  return {
    id: toRegionId(meta.region_code, meta.id),
    regionName: meta.region_name ?? meta.region_code,
    quarter: meta.quarter,
    asOf: meta.as_of,
    generatedAt: iso(meta.generated_at),
    fileName: meta.file_name,
    blocks,
  };
}
