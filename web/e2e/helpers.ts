import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type BrowserContext, type Page } from 'playwright-core';

export const ROOT_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const SCREENSHOT_DIR = path.join(ROOT_DIR, 'test-results', 'screenshots');
export const CHROMIUM = process.env.BW_CHROMIUM ?? '/usr/bin/chromium';

export const USERS = {
  staff: { username: 'staff', password: 'Staff@2026' },
  deputy: { username: 'deputy', password: 'Deputy@2026' },
  admin: { username: 'admin', password: 'Admin@2026' },
} as const;

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
  });
}

async function waitFor<T>(probe: () => T | undefined | Promise<T | undefined>, ms: number, what: () => string): Promise<T> {
  const until = Date.now() + ms;
  for (;;) {
    const v = await probe();
    if (v !== undefined) return v;
    if (Date.now() > until) throw new Error(`timed out waiting for ${what()}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

export interface RunningServer {
  url: string;
  /** The spawned server's cluster folder and inbox (unknown for BW_E2E_URL). */
  dataDir?: string;
  inbox?: string;
  stop(): Promise<void>;
}

/**
 * The real server (`npm start`'s api/src/main.ts) as a child process: its own embedded
 * PostgreSQL in a temp folder, DATABASE_URL removed, a free port, the demo data.
 * BW_E2E_URL points the tests at an already running server instead.
 */
export async function startServer(): Promise<RunningServer> {
  if (process.env.BW_E2E_URL) return { url: process.env.BW_E2E_URL.replace(/\/$/, ''), stop: async () => undefined };
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'bw-e2e-'));
  fs.chmodSync(tmp, 0o755); // the embedded server runs as the postgres user when we are root
  const ready = path.join(tmp, 'ready');
  const port = await freePort();
  const env: NodeJS.ProcessEnv = { ...process.env, BW_DATA_DIR: path.join(tmp, 'pg'), BW_INBOX: path.join(tmp, 'inbox'), PORT: String(port), HOST: '127.0.0.1', BW_READY_FILE: ready };
  delete env.DATABASE_URL;
  const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', 'api/src/main.ts'], { cwd: ROOT_DIR, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout!.on('data', (d) => (output += d));
  child.stderr!.on('data', (d) => (output += d));
  const exited = new Promise<void>((r) => child.on('exit', () => r()));
  try {
    await waitFor(() => (fs.existsSync(ready) ? true : child.exitCode !== null ? Promise.reject(new Error(`server exited:\n${output}`)) : undefined), 240_000, () => `server ready; output:\n${output}`);
  } catch (e) {
    if (child.exitCode === null) child.kill('SIGKILL');
    fs.rmSync(tmp, { recursive: true, force: true });
    throw e;
  }
  return {
    url: `http://127.0.0.1:${port}`,
    dataDir: env.BW_DATA_DIR,
    inbox: env.BW_INBOX,
    async stop() {
      if (child.exitCode === null) {
        child.kill('SIGINT');
        const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
        await exited;
        clearTimeout(timer);
      }
      fs.rmSync(tmp, { recursive: true, force: true });
    },
  };
}

export const DESKTOP = { width: 1440, height: 900 };
export const PHONE = { width: 390, height: 844 };

/**
 * Debian's Chromium, headless, no sandbox, background networking off, with a fresh profile
 * folder (--user-data-dir, passed the way playwright wants it) that is deleted on close.
 * One browser per user, so sessions never mix.
 */
export async function launchContext(viewport = DESKTOP): Promise<{ context: BrowserContext; page: Page; close(): Promise<void> }> {
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'bw-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    viewport,
    deviceScaleFactor: 1,
    locale: 'zh-CN',
    timezoneId: 'Asia/Shanghai',
  });
  const page = context.pages()[0] ?? (await context.newPage());
  return {
    context,
    page,
    async close() {
      await context.close().catch(() => undefined);
      fs.rmSync(profile, { recursive: true, force: true });
    },
  };
}

export async function login(page: Page, base: string, who: keyof typeof USERS | { username: string; password: string }): Promise<void> {
  const creds = typeof who === 'string' ? USERS[who] : who;
  await page.goto(`${base}/login`);
  await page.fill('input[name="username"]', creds.username);
  await page.fill('input[name="password"]', creds.password);
  await page.click('[data-test="login-submit"]');
  await page.waitForURL((u) => !u.pathname.startsWith('/login'));
}

/** Wait until the page has no skeletons or loading masks left. */
export async function settled(page: Page): Promise<void> {
  await page.waitForLoadState('networkidle');
  await page.waitForFunction(() => !document.querySelector('.el-skeleton, .el-loading-mask'), undefined, { timeout: 15_000 }).catch(() => undefined);
  await page.waitForTimeout(300); // chart animations
}

export async function screenshot(page: Page, name: string): Promise<string> {
  fs.mkdirSync(SCREENSHOT_DIR, { recursive: true });
  const file = path.join(SCREENSHOT_DIR, `${name}.png`);
  // Under an open dialog the page is scroll-locked: the viewport is what the user sees. A
  // full-page capture would also resize the view, re-evaluating media queries under the dialog.
  const modal = await page.locator('.el-overlay:visible').count();
  // A dialog or drawer still fading in would be captured half transparent: let finite CSS
  // transitions end (spinners run forever and are left alone).
  await page
    .waitForFunction(() => document.getAnimations().every((a) => a.playState !== 'running' || a.effect?.getComputedTiming().endTime === Infinity), undefined, { timeout: 3_000 })
    .catch(() => undefined);
  await page.screenshot({ path: file, fullPage: modal === 0 });
  return file;
}

/** True when the page scrolls sideways (it must not, at any width). */
export async function hasHorizontalScroll(page: Page): Promise<boolean> {
  return page.evaluate(() => document.documentElement.scrollWidth > document.documentElement.clientWidth + 1);
}

/** The API as the browser's session sees it (same cookies). */
export async function apiGet<T>(page: Page, base: string, p: string): Promise<T> {
  const res = await page.request.get(`${base}${p}`);
  if (!res.ok()) throw new Error(`GET ${p} → ${res.status()}: ${await res.text()}`);
  return ((await res.json()) as { data: T }).data;
}
