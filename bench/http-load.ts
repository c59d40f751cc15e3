/**
 * The HTTP side of the API benches (bench/api, bench/province): the real app served from a
 * child process (so the load generator does not share its event loop), with or without the
 * drill-down cache; logins; autocannon for a bounded time; a plain SQL query's median time.
 *
 *   child mode: tsx bench/http-load.ts --serve DATABASE_URL  (prints "PORT n", runs until SIGTERM)
 */
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { AddressInfo } from 'node:net';
import autocannon from 'autocannon';
import type { Knex } from 'knex';
import { createApp } from '../api/src/app.js';
import { loadConfig } from '../api/src/config.js';
import { createKnex } from '../api/src/db/connection.js';

const SELF = fileURLToPath(import.meta.url);

if (process.argv[1] && path.resolve(process.argv[1]) === SELF && process.argv[2] === '--serve') {
  const knex = createKnex(process.argv[3]!, { min: 2, max: 10 });
  const config = { ...loadConfig({}), apiCache: process.env.BW_API_CACHE !== '0' };
  const server = createApp({ knex, config }).listen(0, '127.0.0.1', () => {
    process.stdout.write(`PORT ${(server.address() as AddressInfo).port}\n`);
  });
  process.on('SIGTERM', () => {
    server.close();
    void knex.destroy().then(() => process.exit(0));
  });
}

/** The app servers a bench started: `start` one (cache on or off), `stop` them all. */
export function appServers(dbUrl: string) {
  const children: ChildProcess[] = [];
  return {
    /** The API's base URL (…/api/v1) of a fresh app process on a loopback port. */
    async start(cache: boolean): Promise<string> {
      const child = spawn(process.execPath, ['--import', 'tsx', SELF, '--serve', dbUrl], {
        stdio: ['ignore', 'pipe', 'inherit'],
        env: { ...process.env, BW_API_CACHE: cache ? '1' : '0' },
      });
      children.push(child);
      const port = await new Promise<number>((resolve, reject) => {
        let out = '';
        child.stdout!.on('data', (d) => {
          out += d;
          const m = /PORT (\d+)/.exec(out);
          if (m) resolve(Number(m[1]));
        });
        child.once('exit', (code) => reject(new Error(`server exited ${code}`)));
      });
      return `http://127.0.0.1:${port}/api/v1`;
    },
    async stop(): Promise<void> {
      for (const c of children) {
        if (c.exitCode !== null) continue;
        c.kill('SIGTERM');
        await new Promise((r) => c.once('exit', r));
      }
    },
  };
}

/** The session cookie of a demo user (ensureDemoUsers). */
export async function login(base: string, username: string, password: string): Promise<string> {
  const res = await fetch(`${base}/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username, password }) });
  const cookie = res.headers.getSetCookie().find((c) => c.startsWith('bw_session='));
  if (!cookie) throw new Error(`login ${username}: ${res.status} ${await res.text()}`);
  return cookie.split(';')[0]!;
}

export interface Load {
  p50: number;
  p95: number;
  p99: number;
  rps: number;
  non2xx: number;
}

/** autocannon for a bounded time; percentiles from every response time (autocannon's own histogram has no p95). */
export async function load(url: string, cookie: string, seconds: number, connections: number): Promise<Load> {
  const times: number[] = [];
  const result = await new Promise<autocannon.Result>((resolve, reject) => {
    const instance = autocannon({ url, connections, duration: seconds, headers: { cookie } }, (err, r) => (err ? reject(err) : resolve(r)));
    instance.on('response', (_client, _status, _bytes, ms) => times.push(ms));
  });
  times.sort((a, b) => a - b);
  const q = (p: number) => times[Math.min(times.length - 1, Math.floor(p * times.length))] ?? NaN;
  return { p50: q(0.5), p95: q(0.95), p99: q(0.99), rps: result.requests.average, non2xx: result.non2xx };
}

/** Median wall time of a plain SQL query, run `times` times. */
export async function timeSql(knex: Knex, sql: string, bindings: Knex.RawBinding[], times = 5): Promise<number> {
  const ms: number[] = [];
  for (let i = 0; i < times; i++) {
    const t0 = performance.now();
    await knex.raw(sql, bindings);
    ms.push(performance.now() - t0);
  }
  ms.sort((a, b) => a - b);
  return ms[Math.floor(ms.length / 2)]!;
}

export interface ApiCase {
  name: string;
  /** The API path (under /api/v1). */
  path: string;
  /** p95 target, ms. */
  target: number;
  /** Measured with the drill-down cache off, then on. */
  cacheable?: boolean;
  /** Asked as the admin (the province's 全辖), else as staff. */
  admin?: boolean;
  /** The plain SQL the API's answer replaces: its median time gives the ratio. */
  baseline: { sql: string; bindings: Knex.RawBinding[] };
}

/** One row runCases printed: a case under one cache mode. */
export interface CaseResult extends Load {
  name: string;
  cache: 'off' | 'on' | '—';
  target: number;
}

/** Load each case (uncached, then cached when it is cacheable) and print a row with its baseline and ratio; returns the rows. */
export async function runCases(
  cases: ApiCase[],
  o: { knex: Knex; servers: { cache: string; none: string }; cookies: { admin: string; user?: string }; seconds: number; connections: number },
): Promise<CaseResult[]> {
  const results: CaseResult[] = [];
  console.log(`\nautocannon: ${o.connections} connections, ${o.seconds} s each, loopback; latency in ms`);
  console.log('server cache: "off" = BW_API_CACHE=0 (every request computes); "on" = answers cached until the next refreshAggregates\n');
  console.log('case                                   | cache |   p50 |   p95 |   p99 |  req/s | target p95 | plain SQL baseline | baseline ÷ p50');
  console.log('---------------------------------------|-------|-------|-------|-------|--------|------------|--------------------|---------------');
  for (const c of cases) {
    const cookie = c.admin || !o.cookies.user ? o.cookies.admin : o.cookies.user;
    const baseline = await timeSql(o.knex, c.baseline.sql, c.baseline.bindings, 3);
    for (const mode of c.cacheable ? (['none', 'cache'] as const) : (['none'] as const)) {
      const url = `${o.servers[mode]}${c.path}`;
      const check = await fetch(url, { headers: { cookie } });
      if (check.status !== 200) throw new Error(`${c.name}: ${check.status} ${await check.text()}`);
      const r = await load(url, cookie, o.seconds, o.connections);
      const ok = r.p95 < c.target ? 'ok' : 'MISSED';
      const cache = mode === 'cache' ? 'on' : c.cacheable ? 'off' : '—';
      results.push({ ...r, name: c.name, cache, target: c.target });
      console.log(
        `${c.name.padEnd(39)}| ${cache.padEnd(5)} | ${r.p50.toFixed(1).padStart(5)} | ${r.p95.toFixed(1).padStart(5)} | ${r.p99.toFixed(1).padStart(5)} | ${r.rps.toFixed(0).padStart(6)} | < ${String(c.target).padStart(3)} ${ok.padEnd(6)}| ${baseline.toFixed(1).padStart(15)} ms | ${(baseline / Math.max(r.p50, 0.1)).toFixed(1).padStart(8)}×${r.non2xx ? `  (${r.non2xx} non-2xx!)` : ''}`,
      );
    }
  }
  return results;
}
