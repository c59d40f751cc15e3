import type { Lexicon } from './lexicon.js';
import type { ParseResult } from './parse.js';

/** Pages a word points at when the question as a whole was not understood. */
const PAGES: [RegExp, string, string][] = [
  [/预警|警告|异常/, '预警', '/alerts'],
  [/债/, '政府债务', '/debt'],
  [/资产|国企|企业/, '国有资产', '/assets'],
  [/审计|整改/, '审计整改', '/audit'],
  [/报告|季报/, '报告', '/reports'],
  [/凭证|收款|付款/, '支付凭证', '/drill'],
];

const EXAMPLES = ['教育局今年支出进度', '临颍县三季度农林水支出', '哪些部门支出进度落后超过20个百分点', '逾期未整改的审计问题', '收款人 张三'];

const bigrams = (s: string) => new Set([...s].slice(0, -1).map((c, i) => c + s[i + 1]));

/** The names closest to the words not understood (shared character pairs), then pages and examples. */
export function suggestionsFor(question: string, r: Extract<ParseResult, { ok: false }>, lex: Lexicon): { label: string; link: string }[] {
  const out: { label: string; link: string }[] = [];
  const ask = (q: string) => ({ label: q, link: `/m/ask?q=${encodeURIComponent(q)}` });
  for (const s of r.suggestions) out.push(ask(s));
  const words = r.unknown.length ? r.unknown : [question];
  const scored: { name: string; score: number }[] = [];
  for (const [form, entities] of lex.forms) {
    if (form !== entities[0]!.name) continue;
    const b = bigrams(form);
    const score = Math.max(...words.map((w) => [...bigrams(w)].filter((x) => b.has(x)).length / Math.max(1, b.size)));
    if (score > 0) scored.push({ name: form, score });
  }
  scored.sort((a, b) => b.score - a.score || a.name.length - b.name.length);
  for (const x of scored.slice(0, 3)) out.push(ask(`${x.name}支出进度`));
  for (const [re, label, link] of PAGES) if (re.test(question)) out.push({ label: `打开「${label}」`, link });
  for (const q of EXAMPLES) if (out.length < 6) out.push(ask(q));
  return out;
}
