import fs from 'node:fs';
import path from 'node:path';

/**
 * Finds places in web sources where text could reach the DOM as markup without the
 * escape helper (web/src/utils/escape-html.ts): innerHTML-like sinks and ECharts tooltip
 * formatter functions (ECharts puts their return value in the page as HTML).
 */
export interface Violation {
  file: string;
  line: number;
  what: string;
}

const SINK = /\binnerHTML\b|\bouterHTML\b|insertAdjacentHTML|document\.write|v-html|dangerouslyUseHTMLString/;

/** The text of the balanced {...} starting at `open` (strings and templates are skipped over). */
function balanced(src: string, open: number): string {
  let depth = 0;
  for (let i = open; i < src.length; i++) {
    const c = src[i];
    if (c === '"' || c === "'") {
      for (i++; i < src.length && src[i] !== c; i++) if (src[i] === '\\') i++;
    } else if (c === '{') depth++;
    else if (c === '}' && --depth === 0) return src.slice(open, i + 1);
  }
  return src.slice(open);
}

const lineOf = (src: string, index: number) => src.slice(0, index).split('\n').length;

export function htmlSinkViolations(file: string, src: string): Violation[] {
  const out: Violation[] = [];
  src.split('\n').forEach((text, i) => {
    const comment = /^\s*(\/\/|\*|\/\*)/.test(text);
    if (!comment && SINK.test(text) && !/escapeHtml\(|html`/.test(text)) out.push({ file, line: i + 1, what: `HTML sink without escapeHtml: ${text.trim()}` });
  });
  for (const m of src.matchAll(/\btooltip\s*:\s*\{/g)) {
    const body = balanced(src, m.index! + m[0].length - 1);
    // A string template ('{b}：{c}') is encoded by ECharts itself; a function's return is not.
    const fn = /\bformatter\s*:(?!\s*['"`])/.exec(body);
    if (!fn) continue;
    const rest = body.slice(fn.index);
    const untagged = /(?:return|=>)\s*(?:`|['"][^'"]*<)/.test(rest) || /\+\s*['"`][^'"`]*</.test(rest);
    if (!/\bhtml`/.test(rest) || untagged) {
      out.push({ file, line: lineOf(src, m.index! + fn.index), what: 'tooltip formatter that does not build its markup with html`…`' });
    }
  }
  return out;
}

/** Every .vue/.ts file under `dir` (tests excluded). */
export function webSources(dir: string): string[] {
  return fs.readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((f) => /\.(vue|ts)$/.test(f) && !/\.test\.ts$|\.d\.ts$/.test(f))
    .map((f) => path.join(dir, f));
}
