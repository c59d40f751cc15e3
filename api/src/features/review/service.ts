import Decimal from 'decimal.js';
import type { Knex } from 'knex';
import { fromRegionId, type RegionKey } from '../../contract/common.js';
import { createError, ErrorCode } from '../../errors.js';
import type { AuthUser } from '../../middleware/auth.js';
import { CHECKS, checkById, reviewDocument, type DraftStage } from '../../review/index.js';
import { changeRuleSetting, loadRuleSettings, ruleSettingHistory, type RuleSetting } from '../../rules/settings.js';
import { addOpinion } from '../opinions/service.js';
import type { ReviewCheck, ReviewCheckChange, ReviewFinding, ReviewGroup, ReviewLine, ReviewWorkspace } from './contract.js';
import { BUDGET_TYPE_ZH } from '../../review/d04-balance.js';
import { decide, documentLines, findingsQueryBuilder, findingTarget, funcNames, lineExists, listDocuments, toFinding } from './queries.js';
import type { FindingsQuery } from './schema.js';

const checkName = (id: string) => checkById(id)?.nameZh ?? id;

export const changeOf = (amount: string, prior: string | null) => (prior === null ? null : new Decimal(amount).minus(prior).toFixed(2));
export const changePercentOf = (amount: string, prior: string | null) =>
  prior === null || new Decimal(prior).isZero() ? null : new Decimal(amount).minus(prior).times(100).div(prior).toDecimalPlaces(2, Decimal.ROUND_HALF_UP).toFixed(2);

export async function findings(knex: Knex, regionCodes: string[], q: FindingsQuery & { finding?: RegionKey }): Promise<ReviewFinding[]> {
  return (await findingsQueryBuilder(knex, regionCodes, q)).map((r: any) => toFinding(r, checkName));
}

/** The workspace of one document: its lines beside last year's, the findings in place, three sums. */
export async function workspace(knex: Knex, regionCode: string, fiscalYear: number, stage: DraftStage): Promise<ReviewWorkspace> {
  const doc = (await listDocuments(knex, regionCode)).find((d) => d.fiscalYear === fiscalYear && d.stage === stage);
  if (!doc) throw createError(ErrorCode.NOT_FOUND, `${regionCode} 没有 ${fiscalYear} 年${stage}`, 404);
  const [raw, found] = await Promise.all([documentLines(knex, regionCode, fiscalYear, stage), findings(knex, [regionCode], { fy: fiscalYear, stage })]);
  const byLine = new Map<string, string[]>();
  for (const f of found) for (const n of f.lineNos) byLine.set(n, [...(byLine.get(n) ?? []), f.id]);
  const lines: ReviewLine[] = raw.map((l) => ({ ...l, change: changeOf(l.amount, l.priorBudget), changePercent: changePercentOf(l.amount, l.priorBudget), findingIds: byLine.get(l.lineNo) ?? [] }));
  return { document: doc, lines, findings: found, groups: await groups(knex, lines) };
}

/**
 * Expenditure sums by budget type, by function (类/款/项, each level a node with its parent) and
 * by department: the total budget's lines (总预算) when the document has them, else the
 * departments' (a department document). Department sums always use the department lines.
 */
async function groups(knex: Knex, lines: ReviewLine[]): Promise<ReviewWorkspace['groups']> {
  const spend = lines.filter((l) => l.direction === '支出');
  const totals = spend.filter((l) => l.agencyCode === null);
  const scope = totals.length ? totals : spend;
  const funcCodes = new Set<string>();
  for (const l of scope) if (l.funcCode) for (const n of [3, 5, 7]) if (l.funcCode.length >= n) funcCodes.add(l.funcCode.slice(0, n));
  const names = await funcNames(knex, [...funcCodes]);
  const budgetTypes = sumBy(scope, (l) => [{ code: l.budgetType, name: BUDGET_TYPE_ZH[l.budgetType] ?? l.budgetType, parent: null, level: 1 }]);
  const functions = sumBy(scope, (l) =>
    !l.funcCode ? [] : [3, 5, 7].filter((n) => l.funcCode!.length >= n).map((n, i) => ({
      code: l.funcCode!.slice(0, n), name: names.get(l.funcCode!.slice(0, n)) ?? null, parent: i === 0 ? null : l.funcCode!.slice(0, [3, 5][i - 1]), level: i + 1,
    })),
  );
  const departments = sumBy(spend.filter((l) => l.deptCode), (l) => [{ code: l.deptCode!, name: l.deptName, parent: null, level: 1 }]);
  return { budgetTypes, functions, departments };
}

