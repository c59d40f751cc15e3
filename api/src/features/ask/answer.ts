import Decimal from 'decimal.js';
import type { Knex } from 'knex';
import { visibleRegionCodes, type AuthUser } from '../../middleware/auth.js';
import { asOfFor } from '../../middleware/region-scope.js';
import { findings } from '../audit/queries.js';
import { latestBusinessDate, type DrillFilters } from '../drilldown/queries.js';
import { scopeRegions } from '../drilldown/scope.js';
import { getBreakdown, getSummary, resolveContext, type BreakdownLevel, type BreakdownRow, type DrillContext, type Figures } from '../drilldown/service.js';
import { listTotals, voucherTotals } from '../drilldown/voucher-queries.js';
import { addDays } from '../../clock.js';
import type { AskAnswer, AskFigure, AskRow } from './contract.js';
import { buildLexicon, type Lexicon } from './lexicon.js';
import { MEASURE_LABEL, parseQuestion, subjectName, type Level, type Measure, type Parsed, type Subject } from './parse.js';
import { suggestionsFor } from './suggest.js';

/**
 * Answer a parsed question with the drill-down's own service functions, so every figure is the
 * figure the drill-down page shows for the same region, filters and date (a test holds them equal).
 */

const LEXICON_TTL_MS = 60_000;
const lexicons = new Map<string, { at: number; lex: Promise<Lexicon> }>();
/** Names change only with a load; a minute's cache keeps a question's cost to its figures. */
function lexiconFor(knex: Knex, regionCode: string, regionCodes: string[]): Promise<Lexicon> {
  const key = `${regionCode}|${regionCodes.join(',')}`;
  const hit = lexicons.get(key);
  if (hit && Date.now() - hit.at < LEXICON_TTL_MS) return hit.lex;
  const lex = buildLexicon(knex, { regionCode, regionCodes });
  lexicons.set(key, { at: Date.now(), lex });
  if (lexicons.size > 200) lexicons.delete(lexicons.keys().next().value!);
  lex.catch(() => lexicons.delete(key));
  return lex;
}

const money = (label: string, value: string | null): AskFigure => ({ label, kind: 'money', value });
const percent = (label: string, value: string | null): AskFigure => ({ label, kind: 'percent', value });

/** The figure a measure names, first, then the others that explain it. */
function figuresFor(measure: Measure, f: Figures, ctx: DrillContext): AskFigure[] {
  const all: Record<'paid' | 'budget' | 'rate' | 'behind' | 'unpaid', AskFigure> = {
    paid: money('已支付', f.paid),
    budget: money('预算（可用指标）', f.budget),
    rate: percent('支出执行率', f.executionPercent2dp),
    behind: { label: '落后时序进度', kind: 'points', value: f.behindProgressPoints2dp },
    unpaid: money('未支付余额', f.unpaidBalance),
  };
  const main = all[measure as keyof typeof all] ?? all.paid;
  const rest = (['rate', 'paid', 'budget'] as const).map((k) => all[k]).filter((x) => x !== main);
  return [main, ...rest, percent('时序进度', ctx.timeProgress.percent2dp)];
}

const filtersOf = (s: Subject): DrillFilters => ({
  ...(s.dept ? { dept: s.dept.code } : s.unit ? { dept: s.unit.deptCode! } : {}),
  ...(s.unit ? { unit: s.unit.code } : {}),
  ...(s.func ? { func: s.func.code } : {}),
  ...(s.econ ? { econ: s.econ.code } : {}),
});

function drillPath(s: Subject): string {
  const f = filtersOf(s);
  return `/drill/${s.region.code}${f.dept ? `/dept/${f.dept}` : ''}${f.unit ? `/unit/${f.unit}` : ''}${f.func ? `/func/${f.func}` : ''}${f.econ ? `/econ/${f.econ}` : ''}`;
}

