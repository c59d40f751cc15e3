import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT_DIR } from './config.js';

/**
 * The system must work on any date (issue 12): no source file may pin a business date or a
 * year. Tests, test helpers and the browser tests are free to (they fix BW_TODAY or seed
 * their own dates); data tables that really are about one year are listed in ALLOWED.
 */

const ROOTS = ['api', 'etl', 'web/src', 'migrations', 'fixtures/src', 'bench'];
const SKIP_DIR = new Set(['node_modules', 'dist', 'e2e', 'testing']);
const isTestFile = (f: string) => /\.test\.ts$|(^|\/)test-[\w-]+\.ts$/.test(f);

/**
 * Data tables that really are about particular years, each with its reason: a `const <table>`
 * declaration in `file`, up to the line that closes it. Nothing else may name a year.
 */
const ALLOWED: { file: string; table: string; reason: string }[] = [
  { file: 'fixtures/src/calendar.ts', table: 'HOLIDAYS', reason: "the State Council's published public holidays (国务院办公厅 notice), one list per year" },
  { file: 'fixtures/src/calendar.ts', table: 'MAKEUP_WORKDAYS', reason: 'the weekend workdays (调休) of the same notices' },
  { file: 'fixtures/src/plan/debt.ts', table: 'BASE_RATE', reason: 'historical bond coupon base rates by issue year: facts of those years' },
  { file: 'etl/src/load/limits.ts', table: 'DEFAULT_LIMITS', reason: 'the plausibility floor issue 13 sets for any delivered date (2000-01-01), a default of the etl_limits setting' },
];

/**
 * Whole files that are test data, not the system: the dates the any-date tests sweep, and the
 * hand-written bad-input bundles (fixtures/bad/, dated once, loaded by tests that fix their clock).
 */
const ALLOWED_FILES: { file: string; reason: string }[] = [
  { file: 'fixtures/src/as-of-dates.ts', reason: 'the as-of dates the ground-truth and drill tests sweep (issue 12 names them)' },
  { file: 'fixtures/src/bad-inputs.ts', reason: "writes fixtures/bad/: self-contained bad bundles on one fixed business date, the fixtures' own expected data" },
];

/** Lines [first, last] of each allowed table in `src`. */
function allowedLines(file: string, lines: string[]): [number, number][] {
  return ALLOWED.filter((a) => a.file === file).flatMap((a) => {
    const start = lines.findIndex((l) => new RegExp(`\\bconst ${a.table}\\b`).test(l));
    if (start < 0) return [];
    const close = lines.findIndex((l, i) => i >= start && /[\])}];?\s*$/.test(l) && (i > start || /[[{(].*[\])}]/.test(l)));
    return [[start + 1, (close < 0 ? start : close) + 1] as [number, number]];
  });
}

interface Hit {
  file: string;
  line: number;
  literal: string;
  text: string;
}

