/**
 * bench/login-flood: does a password-guessing flood from one address starve everyone else?
 *
 *   npx tsx bench/login-flood.ts [--seconds 20] [--connections 50] [--flood-connections 50]
 *
 * 1. A throw-away database (DATABASE_URL's server, else an embedded cluster) with the tests'
 *    seeded city and the demo users; the real app in a child process trusting loopback as its
 *    proxy, so X-Forwarded-For gives each load generator its own client address.
 * 2. autocannon on the overview (GET /drill/summary, signed in as staff, from 10.0.0.1) alone:
 *    requests/s, errors and non-2xx (target: 0 errors).
 * 3. The same again while a second autocannon floods POST /auth/login with wrong passwords
 *    from 10.0.0.66: the overview's requests/s under the flood and its ratio to step 2
 *    (target ≥ 0.5), and what the flood got (401 = argon2 ran, 429 = refused before it).
 */
import { spawn } from 'node:child_process';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import autocannon from 'autocannon';
import { createApp } from '../api/src/app.js';
import { loadConfig, ROOT_DIR } from '../api/src/config.js';
import { createKnex, withDatabase } from '../api/src/db/connection.js';
import { ensureDemoUsers } from '../api/src/demo/demo-users.js';
import { refreshAggregates } from '../api/src/features/drilldown/aggregates.js';
import { seedDrillData } from '../api/src/testing/drill-data.js';
import { openBenchDatabase } from './bench-database.js';
import { arg } from './args.js';


if (process.argv[2] === '--serve') {
  const knex = createKnex(process.argv[3]!, { min: 2, max: 10 });
  const server = createApp({ knex, config: { ...loadConfig({}), trustProxy: 'loopback' } }).listen(0, '127.0.0.1', () => {
    process.stdout.write(`PORT ${(server.address() as AddressInfo).port}\n`);
  });
  process.on('SIGTERM', () => {
    server.close();
    void knex.destroy().then(() => process.exit(0));
  });
} else {
  main().catch((err) => {
    console.error(err);
    process.exit(1);
  });
}

function run(opts: autocannon.Options): Promise<autocannon.Result> {
  return new Promise((resolve, reject) => {
    autocannon(opts, (err, r) => (err ? reject(err) : resolve(r)));
  });
}

async function main() {
  const seconds = Number(arg('seconds', '20'));
  const connections = Number(arg('connections', '50'));
  const floodConnections = Number(arg('flood-connections', '50'));
  const db = await openBenchDatabase('login');
  let child: ReturnType<typeof spawn> | undefined;
  try {
    await seedDrillData(db.knex);
    await ensureDemoUsers(db.knex);
    await refreshAggregates(db.knex, { concurrently: false });
    child = spawn(process.execPath, ['--import', 'tsx', path.join(ROOT_DIR, 'bench/login-flood.ts'), '--serve', withDatabase(db.adminUrl, db.dbName)], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    const port = await new Promise<number>((resolve, reject) => {
      let out = '';
      child!.stdout!.on('data', (d) => {
        out += d;
        const m = /PORT (\d+)/.exec(out);
        if (m) resolve(Number(m[1]));
      });
      child!.once('exit', (code) => reject(new Error(`server exited ${code}`)));
    });
    const base = `http://127.0.0.1:${port}`;
    const login = await fetch(`${base}/api/v1/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-forwarded-for': '10.0.0.1' },
      body: JSON.stringify({ username: 'staff', password: 'Staff@2026' }),
    });
    const cookie = login.headers.getSetCookie().find((c) => c.startsWith('bw_session='))!.split(';')[0]!;
    const overview = {
      url: `${base}/api/v1/drill/summary?region=411100`,
      connections,
      duration: seconds,
      headers: { cookie, 'x-forwarded-for': '10.0.0.1' },
    };
    // Warm-up (connection pool, plan cache, response cache).
    await run({ ...overview, duration: 2 });

    const alone = await run(overview);
    const statuses = new Map<number, number>();
    const floodOpts = {
      url: `${base}/api/v1/auth/login`,
      method: 'POST' as const,
      connections: floodConnections,
      duration: seconds,
      headers: { 'content-type': 'application/json', 'x-forwarded-for': '10.0.0.66' },
      body: JSON.stringify({ username: 'staff', password: 'not-the-password' }),
    };
    const flood = new Promise<autocannon.Result>((resolve, reject) => {
      const inst = autocannon(floodOpts, (err, r) => (err ? reject(err) : resolve(r)));
      inst.on('response', (_c, status) => statuses.set(status, (statuses.get(status) ?? 0) + 1));
    });
    const [during, floodResult] = await Promise.all([run(overview), flood]);

    const ratio = during.requests.average / alone.requests.average;
    console.log(`overview, ${connections} connections × ${seconds} s`);
    console.log(`  alone:        ${alone.requests.average.toFixed(0)} req/s, p50 ${alone.latency.p50} ms, p99 ${alone.latency.p99} ms, errors ${alone.errors}, timeouts ${alone.timeouts}, non-2xx ${alone.non2xx}`);
    console.log(`  under flood:  ${during.requests.average.toFixed(0)} req/s, p50 ${during.latency.p50} ms, p99 ${during.latency.p99} ms, errors ${during.errors}, timeouts ${during.timeouts}, non-2xx ${during.non2xx}`);
    console.log(`  ratio under flood / alone: ${ratio.toFixed(2)} (target ≥ 0.50: ${ratio >= 0.5 ? 'met' : 'NOT met'})`);
    console.log(`login flood from one address, ${floodConnections} connections: ${floodResult.requests.average.toFixed(0)} req/s, ` +
      `answers ${[...statuses].sort().map(([s, n]) => `${s}×${n}`).join(', ')} (401 = password checked, 429 = refused before argon2)`);
  } finally {
    if (child && child.exitCode === null) {
      child.kill('SIGTERM');
      await new Promise((r) => child!.once('exit', r));
    }
    await db.close();
  }
}
