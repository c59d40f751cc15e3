import { scopeLabel, type Scope } from '../drilldown/scope.js';
import type { Entity, Lexicon } from './lexicon.js';

/**
 * 问数: a deterministic reading of a question in plain Chinese over what the system knows
 * (lexicon.ts). No model, no network: patterns for time, ranking, thresholds and measures,
 * the longest known name at each position for regions, departments, units and classes, and
 * a short list of filler words. Whatever is left over is reported as not understood — the
 * parser never guesses past a word it does not know.
 */

export type Measure = 'paid' | 'budget' | 'rate' | 'behind' | 'unpaid' | 'revenue' | 'revenueRate';
/** Measures the system knows but answers on their own pages. */
export type PageTopic = 'debt' | 'assets' | 'supplement' | 'threePublic';

export type Period =
  | { kind: 'ytd'; fiscalYear: number; asOf: string }
  | { kind: 'range'; fiscalYear: number; from: string; to: string };

export type Level = 'dept' | 'region' | 'unit' | 'func';

export interface Parsed {
  intent: 'figure' | 'compare' | 'ranking' | 'threshold' | 'auditOverdue' | 'payee' | 'page';
  region: { code: string; name: string };
  /** compare: every subject named; otherwise one. */
  subjects: Subject[];
  measure: Measure;
  period: Period;
  periodLabel: string;
  ranking?: { level: Level; order: 'desc' | 'asc'; n: number };
  threshold?: { level: Level; op: '>' | '<'; value: string };
  payee?: string;
  topic?: PageTopic;
}

export interface Subject {
  /** level: for the scope's word (漯河市本级, 漯河市全市). */
  region: { code: string; name: string; level?: string };
  /** A region's figure is its own budget (本级) or with every region under it (全辖); a department's is 本级. */
  scope: Scope;
  dept?: Entity;
  unit?: Entity;
  func?: Entity;
  econ?: Entity;
}

export type ParseResult =
  | { ok: true; parsed: Parsed; sentence: string }
  | { ok: false; unknown: string[]; suggestions: string[] };

/** The data's dates: the region's latest business date and the drill-down's default year and as-of. */
export interface DataDates {
  latest: string;
  fiscalYear: number;
  asOf: string;
}

const CN_DIGITS: Record<string, number> = { 零: 0, 〇: 0, 一: 1, 二: 2, 两: 2, 三: 3, 四: 4, 五: 5, 六: 6, 七: 7, 八: 8, 九: 9 };
const CN_NUM = '[0-9一二两三四五六七八九十零〇]+';

/** 3 / 三 / 十一 / 二十 / 二十五 → a number (undefined when it is not one). */
export function cnNumber(s: string): number | undefined {
  if (/^\d+$/.test(s)) return Number(s);
  if (!/^[一二两三四五六七八九十零〇]+$/.test(s)) return undefined;
  if (!s.includes('十')) return s.length === 1 ? CN_DIGITS[s] : Number([...s].map((c) => CN_DIGITS[c]).join(''));
  const [tens, ones] = s.split('十');
  return (tens ? CN_DIGITS[tens]! : 1) * 10 + (ones ? CN_DIGITS[ones]! : 0);
}

const QUARTER_CN = ['', '一', '二', '三', '四'];
const pad = (n: number) => String(n).padStart(2, '0');
const monthEnd = (y: number, m: number) => `${y}-${pad(m)}-${pad(new Date(Date.UTC(y, m, 0)).getUTCDate())}`;
const minDate = (a: string, b: string) => (a < b ? a : b);

/** Filler words: asked-for politeness and grammar, removed after everything meaningful was read. */
const FILLER = [
  '请问', '请帮我', '帮我', '帮忙', '给我', '查询一下', '查询', '查一下', '查查', '查', '看一下', '看看', '看', '想知道', '了解', '一下', '告诉我', '显示', '列出', '统计',
  '是多少', '有多少', '多少钱', '多少', '是什么', '怎么样', '如何', '怎样', '情况', '怎么', '几',
  '一共', '总共', '合计', '共计', '累计', '总额', '总计', '总体', '整体', '全部', '所有', '各个', '各', '每个',
  '目前', '现在', '当前', '至今', '为止', '以来', '了', '的', '是', '吗', '呢', '啊', '呀', '吧', '有', '在', '和', '与', '及', '跟', '同', '对比', '比较', '相比', '比',
  '分别', '数据', '数', '金额', '资金', '钱', '元', '万元', '亿元', '完成', '实现', '达到', '为', '都', '中', '里', '其中', '按', '从高到低', '从低到高', '由高到低', '由低到高',
  '部门', '单位', '县区', '县市区', '地区', '县', '区', '科目', '领域', '功能分类', '个', '名', '家', '位', '还',
];

