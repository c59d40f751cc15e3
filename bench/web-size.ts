/**
 * Gzipped size of the JavaScript (and CSS) the browser loads for the first page.
 *   npx tsx bench/web-size.ts [--no-build]
 * Builds the web app (unless --no-build), then walks Vite's manifest from the entry:
 * the entry's static imports, plus the lazily loaded route chunks a first visit needs —
 * the login page (signed out), or the layout + 驾驶舱 overview (signed in) — and their
 * static imports. Each file is gzipped (level 9) and summed. Target: < 600 KB.
 */
import fs from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { build } from 'vite';

const root = path.resolve(import.meta.dirname, '..');
const dist = path.join(root, 'web', 'dist');
if (!process.argv.includes('--no-build')) await build({ configFile: path.join(root, 'web', 'vite.config.ts'), logLevel: 'warn' });

interface Chunk {
  file: string;
  src?: string;
  isEntry?: boolean;
  imports?: string[];
  dynamicImports?: string[];
  css?: string[];
}
const manifest = JSON.parse(fs.readFileSync(path.join(dist, '.vite', 'manifest.json'), 'utf8')) as Record<string, Chunk>;
const entryKey = Object.keys(manifest).find((k) => manifest[k].isEntry)!;

function closure(keys: string[]): { js: Set<string>; css: Set<string> } {
  const js = new Set<string>();
  const css = new Set<string>();
  const seen = new Set<string>();
  const visit = (k: string) => {
    if (seen.has(k)) return;
    seen.add(k);
    const c = manifest[k];
    if (!c) return;
    js.add(c.file);
    c.css?.forEach((f) => css.add(f));
    c.imports?.forEach(visit);
  };
  keys.forEach(visit);
  return { js, css };
}
const byPath = (suffix: string) => {
  const k = Object.keys(manifest).find((x) => x.endsWith(suffix));
  if (!k) throw new Error(`no chunk for ${suffix}`);
  return k;
};
const gz = (f: string) => gzipSync(fs.readFileSync(path.join(dist, f)), { level: 9 }).length;
const kb = (n: number) => `${(n / 1024).toFixed(1)} KB`;

const pages: [string, string[]][] = [
  ['登录页 /login (signed out)', [entryKey, byPath('views/login/LoginView.vue')]],
  ['驾驶舱 /overview (signed in)', [entryKey, byPath('components/AppLayout.vue'), byPath('views/overview/OverviewView.vue')]],
  ['穿透查询 /drill (signed in)', [entryKey, byPath('components/AppLayout.vue'), byPath('views/drill/DrillView.vue')]],
  ['代表首页 /m (phone)', [entryKey, byPath('views/phone/PhoneLayout.vue'), byPath('views/phone/PhoneHomeView.vue')]],
];
/** The phone's first screen (issue 17): ≤ 300 KB of JavaScript gzipped. */
const PHONE_TARGET = 300 * 1024;
let phoneFirst = 0;
const TARGET = 600 * 1024;
let worstFirst = 0;
console.log('web bundle: gzipped bytes a first visit downloads (JS; CSS shown apart)');
for (const [label, keys] of pages) {
  const { js, css } = closure(keys);
  const jsBytes = [...js].reduce((s, f) => s + gz(f), 0);
  const cssBytes = [...css].reduce((s, f) => s + gz(f), 0);
  if (label.startsWith('代表')) phoneFirst = jsBytes;
  else if (!label.startsWith('穿透')) worstFirst = Math.max(worstFirst, jsBytes);
  console.log(`  ${label.padEnd(28)} JS ${kb(jsBytes).padStart(9)} in ${js.size} files   CSS ${kb(cssBytes)}`);
}
const all = Object.values(manifest).reduce((s, c) => s + (c.file.endsWith('.js') ? gz(c.file) : 0), 0);
console.log(`  all JS chunks together        JS ${kb(all).padStart(9)}`);
console.log(`first page JS (largest of login / overview): ${kb(worstFirst)} gzipped — target < ${kb(TARGET)}: ${worstFirst < TARGET ? 'OK' : 'OVER'}`);
console.log(`phone first screen JS (/m): ${kb(phoneFirst)} gzipped — target ≤ ${kb(PHONE_TARGET)}: ${phoneFirst <= PHONE_TARGET ? 'OK' : 'OVER'}`);
if (worstFirst >= TARGET || phoneFirst > PHONE_TARGET) process.exitCode = 1;