/** The drill-down page for a subject and period: its default view when that is today's figure, else its vouchers in the dates. */
function linkFor(s: Subject, p: Parsed['period'], defaults: DrillContext, view?: string): string {
  const q = new URLSearchParams();
  if (p.fiscalYear !== defaults.fiscalYear) q.set('fy', String(p.fiscalYear));
  // 全辖 has no voucher list of its own (vouchers are per region): its page is the summary.
  if (s.scope === 'all') q.set('scope', 'all');
  else if (p.kind === 'range') Object.entries({ view: 'vouchers', dateFrom: p.from, dateTo: p.to }).forEach(([k, v]) => q.set(k, v));
  else if (p.asOf !== defaults.asOf) Object.entries({ view: 'vouchers', dateFrom: `${p.fiscalYear}-01-01`, dateTo: p.asOf }).forEach(([k, v]) => q.set(k, v));
  else if (view) q.set('view', view);
  const qs = q.toString();
  return `${drillPath(s)}${qs ? `?${qs}` : ''}`;
}

const LEVEL: Record<Level, BreakdownLevel> = { dept: 'departments', unit: 'units', region: 'regions', func: 'functions' };

/** One breakdown level's rows with the measure's value: year to date, or paid within a span of months. */
async function levelRows(knex: Knex, user: AuthUser, p: Parsed, s: Subject, level: Level): Promise<{ rows: BreakdownRow[]; ctx: DrillContext }> {
  const ctxAt = (asOf: string) => resolveContext(knex, { regionCode: s.region.code, fiscalYear: p.period.fiscalYear, asOf });
  const regionCodes = level === 'region' ? (await visibleRegionCodes(knex, s.region.code)).filter((c) => user.regionCodes.includes(c) && c !== s.region.code) : undefined;
  const breakdown = async (ctx: DrillContext) => (await getBreakdown(knex, ctx, { level: LEVEL[level], filters: filtersOf(s), regionCodes })).rows.filter((r) => r.kind === 'item');
  if (p.period.kind === 'ytd') {
    const ctx = await ctxAt(p.period.asOf);
    return { rows: await breakdown(ctx), ctx };
  }
  // Paid within the span = paid to its end − paid to the day before it starts, row by row (exact).
  const [end, start] = await Promise.all([ctxAt(p.period.to), ctxAt(addDays(p.period.from, -1))]);
  const before = new Map((await breakdown(start)).map((r) => [r.code, r.paid]));
  const rows = (await breakdown(end)).map((r) => ({ ...r, paid: new Decimal(r.paid).minus(before.get(r.code) ?? 0).toFixed(2) }));
  return { rows, ctx: end };
}

const valueOf = (measure: Measure, r: Figures): string | null =>
  measure === 'rate' ? r.executionPercent2dp : measure === 'behind' ? r.behindProgressPoints2dp : measure === 'budget' ? r.budget : measure === 'unpaid' ? r.unpaidBalance : r.paid;

function mainFigure(measure: Measure, r: Figures): AskFigure {
  const v = valueOf(measure, r);
  return measure === 'rate' ? percent('支出执行率', v) : measure === 'behind' ? { label: '落后时序进度', kind: 'points', value: v } : money(MEASURE_LABEL[measure], v);
}

