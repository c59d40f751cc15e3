import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT_DIR } from '../config.js';
import { escapeHtml, html } from '../../../web/src/utils/escape-html.js';
import { htmlSinkViolations, webSources } from './html-sinks.js';

// Issue 13, item 12: delivered text reaching chart tooltips (ECharts renders them as HTML).
const PAYLOAD = '<img src=x onerror="alert(1)">&\'';

describe('security: HTML in the web app', () => {
  it('attack: <img onerror> in a delivered name comes out of the helper as text', () => {
    expect(escapeHtml(PAYLOAD)).toBe('&lt;img src=x onerror=&quot;alert(1)&quot;&gt;&amp;&#39;');
    expect(html`<b>${PAYLOAD}</b><br/>${123}`).toBe('<b>&lt;img src=x onerror=&quot;alert(1)&quot;&gt;&amp;&#39;</b><br/>123');
    expect(escapeHtml(null)).toBe('');
  });

  it('the checker catches an unescaped tooltip formatter and an innerHTML, and passes escaped ones', () => {
    const bad = [
      "const o = { tooltip: { trigger: 'axis', formatter: (p) => { const r = rows[0]; return `<b>${r.name}</b>`; } } };",
      "const o = { tooltip: { formatter: (p) => '<b>' + p.name + '</b>' } };",
      'el.innerHTML = name;',
      '<div v-html="row.description" />',
    ];
    for (const src of bad) expect(htmlSinkViolations('x.ts', src), src).toHaveLength(1);
    const good = [
      "const o = { tooltip: { trigger: 'axis', formatter: (p) => { const r = rows[0]; return html`<b>${r.name}</b>`; } } };",
      "const o = { tooltip: { trigger: 'item', formatter: '{b}：{c} 条' }, label: { formatter: () => `${x}` } };",
      'el.innerHTML = escapeHtml(name);',
    ];
    for (const src of good) expect(htmlSinkViolations('x.ts', src), src).toEqual([]);
  });

  it('attack: no tooltip formatter, innerHTML or v-html in web/src skips the escape helper', () => {
    const files = webSources(path.join(ROOT_DIR, 'web/src'));
    expect(files.length).toBeGreaterThan(20);
    const violations = files.flatMap((f) => htmlSinkViolations(path.relative(ROOT_DIR, f), fs.readFileSync(f, 'utf8')));
    expect(violations).toEqual([]);
    // The charts that have formatter functions are really looked at.
    const withFormatters = files.filter((f) => /tooltip\s*:\s*\{[^]*?formatter\s*:\s*\(/.test(fs.readFileSync(f, 'utf8')));
    expect(withFormatters.length).toBeGreaterThanOrEqual(7);
  });
});