/** Code and string text of a TS source, comments dropped: [kind, text, line of its start]. */
function segments(src: string): { kind: 'code' | 'string'; text: string; line: number }[] {
  const out: { kind: 'code' | 'string'; text: string; line: number }[] = [];
  let i = 0;
  let line = 1;
  let buf = '';
  let bufLine = 1;
  let kind: 'code' | 'string' = 'code';
  const flush = (next: 'code' | 'string') => {
    if (buf) out.push({ kind, text: buf, line: bufLine });
    buf = '';
    bufLine = line;
    kind = next;
  };
  // Template literals nest through ${ … }: a stack of brace depths tells where one ends.
  const templates: number[] = [];
  let depth = 0;
  while (i < src.length) {
    const c = src[i];
    const c2 = src.slice(i, i + 2);
    if (c2 === '//') {
      while (i < src.length && src[i] !== '\n') i++;
      continue;
    }
    if (c2 === '/*') {
      const end = src.indexOf('*/', i + 2);
      const stop = end < 0 ? src.length : end + 2;
      line += (src.slice(i, stop).match(/\n/g) ?? []).length;
      i = stop;
      continue;
    }
    if (c === "'" || c === '"') {
      flush('string');
      i++;
      while (i < src.length && src[i] !== c && src[i] !== '\n') {
        if (src[i] === '\\') buf += src[i++];
        buf += src[i++];
      }
      if (src[i] === c) i++;
      flush('code');
      continue;
    }
    // A regular expression literal (after an operator or bracket): skipped, its quotes are not strings.
    if (c === '/' && /[(,=:[!&|?{};]\s*$|^\s*$/.test(buf.slice(-40))) {
      i++;
      let cls = false;
      while (i < src.length && src[i] !== '\n' && (cls || src[i] !== '/')) {
        if (src[i] === '\\') i++;
        else if (src[i] === '[') cls = true;
        else if (src[i] === ']') cls = false;
        i++;
      }
      if (src[i] === '/') i++;
      buf += ' ';
      continue;
    }
    if (c === '`' || (c === '}' && templates.length && templates[templates.length - 1] === depth)) {
      if (c === '}') templates.pop();
      flush('string');
      i++;
      while (i < src.length && src[i] !== '`' && src.slice(i, i + 2) !== '${') {
        if (src[i] === '\\') buf += src[i++];
        if (src[i] === '\n') line++;
        buf += src[i++];
      }
      if (src.slice(i, i + 2) === '${') {
        templates.push(depth);
        i += 2;
      } else i++;
      flush('code');
      continue;
    }
    if (c === '{') depth++;
    if (c === '}') depth--;
    if (c === '\n') line++;
    buf += c;
    i++;
  }
  flush('code');
  return out;
}

const DATE_IN_STRING = /(?<![\d.])20\d\d-[01]\d(-[0-3]\d)?(?![\d])|(?<!\d)20\d\d\s*年/g;
// 2010–2039 as a number: a year; 2000 or 2048 are more often sizes and bounds than years.
const YEAR_IN_CODE = /(?<![\w.$])20[1-3]\d(?![\w.])/g;

function scan(file: string): Hit[] {
  let src = fs.readFileSync(path.join(ROOT_DIR, file), 'utf8');
  // A .vue file: its scripts are code; its template text and bindings count as strings.
  if (file.endsWith('.vue')) src = src.replace(/<template>([\s\S]*)<\/template>/, (_m, t: string) => `\`${t.replace(/[`\\]/g, ' ').replace(/\$\{/g, '  ')}\``).replace(/<\/?script[^>]*>|<style[\s\S]*?<\/style>/g, '');
  const lines = src.split('\n');
  const hits: Hit[] = [];
  for (const seg of segments(src)) {
    const re = seg.kind === 'string' ? DATE_IN_STRING : YEAR_IN_CODE;
    for (const m of seg.text.matchAll(re)) {
      const line = seg.line + (seg.text.slice(0, m.index).match(/\n/g) ?? []).length;
      hits.push({ file, line, literal: m[0], text: (lines[line - 1] ?? '').trim().slice(0, 120) });
    }
  }
  const allowed = allowedLines(file, lines);
  return hits.filter((h) => !allowed.some(([a, b]) => h.line >= a && h.line <= b));
}

function sources(dir: string): string[] {
  return walkSources(dir).filter((f) => !ALLOWED_FILES.some((a) => a.file === f));
}

function walkSources(dir: string): string[] {
  const abs = path.join(ROOT_DIR, dir);
  if (!fs.existsSync(abs)) return [];
  return fs.readdirSync(abs, { withFileTypes: true }).flatMap((e) => {
    const rel = `${dir}/${e.name}`;
    if (e.isDirectory()) return SKIP_DIR.has(e.name) ? [] : walkSources(rel);
    return /\.(ts|vue)$/.test(e.name) && !e.name.endsWith('.d.ts') && !isTestFile(rel) ? [rel] : [];
  });
}

const show = (hits: Hit[]) => hits.map((h) => `${h.file}:${h.line}  ${h.literal}  ${h.text}`).join('\n');

describe('no literal year in the sources (the system runs on any date)', () => {
  it('finds what it is meant to find (the scanner itself)', () => {
    const src = [
      "const a = '2026-11-30'; // '2025-01-01' in a comment is fine",
      'const y = 2026 + n;',
      '/* 2027 */ const s = `${fy}-12-31 and ${`2028-02-29`}`;',
      "const t = `${fy} 年 ${'2026年度'}`;",
      "const ok = 12026 + x.v2026 + 2026.5 + 2000 + s.replace(/'/g, '`'); const z = '2026-12-01';",
    ].join('\n');
    const tmp = path.join('api/src', `.tmp-scan-${process.pid}.ts`);
    fs.writeFileSync(path.join(ROOT_DIR, tmp), src);
    try {
      expect(scan(tmp).map((h) => [h.line, h.literal])).toEqual([[1, '2026-11-30'], [2, '2026'], [3, '2028-02-29'], [4, '2026年'], [5, '2026-12-01']]);
    } finally {
      fs.rmSync(path.join(ROOT_DIR, tmp));
    }
  });

  for (const root of ROOTS.filter((r) => r !== 'fixtures/src')) {
    it(`${root}/ pins no business date or year`, () => {
      const hits = sources(root).flatMap(scan);
      expect(show(hits)).toBe('');
    });
  }

  // The fixture generator's own calendar (issue 12 part 2, rolling calendar) lives here.
  it('fixtures/src/ pins no business date or year outside its year-specific tables', () => {
    const hits = sources('fixtures/src').flatMap(scan);
    expect(show(hits)).toBe('');
  });
});