export async function answerQuestion(knex: Knex, user: AuthUser, question: string, regionCode: string): Promise<AskAnswer> {
  const started = performance.now();
  const [lex, latest, defaults] = await Promise.all([
    lexiconFor(knex, regionCode, user.regionCodes),
    latestBusinessDate(knex, regionCode),
    resolveContext(knex, { regionCode }),
  ]);
  const base = { question, figures: [] as AskFigure[], rows: [] as AskRow[], unknownWords: [] as string[], suggestions: [] as AskAnswer['suggestions'] };
  const r = parseQuestion(question, lex, { latest: latest ?? defaults.asOf, fiscalYear: defaults.fiscalYear, asOf: defaults.asOf });
  if (!r.ok) {
    return { ...base, understood: false, interpretation: null, link: null, dataAsOf: latest ?? null, unknownWords: r.unknown, suggestions: suggestionsFor(question, r, lex), tookMs: ms(started) };
  }
  const p = r.parsed;
  const s = p.subjects[0]!;
  const out = { ...base, understood: true, interpretation: r.sentence, dataAsOf: latest ?? null, link: null as string | null };

  switch (p.intent) {
    case 'figure':
    case 'compare': {
      for (const subj of p.subjects) {
        const row = await subjectFigures(knex, p, subj, defaults);
        out.rows.push({ name: subjectName(subj), figures: row.figures, link: row.link });
      }
      if (p.intent === 'figure') {
        out.figures = out.rows[0]!.figures;
        out.link = out.rows[0]!.link;
        out.rows = [];
      } else out.link = out.rows[0]!.link;
      break;
    }
    case 'ranking':
    case 'threshold': {
      const level = (p.ranking ?? p.threshold)!.level;
      const { rows } = await levelRows(knex, user, p, s, level);
      const withValue = rows.filter((x) => valueOf(p.measure, x) !== null);
      let picked: BreakdownRow[];
      if (p.ranking) {
        const sign = p.ranking.order === 'desc' ? -1 : 1;
        picked = [...withValue].sort((a, b) => sign * new Decimal(valueOf(p.measure, a)!).cmp(valueOf(p.measure, b)!)).slice(0, p.ranking.n);
      } else {
        const t = p.threshold!;
        picked = withValue
          .filter((x) => (t.op === '>' ? new Decimal(valueOf(p.measure, x)!).gt(t.value) : new Decimal(valueOf(p.measure, x)!).lt(t.value)))
          .sort((a, b) => (p.measure === 'behind' ? -1 : 1) * new Decimal(valueOf(p.measure, a)!).cmp(valueOf(p.measure, b)!));
      }
      const childSubject = (x: BreakdownRow): Subject =>
        level === 'region' ? { region: { code: x.code!, name: x.name }, scope: 'self' }
        : level === 'dept' ? { ...s, dept: { kind: 'dept', code: x.code!, name: x.name, regionCode: s.region.code } }
        : level === 'unit' ? { ...s, unit: { kind: 'unit', code: x.code!, name: x.name, regionCode: s.region.code, deptCode: s.dept?.code ?? x.code!.slice(0, -3) } }
        : { ...s, func: { kind: 'func', code: x.code!, name: x.name } };
      out.rows = picked.map((x) => ({ name: x.name, figures: [mainFigure(p.measure, x), ...(p.measure === 'paid' ? [] : [money('已支付', x.paid)])], link: linkFor(childSubject(x), p.period, defaults) }));
      out.figures = [{ label: p.threshold ? '个符合条件' : '个（按排名）', kind: 'count', value: String(picked.length) }];
      out.link = linkFor(s, p.period, defaults, LEVEL[level]);
      break;
    }
    case 'auditOverdue': {
      const codes = s.scope === 'all' ? (await scopeRegions(knex, s.region.code, 'all')).map((r) => r.code).filter((c) => user.regionCodes.includes(c)) : [s.region.code];
      const asOf = await asOfFor(knex, codes);
      const rows = await findings(knex, codes, asOf, { overdue: true });
      const involved = rows.reduce((sum, x) => sum.plus(x.unrectified_amount ?? x.amount_involved ?? 0), new Decimal(0));
      out.figures = [{ label: '逾期未整改问题', kind: 'count', value: String(rows.length) }, money('未整改金额', involved.toFixed(2))];
      out.rows = [...rows].sort((a, b) => b.days_overdue - a.days_overdue).slice(0, 10).map((x) => ({
        name: `${x.agency_name ?? x.agency_code}：${x.description}`,
        figures: [{ label: '逾期天数', kind: 'count', value: String(x.days_overdue) }, money('涉及金额', x.amount_involved)],
        link: `/audit?region=${s.region.code}${s.scope === 'all' ? '&scope=all' : ''}&finding=${encodeURIComponent(x.finding_no)}`,
      }));
      out.link = `/audit?region=${s.region.code}${s.scope === 'all' ? '&scope=all' : ''}`;
      out.dataAsOf = asOf;
      break;
    }
    case 'payee': {
      const regions = (await visibleRegionCodes(knex, s.region.code)).filter((c) => user.regionCodes.includes(c));
      const per = await Promise.all(regions.map(async (code) => {
        const ctx = await resolveContext(knex, { regionCode: code, fiscalYear: p.period.fiscalYear });
        return { code, ctx, totals: await voucherTotals(knex, { regionCode: code, fiscalYear: ctx.fiscalYear, asOf: ctx.asOf, filters: {}, payee: p.payee }) };
      }));
      const hits = per.filter((x) => x.totals.count !== '0');
      const names = new Map(lex.regions.map((x) => [x.code, x.name]));
      out.rows = hits.map((x) => ({
        name: names.get(x.code) ?? x.code,
        figures: [money('支付金额', x.totals.amount), { label: '笔数', kind: 'count', value: x.totals.count }],
        link: `/drill/${x.code}?view=vouchers&payee=${encodeURIComponent(p.payee!)}`,
      }));
      out.figures = [
        money('支付金额', hits.reduce((sum, x) => sum.plus(x.totals.amount), new Decimal(0)).toFixed(2)),
        { label: '笔数', kind: 'count', value: String(hits.reduce((n, x) => n + Number(x.totals.count), 0)) },
      ];
      out.link = `/drill/${s.region.code}?view=vouchers&payee=${encodeURIComponent(p.payee!)}`;
      break;
    }
    case 'page': {
      const link = { debt: `/debt?region=${s.region.code}`, assets: `/assets?region=${s.region.code}`, supplement: '/alerts?rule=R04', threePublic: '/alerts?rule=R05' }[p.topic!];
      out.figures = [{ label: '请在该页查看', kind: 'text', value: null }];
      out.link = link;
      break;
    }
  }
  return { ...out, tookMs: ms(started) };
}

