/**
 * The one way delivered text becomes HTML in the web app. Vue's {{ }} escapes by itself; the
 * places that hand markup strings to something else — ECharts tooltip formatters above all —
 * build them with `html` so every interpolated value is escaped. api/src/security/web-html.test.ts
 * fails on a tooltip formatter, innerHTML or v-html that does not.
 */
const ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

export function escapeHtml(value: unknown): string {
  return String(value ?? '').replace(/[&<>"']/g, (c) => ENTITIES[c]!);
}

/** A template tag: the literal parts are markup, every `${value}` is escaped text. */
export function html(strings: TemplateStringsArray, ...values: unknown[]): string {
  return strings.reduce((out, s, i) => out + s + (i < values.length ? escapeHtml(values[i]) : ''), '');
}
