/**
 * Time to first page on a fresh clone, and of a warm restart.
 *   npx tsx bench/startup.ts [--skip-install]
 * Clones HEAD into a temp folder, runs `npm install` there (uses the npm cache), then
 * `npm start` twice (cold: initdb + migrations + demo data + web build; warm: reuse),
 * each time until GET / and /api/health answer, then SIGINT and check postgres is gone.
 */
import { execSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { freePort } from '../api/src/db/embedded-server.js';

const repo = path.resolve(import.meta.dirname, '..');
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bw-startup-'));
fs.chmodSync(dir, 0o755);
const seconds = (t0: number) => ((performance.now() - t0) / 1000).toFixed(2);

async function startOnce(label: string): Promise<string> {
  const port = await freePort();
  const env: NodeJS.ProcessEnv = { ...process.env, PORT: String(port), HOST: '127.0.0.1' };
  delete env.DATABASE_URL;
  const t0 = performance.now();
  const child = spawn('npm', ['start'], { cwd: dir, env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  let out = '';
  child.stdout.on('data', (d) => (out += d));
  child.stderr.on('data', (d) => (out += d));
  for (;;) {
    if (child.exitCode !== null) throw new Error(`${label}: npm start exited\n${out}`);
    try {
      const [page, health] = await Promise.all([
        fetch(`http://127.0.0.1:${port}/`).then((r) => r.text()),
        fetch(`http://127.0.0.1:${port}/api/health`).then((r) => r.json()),
      ]);
      if (page.includes('id="app"') && health.status === 'ok') break;
    } catch {
      /* not up yet */
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  const took = seconds(t0);
  process.kill(-child.pid!, 'SIGINT');
  await new Promise((r) => child.on('exit', r));
  const leftover = execSync(`ps -eo args | grep -F '${dir}/.data/pg' | grep -v grep || true`).toString().trim();
  if (leftover) throw new Error(`${label}: postgres still running after SIGINT: ${leftover}`);
  return took;
}

try {
  execSync(`git clone -q ${repo} ${dir}`);
  let install = 'skipped';
  if (!process.argv.includes('--skip-install')) {
    const t0 = performance.now();
    execSync('npm install --no-audit --no-fund --loglevel=error', { cwd: dir, stdio: 'ignore' });
    install = seconds(t0);
  } else {
    fs.symlinkSync(path.join(repo, 'node_modules'), path.join(dir, 'node_modules'));
  }
  const cold = await startOnce('cold start');
  const warm = await startOnce('warm restart');
  console.log(`npm install:                       ${install} s`);
  console.log(`npm start, cold (to first page):   ${cold} s`);
  console.log(`npm start, warm restart:           ${warm} s`);
  console.log(`ratio cold / warm:                 ${(Number(cold) / Number(warm)).toFixed(1)}x`);
  console.log('postgres stopped cleanly after each SIGINT');
} finally {
  fs.rmSync(dir, { recursive: true, force: true });
}
