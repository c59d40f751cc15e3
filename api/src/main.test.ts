import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { addDays, openingFiscalYear } from './clock.js';
import { ROOT_DIR } from './config.js';
import { DEMO_USERS } from './demo/demo-users.js';
import { freePort } from './db/embedded-server.js';

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function waitFor<T>(probe: () => T | undefined | Promise<T | undefined>, ms: number, what: string): Promise<T> {
  const until = Date.now() + ms;
  for (;;) {
    const v = await probe();
    if (v !== undefined) return v;
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

// A leap day in another year than the machine's: the demo, the clock and the opening year
// must follow BW_TODAY, not the machine's date (a February date opens on the previous year).
const TODAY = '2028-02-29';

// `npm start` end to end, on the embedded database only (DATABASE_URL removed on purpose).
describe('npm start (api/src/main.ts)', () => {
  it('boots an embedded PostgreSQL with the demo as of BW_TODAY − 1, serves health and the web app, and leaves no postgres behind on SIGINT', async () => {
    const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'bw-start-'));
    fs.chmodSync(tmp, 0o755); // the embedded server runs as the postgres user when we are root
    const ready = path.join(tmp, 'ready');
    const port = await freePort();
    const env: NodeJS.ProcessEnv = { ...process.env, BW_DATA_DIR: path.join(tmp, 'pg'), BW_INBOX: path.join(tmp, 'inbox'), PORT: String(port), HOST: '127.0.0.1', BW_READY_FILE: ready, BW_TODAY: TODAY };
    delete env.DATABASE_URL;
    const child = spawn(process.execPath, ['--import', 'tsx', 'api/src/main.ts'], { cwd: ROOT_DIR, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (d) => (output += d));
    child.stderr.on('data', (d) => (output += d));
    const exited = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
    try {
      const readyOrExit = () => {
        if (child.exitCode !== null) throw new Error(`npm start exited with code ${child.exitCode} before ready:\n${output}`);
        return fs.existsSync(ready) ? fs.readFileSync(ready, 'utf8') : undefined;
      };
      const pgPid = Number(await waitFor(readyOrExit, 200_000, `ready file; output:\n${output}`));
      expect(pgPid).toBeGreaterThan(0);
      expect(alive(pgPid)).toBe(true);
      expect(output).toContain(`http://localhost:${port}`);
      for (const login of ['staff', 'deputy', 'admin']) expect(output).toMatch(new RegExp(`${login}\\s+/ \\S+`));

      const asOf = addDays(TODAY, -1);
      expect(output).toContain(`今天 ${TODAY}（BW_TODAY），数据截至 ${asOf}`);
      const health = await fetch(`http://127.0.0.1:${port}/api/health`).then((r) => r.json());
      expect(health).toMatchObject({ status: 'ok', database: { status: 'ok' }, today: TODAY, dataAsOf: asOf });
      const login = await fetch(`http://127.0.0.1:${port}/api/v1/auth/login`, {
        method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(DEMO_USERS.find((u) => u.username === 'staff')),
      });
      const cookie = login.headers.get('set-cookie')!.split(';')[0];
      const summary = (await fetch(`http://127.0.0.1:${port}/api/v1/drill/summary`, { headers: { cookie } }).then((r) => r.json())).data;
      const year = openingFiscalYear(asOf);
      expect(summary).toMatchObject({ fiscalYear: year, asOf: year < Number(asOf.slice(0, 4)) ? `${year}-12-31` : asOf });
      expect(Number(summary.total.voucherCount)).toBeGreaterThan(0);
      const page = await fetch(`http://127.0.0.1:${port}/`).then((r) => r.text());
      expect(page).toContain('<div id="app">');

      child.kill('SIGINT');
      expect(await exited).toBe(0);
      await waitFor(() => (alive(pgPid) ? undefined : true), 10_000, 'postgres to exit');
      expect(fs.existsSync(path.join(tmp, 'pg', 'postmaster.pid'))).toBe(false);
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL');
      fs.rmSync(tmp, { recursive: true, force: true });
    }
  }, 240_000); // a cold start (initdb, demo load, maybe a web build) on a loaded 2-core machine
});