const ms = (t0: number) => Math.round((performance.now() - t0) * 10) / 10;

/** A subject's figures for the period: the drill-down summary year to date, its voucher list's total for a span. */
async function subjectFigures(knex: Knex, p: Parsed, s: Subject, defaults: DrillContext): Promise<{ figures: AskFigure[]; link: string }> {
  const link = linkFor(s, p.period, defaults);
  if (p.period.kind === 'range' && s.scope === 'all') {
    // 全辖 over a span: the consolidated summary's paid at its end minus the day before it starts.
    const at = async (asOf: string) => (await getSummary(knex, await resolveContext(knex, { regionCode: s.region.code, fiscalYear: p.period.fiscalYear, asOf, scope: 'all' }), filtersOf(s))).total.paid;
    const [end, before] = await Promise.all([at(p.period.to), at(addDays(p.period.from, -1))]);
    return { figures: [money('已支付', new Decimal(end).minus(before).toFixed(2))], link };
  }
  if (p.period.kind === 'range') {
    const ctx = await resolveContext(knex, { regionCode: s.region.code, fiscalYear: p.period.fiscalYear, asOf: p.period.to });
    const t = await listTotals(knex, { regionCode: s.region.code, fiscalYear: ctx.fiscalYear, asOf: ctx.asOf, filters: filtersOf(s), dateFrom: p.period.from, dateTo: p.period.to });
    return { figures: [money('已支付', t.amount), { label: '支付笔数', kind: 'count', value: t.count }], link };
  }
  const ctx = await resolveContext(knex, { regionCode: s.region.code, fiscalYear: p.period.fiscalYear, asOf: p.period.asOf, scope: s.scope });
  const summary = await getSummary(knex, ctx, filtersOf(s));
  if (p.measure === 'revenue' || p.measure === 'revenueRate') {
    const rev = summary.fundTypes.find((f) => f.code === '1')!.revenue;
    const actual = money('一般公共预算收入', rev.actual);
    const rate = percent('收入进度', rev.executionPercent2dp);
    return { figures: p.measure === 'revenue' ? [actual, money('收入预算', rev.budget), rate] : [rate, actual, money('收入预算', rev.budget)], link: `/overview?region=${s.region.code}${s.scope === 'all' ? '&scope=all' : ''}` };
  }
  return { figures: figuresFor(p.measure, summary.total, ctx), link };
}