interface Scan {
  text: string;
  used: boolean[];
}
/** Mark the matches of `re` as read and hand each to `on`; what was read already is out of reach. */
function take(s: Scan, re: RegExp, on: (m: RegExpExecArray) => void): boolean {
  let hit = false;
  const masked = [...s.text].map((c, i) => (s.used[i] ? '\u0001' : c)).join('');
  for (const m of masked.matchAll(new RegExp(re.source, re.flags.includes('g') ? re.flags : `${re.flags}g`))) {
    const start = m.index!;
    for (let i = start; i < start + m[0].length; i++) s.used[i] = true;
    on(m as RegExpExecArray);
    hit = true;
  }
  return hit;
}
const rest = (s: Scan) => [...s.text].map((c, i) => (s.used[i] ? ' ' : c)).join('');

export function normalise(q: string): string {
  return q
    .normalize('NFKC')
    .toLowerCase()
    .replace(/[\s?？。.,，!！、:：;；"'“”‘’（）()《》【】\[\]]/g, '')
    .replace(/[—–~～－]/g, '-')
    .replace(/截止/g, '截至');
}

export function parseQuestion(question: string, lex: Lexicon, dates: DataDates): ParseResult {
  const s: Scan = { text: normalise(question), used: [] };
  s.used = new Array(s.text.length).fill(false);
  if (!s.text) return { ok: false, unknown: [], suggestions: [] };

  // ── Time.
  const latestYear = Number(dates.latest.slice(0, 4));
  let year: number | undefined;
  let months: { from: number; to: number; ytd: boolean; quarter?: number } | undefined;
  take(s, /(\d{4})年度?/, (m) => (year = Number(m[1])));
  take(s, /今年以来|今年|本年度|本年|年初以来|年初至今/, () => (year = latestYear));
  take(s, /去年|上年度|上一年|上年/, () => (year = latestYear - 1));
  const latestMonth = Number(dates.latest.slice(5, 7));
  const latestQuarter = Math.ceil(latestMonth / 3);
  const quarter = (q: number) => (months = { from: q * 3 - 2, to: q * 3, ytd: false, quarter: q });
  take(s, /上一?个?季度/, () => {
    if (latestQuarter === 1) year = (year ?? latestYear) - 1;
    quarter(latestQuarter === 1 ? 4 : latestQuarter - 1);
  });
  take(s, /本季度|这个季度|当季/, () => quarter(latestQuarter));
  take(s, /前三季度/, () => (months = { from: 1, to: 9, ytd: true }));
  take(s, new RegExp(`第?([1-4一二三四])季度|q([1-4])`), (m) => quarter(cnNumber(m[1] ?? m[2]!)!));
  take(s, /上半年/, () => (months = { from: 1, to: 6, ytd: true }));
  take(s, /下半年/, () => (months = { from: 7, to: 12, ytd: false }));
  take(s, new RegExp(`(${CN_NUM})(?:月份?)?(?:-|至|到)(${CN_NUM})月份?(?:底|末)?`), (m) => {
    const a = cnNumber(m[1]!)!;
    const b = cnNumber(m[2]!)!;
    months = { from: a, to: b, ytd: a === 1 };
  });
  take(s, new RegExp(`(?:截至|到|至)?(${CN_NUM})月(?:底|末|份底)`), (m) => (months = { from: 1, to: cnNumber(m[1]!)!, ytd: true }));
  take(s, /本月|这个月|当月/, () => (months = { from: latestMonth, to: latestMonth, ytd: false }));
  take(s, /上个?月/, () => {
    if (latestMonth === 1) year = (year ?? latestYear) - 1;
    const m = latestMonth === 1 ? 12 : latestMonth - 1;
    months = { from: m, to: m, ytd: false };
  });
  take(s, new RegExp(`(${CN_NUM})月份?`), (m) => {
    const n = cnNumber(m[1]!)!;
    months = { from: n, to: n, ytd: false };
  });
  take(s, /截至目前|截至今天|截至现在|截至/, () => {});
  if (months && (months.from < 1 || months.to > 12 || months.from > months.to)) return { ok: false, unknown: [question.trim()], suggestions: [] };

  // ── Special questions, read whole.
  let intent: Parsed['intent'] | undefined;
  let topic: PageTopic | undefined;
  let payee: string | undefined;
  take(s, /(?:收款人|收款单位|收款方|付给|支付给|付款给)(.+)$/, (m) => {
    intent = 'payee';
    payee = m[1]!.replace(/(的)?(收款|支付|付款|凭证|记录|情况|多少钱|多少|共|了|的)+$/g, '');
  });
  if (intent === 'payee' && !payee) return { ok: false, unknown: [], suggestions: ['收款人 张三'] };
  if (take(s, /(?:逾期|超期|过期|到期)未?(?:完成)?整改(?:的)?(?:审计)?(?:查出)?(?:问题)?|审计(?:查出)?(?:的)?问题(?:中)?(?:逾期|超期)未?整改(?:的)?/, () => {})) intent = 'auditOverdue';
  take(s, /资产负债率|国有资产|国资/, () => (topic = 'assets'));
  take(s, /债务率|债务余额|政府债务|债务限额|债务/, () => (topic = 'debt'));
  take(s, /追加率|预算追加|追加/, () => (topic = 'supplement'));
  take(s, /三公经费|三公/, () => (topic = 'threePublic'));
  if (topic) intent = 'page';

  // ── Ranking and thresholds.
  let ranking: Parsed['ranking'] | undefined;
  let threshold: Parsed['threshold'] | undefined;
  let order: 'desc' | 'asc' | undefined;
  let n: number | undefined;
  let which = false;
  take(s, new RegExp(`(超过|大于|高于|多于|不少于|不低于|达到|低于|小于|不足|少于|不到)(${CN_NUM}(?:\\.\\d+)?)(?:个百分点|个点|%|百分点)(以上|以下)?`), (m) => {
    const op = /低于|小于|不足|少于|不到/.test(m[1]!) ? '<' : '>';
    const raw = m[2]!;
    threshold = { level: 'dept', op, value: /^\d/.test(raw) ? raw : String(cnNumber(raw)) };
  });
  take(s, new RegExp(`(${CN_NUM}(?:\\.\\d+)?)(?:个百分点|个点|%|百分点)(以上|以下)`), (m) => {
    const raw = m[1]!;
    threshold = { level: 'dept', op: m[2] === '以下' ? '<' : '>', value: /^\d/.test(raw) ? raw : String(cnNumber(raw)) };
  });
  take(s, new RegExp(`(?:排名|排行|排)?前(${CN_NUM})(?:名|个|位|家)?`), (m) => (n = cnNumber(m[1]!)));
  take(s, new RegExp(`倒数(?:第)?(${CN_NUM})?(?:名|个|位|家)?`), (m) => {
    order = 'asc';
    if (m[1]) n = cnNumber(m[1]);
  });
  let superlative = false;
  take(s, /最(高|多|大|快|好)/, () => ((order = 'desc'), (superlative = true)));
  take(s, /最(低|少|小|慢|差)/, () => ((order = 'asc'), (superlative = true)));
  take(s, /排名|排行|排序|名次/, () => (order ??= 'desc'));
  take(s, /哪几个|哪些|哪个|哪一个|哪家|哪/, () => (which = true));
  take(s, new RegExp(`(${CN_NUM})(?:个|家|名)(?=部门|单位|县|区|地区|科目)`), (m) => (n = cnNumber(m[1]!)));
  // ── Measures (after time, so 三季度 is not read as anything else).
  let measure: Measure | undefined;
  const measureOf: [RegExp, Measure][] = [
    [/收入进度|收入执行率|收入完成率|收入完成进度/, 'revenueRate'],
    [/(?:一般公共预算)?(?:财政)?收入/, 'revenue'],
    [/落后于?时序进度|落后于?序时进度|落后|滞后|慢于时序进度|慢于序时进度/, 'behind'],
    [/支出进度|执行进度|支出执行率|预算执行率|执行率|执行情况|进度|执行/, 'rate'],
    [/未支付余额|未支付|结余|余额|剩余|剩下|没花|未用|还没花/, 'unpaid'],
    [/可用指标|预算指标|预算数|预算安排|预算|指标/, 'budget'],
    [/已支付|支付|支出|花了|花费|花钱|开支|用款|用了|拨付/, 'paid'],
  ];

  // ── Names: the longest known form at each position, among what is not yet read.
  const found: { e: Entity[]; at: number }[] = [];
  const maxLen = 24;
  for (let i = 0; i < s.text.length; ) {
    if (s.used[i]) {
      i++;
      continue;
    }
    let hit: { form: string; e: Entity[] } | undefined;
    for (let len = Math.min(maxLen, s.text.length - i); len >= 2; len--) {
      const form = s.text.slice(i, i + len);
      if (s.used.slice(i, i + len).some(Boolean)) continue;
      const e = lex.forms.get(form);
      if (e) {
        hit = { form, e };
        break;
      }
    }
    if (hit) {
      for (let k = i; k < i + hit.form.length; k++) s.used[k] = true;
      found.push({ e: hit.e, at: i });
      i += hit.form.length;
    } else i++;
  }
  // Measures after names: 教育支出 is a class, 支出 alone a measure.
  for (const [re, m] of measureOf) take(s, re, () => (measure ??= m));
  let scope: Scope = 'self';
  take(s, /全市|全省|全县|全区|全辖/, () => {
    scope = 'all';
    found.push({ e: [{ kind: 'region', code: lex.home.code, name: lex.home.name }], at: -1 });
  });
  take(s, /市本级|县本级|本级|市级|本市|本省|本地区|我市|我县|本县/, () => found.push({ e: [{ kind: 'region', code: lex.home.code, name: lex.home.name }], at: -1 }));

  // ── What a ranking or a threshold lists: read from what is left once names are read (临颍县 is a name, 县 a level).
  const left0 = rest(s);
  const level: Level | undefined = /部门/.test(left0) ? 'dept' : /单位/.test(left0) ? 'unit' : /县|区/.test(left0) ? 'region' : /科目|领域|功能分类/.test(left0) ? 'func' : undefined;

  // ── Anything left that is not filler is a word we do not know.
  let left = rest(s);
  for (const f of FILLER) left = left.split(f).join(' ');
  const unknown = left.split(/\s+/).filter((w) => w.length > 0);
  if (unknown.length) return { ok: false, unknown, suggestions: [] };
  if (!found.length && !measure && !intent && !months && year === undefined && !threshold && !order) return { ok: false, unknown: [question.trim()], suggestions: [] };

  // ── Resolve names into subjects.
  const regionsNamed = found.filter((f) => f.e[0]!.kind === 'region').map((f) => ({ ...f.e[0]!, at: f.at }));
  const regionAt = (at: number) => [...regionsNamed].filter((r) => r.at < at).pop();
  const mainRegion = regionsNamed[0] ? { code: regionsNamed[0].code, name: regionsNamed[0].name } : { code: lex.home.code, name: lex.home.name };
  const pick = (cands: Entity[], at: number): Entity | undefined => {
    const region = regionAt(at) ?? (regionsNamed.length === 1 ? regionsNamed[0] : undefined);
    const inRegion = (code: string) => cands.filter((c) => c.regionCode === code);
    if (region) return inRegion(region.code)[0];
    return inRegion(lex.home.code)[0] ?? (new Set(cands.map((c) => c.regionCode)).size === 1 ? cands[0] : undefined);
  };
  const subjects: Subject[] = [];
  const classes: { func?: Entity; econ?: Entity } = {};
  const orgs: Entity[] = [];
  for (const f of found) {
    const kind = f.e[0]!.kind;
    if (kind === 'func' || kind === 'econ') {
      const shortest = [...f.e].filter((e) => e.kind === kind).sort((a, b) => a.code.length - b.code.length)[0]!;
      if (classes[kind] && classes[kind]!.code !== shortest.code) orgs.push(shortest); // two classes: a comparison
      else classes[kind] = shortest;
    } else if (kind === 'dept' || kind === 'unit') {
      const e = pick(f.e, f.at);
      if (!e) return { ok: false, unknown: [f.e[0]!.name], suggestions: [...new Set(f.e.map((x) => `${lex.regions.find((r) => r.code === x.regionCode)?.name ?? ''}${x.name}`))] };
      orgs.push(e);
    }
  }
  const regionName = (code: string) => lex.regions.find((r) => r.code === code)?.name ?? code;
  const regionOf = (code: string, name: string) => ({ code, name, level: lex.regions.find((r) => r.code === code)?.level });
  const uniqueRegions = [...new Map(regionsNamed.map((r) => [r.code, r])).values()];
  const depts = orgs.filter((o) => o.kind === 'dept');
  const units = orgs.filter((o) => o.kind === 'unit');
  const extraClasses = orgs.filter((o) => o.kind === 'func' || o.kind === 'econ');
  if (depts.length + units.length > 1) {
    for (const o of [...depts, ...units]) {
      subjects.push({ region: regionOf(o.regionCode!, regionName(o.regionCode!)), scope: 'self', ...(o.kind === 'dept' ? { dept: o } : { unit: o }), ...classes });
    }
  } else if (uniqueRegions.length > 1) {
    for (const r of uniqueRegions) subjects.push({ region: regionOf(r.code, r.name), scope, ...classes });
  } else if (extraClasses.length) {
    const org = depts[0] ?? units[0];
    const base: Subject = { region: org ? regionOf(org.regionCode!, regionName(org.regionCode!)) : regionOf(mainRegion.code, mainRegion.name), scope: org ? 'self' : scope, ...(org?.kind === 'dept' ? { dept: org } : org ? { unit: org } : {}) };
    for (const c of [classes.func ?? classes.econ!, ...extraClasses]) subjects.push({ ...base, [c.kind]: c });
  } else {
    const org = depts[0] ?? units[0];
    subjects.push({
      region: org ? regionOf(org.regionCode!, regionName(org.regionCode!)) : regionOf(mainRegion.code, mainRegion.name),
      scope: org ? 'self' : scope,
      ...(org?.kind === 'dept' ? { dept: org } : org ? { unit: org, dept: undefined } : {}),
      ...classes,
    });
  }

  // ── The period: a year-to-date figure, or a span of months (paid only; other measures run to its end).
  const fy = year ?? (months ? latestYear : dates.fiscalYear);
  const capTo = (d: string) => (fy === latestYear ? minDate(d, dates.latest) : d);
  measure ??= 'paid';
  let period: Period;
  let periodLabel: string;
  if (!months) {
    const asOf = year === undefined ? dates.asOf : capTo(`${fy}-12-31`);
    period = { kind: 'ytd', fiscalYear: fy, asOf };
    periodLabel = ytdLabel(fy, asOf);
  } else if (months.ytd || measure !== 'paid' || intent === 'threshold') {
    const asOf = capTo(monthEnd(fy, months.to));
    period = { kind: 'ytd', fiscalYear: fy, asOf };
    periodLabel = ytdLabel(fy, asOf);
  } else {
    const from = `${fy}-${pad(months.from)}-01`;
    const to = capTo(monthEnd(fy, months.to));
    if (to < from) return { ok: false, unknown: [], suggestions: [`${fy}年${months.from}月尚无数据（数据截至 ${dates.latest}）`] };
    period = { kind: 'range', fiscalYear: fy, from, to };
    const span = months.quarter ? `${QUARTER_CN[months.quarter]}季度（${months.from}–${months.to}月）` : months.from === months.to ? `${months.from}月` : `${months.from}–${months.to}月`;
    periodLabel = `${fy}年 ${span}${to < monthEnd(fy, months.to) ? `（至${Number(to.slice(5, 7))}月${Number(to.slice(8))}日）` : ''}`;
  }

  // ── What kind of answer.
  if (!intent) {
    if (threshold) intent = 'threshold';
    else if (order || n || (which && level)) intent = 'ranking';
    else if (subjects.length > 1) intent = 'compare';
    else intent = 'figure';
  }
  if (intent === 'threshold') {
    if (measure === 'paid' || measure === 'budget') measure = 'behind';
    if (measure !== 'behind' && measure !== 'rate') return { ok: false, unknown: [], suggestions: ['哪些部门支出进度落后超过20个百分点'] };
    threshold = { ...threshold!, level: level ?? (subjects[0]!.dept ? 'unit' : 'dept') };
  }
  if (intent === 'ranking') {
    if (measure === 'revenue' || measure === 'revenueRate') return { ok: false, unknown: [], suggestions: ['哪个县支出执行率最低'] };
    ranking = { level: level ?? (subjects[0]!.dept ? 'unit' : 'dept'), order: order ?? 'desc', n: n ?? ((which || superlative) && !/哪些|哪几个/.test(s.text) ? 1 : 5) };
  }
  if (intent === 'page' && topic === undefined) intent = 'figure';
  const parsed: Parsed = { intent, region: subjects[0]!.region, subjects, measure, period, periodLabel, ...(ranking ? { ranking } : {}), ...(threshold ? { threshold } : {}), ...(payee ? { payee } : {}), ...(topic ? { topic } : {}) };
  return { ok: true, parsed, sentence: describe(parsed) };
}

function ytdLabel(fy: number, asOf: string): string {
  const m = Number(asOf.slice(5, 7));
  const d = Number(asOf.slice(8, 10));
  const end = asOf === monthEnd(fy, m);
  if (end) return m === 1 ? `${fy}年 1月` : `${fy}年 1–${m}月`;
  return `${fy}年 1月1日–${m}月${d}日`;
}

export const MEASURE_LABEL: Record<Measure, string> = {
  paid: '支出（已支付）',
  budget: '预算（可用指标）',
  rate: '支出执行率',
  behind: '支出进度落后时序进度',
  unpaid: '未支付余额',
  revenue: '一般公共预算收入',
  revenueRate: '一般公共预算收入进度',
};
const LEVEL_LABEL: Record<Level, string> = { dept: '部门', unit: '单位', region: '地区', func: '支出功能分类' };
const TOPIC_LABEL: Record<PageTopic, string> = { debt: '政府债务（债务率、余额、限额）', assets: '国有资产（资产负债率）', supplement: '预算追加率（预警规则 R04）', threePublic: '三公经费（预警规则 R05）' };

export function subjectName(s: Subject): string {
  const named = (n: string) => (n.startsWith(s.region.name) ? n : `${s.region.name}${n}`);
  const level = (s.region.level ?? 'county') as 'province' | 'city' | 'county';
  const org = s.unit ? named(s.unit.name) : s.dept ? named(s.dept.name) : scopeLabel({ name: s.region.name, level }, s.scope);
  const cls = s.func ?? s.econ;
  return cls ? `${org}「${cls.name}」` : org;
}

/** The sentence shown above the answer: 理解为：漯河市教育局 2025年 1–9月 支出执行率. */
export function describe(p: Parsed): string {
  const who = p.subjects.map(subjectName).join('、');
  switch (p.intent) {
    case 'figure':
      return `理解为：${who} ${p.periodLabel} ${MEASURE_LABEL[p.measure]}`;
    case 'compare':
      return `理解为：${who} ${p.periodLabel} ${MEASURE_LABEL[p.measure]} 对比`;
    case 'ranking':
      return `理解为：${who} ${p.periodLabel} 各${LEVEL_LABEL[p.ranking!.level]} ${MEASURE_LABEL[p.measure]} ${p.ranking!.order === 'desc' ? '从高到低' : '从低到高'} 前${p.ranking!.n}名`;
    case 'threshold': {
      const t = p.threshold!;
      const what = p.measure === 'behind' ? `支出进度落后时序进度${t.op === '>' ? '超过' : '不足'}${t.value}个百分点` : `支出执行率${t.op === '>' ? '高于' : '低于'}${t.value}%`;
      return `理解为：${who} ${p.periodLabel} ${what}的${LEVEL_LABEL[t.level]}`;
    }
    case 'auditOverdue':
      return `理解为：${who} 逾期未整改的审计查出问题`;
    case 'payee':
      return `理解为：${p.region.name}及下辖地区 ${p.periodLabel} 收款人包含「${p.payee}」的支付`;
    case 'page':
      return `理解为：${who} ${TOPIC_LABEL[p.topic!]}`;
  }
}
