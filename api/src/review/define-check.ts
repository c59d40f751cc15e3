import type { Knex } from 'knex';
import { z } from 'zod';

/** REVIEW.md's severities: 提示 note, 关注 attention, 问题 issue. */
export type ReviewSeverity = 'note' | 'attention' | 'issue';
export const REVIEW_SEVERITIES: readonly ReviewSeverity[] = ['note', 'attention', 'issue'];
export const REVIEW_SEVERITY_ZH: Record<ReviewSeverity, string> = { note: '提示', attention: '关注', issue: '问题' };
export const reviewSeveritySchema = z.enum(['note', 'attention', 'issue']);

/** How the 初审意见 groups the findings. */
export type ReviewCategory = '合法性' | '完整性' | '合理性' | '绩效';
export const REVIEW_CATEGORIES: readonly ReviewCategory[] = ['合法性', '完整性', '合理性', '绩效'];

export type DraftStage = '草案' | '调整' | '批准' | '决算';
export const DRAFT_STAGES: readonly DraftStage[] = ['草案', '调整', '批准', '决算'];

/** One document: the lines of a region's budget_drafts for one fiscal year and stage. */
export interface DocumentRef {
  regionCode: string;
  fiscalYear: number;
  stage: DraftStage;
}

export interface CheckContext<P> extends DocumentRef {
  params: P;
}

/** What a check found: the lines it compared and the figures (exact decimal strings). */
export interface CheckFinding {
  /** Unique within the check and the document: 'region', 'line:<no>', 'department:<code>', … */
  subjectKey: string;
  subjectName: string | null;
  lineNos: string[];
  severity: ReviewSeverity;
  /** The department or unit the finding is about, when it is about one. */
  agencyCode: string | null;
  figures: Record<string, string>;
}

export interface CheckDefinition<P = unknown> {
  id: string;
  nameZh: string;
  category: ReviewCategory;
  /** Article or document the check rests on (REVIEW.md). */
  basis: string;
  /** The documents it reads. */
  stages: readonly DraftStage[];
  defaults: P;
  paramsSchema: z.ZodType<P>;
  /** Set-based SQL over the document's lines (and what the system holds beside them). */
  evaluate(knex: Knex, ctx: CheckContext<P>): Promise<CheckFinding[]>;
  /** One Chinese sentence with the finding's exact figures. */
  explain(finding: CheckFinding): string;
}

export function defineCheck<P>(check: CheckDefinition<P>): CheckDefinition<P> {
  return check;
}

/** Bindings and the WHERE clause naming one document's lines in `budget_drafts` (alias d). */
export const docWhere = `d.region_code = :region and d.fiscal_year = :fy and d.stage = :stage`;
export const docBindings = (ctx: DocumentRef) => ({ region: ctx.regionCode, fy: ctx.fiscalYear, stage: ctx.stage });

/** A line's department (主管部门): its agency's parent, or the agency itself (alias a = agencies). */
export const DEPT_OF = `coalesce(nullif(a.parent_code, ''), d.agency_code)`;
export const AGENCY_JOIN = `left join agencies a on a.region_code = d.region_code and a.agency_code = d.agency_code`;

/** Line numbers as Postgres returns array_agg (null when none). */
export const lineList = (v: string[] | null | undefined): string[] => [...(v ?? [])].sort();
