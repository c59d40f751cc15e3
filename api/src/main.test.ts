import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT_DIR } from './config.js';
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

// `npm start` end to end, on the embedded database only (DATABASE_URL removed on purpose).
describe('npm start (api/src/main.ts)', () => {
  it('boots an embedded PostgreSQL, serves health and the web app, and leaves no postgres behind on SIGINT', async () => {
    const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'bw-start-'));
    fs.chmodSync(tmp, 0o755); // the embedded server runs as the postgres user when we are root
    const ready = path.join(tmp, 'ready');
    const port = await freePort();
    const env: NodeJS.ProcessEnv = { ...process.env, BW_DATA_DIR: path.join(tmp, 'pg'), PORT: String(port), HOST: '127.0.0.1', BW_READY_FILE: ready };
    delete env.DATABASE_URL;
    const child = spawn(process.execPath, ['--import', 'tsx', 'api/src/main.ts'], { cwd: ROOT_DIR, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (d) => (output += d));
    child.stderr.on('data', (d) => (output += d));
    const exited = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
    try {
      const pgPid = Number(await waitFor(() => (fs.existsSync(ready) ? fs.readFileSync(ready, 'utf8') : undefined), 200_000, `ready file; output:\n${output}`));
      expect(pgPid).toBeGreaterThan(0);
      expect(alive(pgPid)).toBe(true);
      expect(output).toContain(`http://localhost:${port}`);
      for (const login of ['staff', 'deputy', 'admin']) expect(output).toMatch(new RegExp(`${login}\\s+/ \\S+`));

      const health = await fetch(`http://127.0.0.1:${port}/api/health`).then((r) => r.json());
      expect(health).toMatchObject({ status: 'ok', database: { status: 'ok' } });
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