function sumBy(lines: ReviewLine[], keys: (l: ReviewLine) => { code: string; name: string | null; parent: string | null; level: number }[]): ReviewGroup[] {
  const acc = new Map<string, { code: string; name: string | null; parent: string | null; level: number; lines: number; amount: Decimal; priorBudget: Decimal; priorActual: Decimal; findings: Set<string> }>();
  for (const l of lines) {
    for (const k of keys(l)) {
      const g = acc.get(k.code) ?? { ...k, lines: 0, amount: new Decimal(0), priorBudget: new Decimal(0), priorActual: new Decimal(0), findings: new Set<string>() };
      g.lines++;
      g.amount = g.amount.plus(l.amount);
      g.priorBudget = g.priorBudget.plus(l.priorBudget ?? 0);
      g.priorActual = g.priorActual.plus(l.priorActual ?? 0);
      for (const f of l.findingIds) g.findings.add(f);
      g.name ??= k.name;
      acc.set(k.code, g);
    }
  }
  return [...acc.values()].sort((a, b) => a.code.localeCompare(b.code)).map((g) => ({
    code: g.code, name: g.name, parent: g.parent, level: g.level, lines: g.lines, findings: g.findings.size,
    amount: g.amount.toFixed(2), priorBudget: g.priorBudget.toFixed(2), priorActual: g.priorActual.toFixed(2),
    change: g.amount.minus(g.priorBudget).toFixed(2), changePercent: changePercentOf(g.amount.toFixed(2), g.priorBudget.isZero() ? null : g.priorBudget.toFixed(2)),
  }));
}

/**
 * Finding `id` (public, `411100-42`) by region and id when its region is the user's, else
 * null: a finding of a region outside the user's tree is not even read (the same 404 as none).
 */
function visibleFinding(user: AuthUser, id: string): RegionKey | null {
  const key = fromRegionId(id);
  return user.regionCodes.includes(key.regionCode) ? key : null;
}

/** Staff decide a finding of their regions: accepted (写入意见) or rejected, with a note. */
export async function decideFinding(knex: Knex, user: AuthUser, id: string, d: { decision: string; note: string }): Promise<ReviewFinding> {
  const key = visibleFinding(user, id);
  if (!key || !(await decide(knex, key, { ...d, userId: user.id }))) throw createError(ErrorCode.NOT_FOUND, `审查意见 ${id} 不存在`, 404);
  return (await findings(knex, [key.regionCode], { finding: key }))[0];
}

/** An opinion (审议意见) on a finding or a line; any role, within the user's regions. */
export async function opinionOnFinding(knex: Knex, user: AuthUser, id: string, body: string) {
  const key = visibleFinding(user, id);
  const f = key && (await findingTarget(knex, key));
  if (!key || !f) throw createError(ErrorCode.NOT_FOUND, `审查意见 ${id} 不存在`, 404);
  return addOpinion(knex, user, { regionCode: key.regionCode, review: { fiscalYear: f.fiscal_year, stage: f.stage, findingId: key.id } }, body);
}

export async function opinionOnLine(knex: Knex, user: AuthUser, regionCode: string, fiscalYear: number, stage: string, lineNo: string, body: string) {
  if (!(await lineExists(knex, regionCode, fiscalYear, stage, lineNo))) throw createError(ErrorCode.NOT_FOUND, `${fiscalYear} 年${stage}没有第 ${lineNo} 行`, 404);
  return addOpinion(knex, user, { regionCode, review: { fiscalYear, stage, lineNo } }, body);
}

export async function runReview(knex: Knex, regionCode: string, fiscalYear: number, stage: DraftStage) {
  if (!(await knex('budget_drafts').where({ region_code: regionCode, fiscal_year: fiscalYear, stage }).first('line_no'))) {
    throw createError(ErrorCode.NOT_FOUND, `${regionCode} 没有 ${fiscalYear} 年${stage}`, 404);
  }
  const { checks, inserted, updated, removed, stale } = await reviewDocument(knex, { regionCode, fiscalYear, stage });
  return { checks, inserted, updated, removed, stale };
}

const toCheck = (c: (typeof CHECKS)[number], s: RuleSetting): ReviewCheck => ({
  id: c.id, nameZh: c.nameZh, category: c.category, basis: c.basis, stages: [...c.stages], enabled: s.enabled, version: s.version, params: s.params,
  defaults: c.defaults, setIn: s.regionCode, updatedAt: s.updatedAt,
});

export async function listChecks(knex: Knex, regionCode: string): Promise<ReviewCheck[]> {
  const settings = await loadRuleSettings(knex, CHECKS, regionCode);
  return CHECKS.map((c) => toCheck(c, settings.get(c.id)!));
}

function knownCheck(id: string) {
  const check = checkById(id);
  if (!check) throw createError(ErrorCode.NOT_FOUND, `审查项 ${id} 不存在`, 404);
  return check;
}

/**
 * A new version of a check's thresholds (or its switch) for a region, as the rules' are changed:
 * the region's own row in rule_settings, a history row with the reason. The findings change at
 * the document's next review run (on demand or after the next load), as the rules' alerts do.
 */
export async function changeCheck(
  knex: Knex, user: AuthUser, id: string, regionCode: string, body: { params?: Record<string, unknown>; enabled?: boolean; reason: string },
): Promise<ReviewCheck> {
  const check = knownCheck(id);
  await changeRuleSetting(knex, check, { ...body, userId: user.id, regionCode });
  const settings = await loadRuleSettings(knex, [check], regionCode);
  return toCheck(check, settings.get(id)!);
}

export async function checkHistory(knex: Knex, id: string, regionCode: string): Promise<ReviewCheckChange[]> {
  knownCheck(id);
  return ruleSettingHistory(knex, id, regionCode);
}
