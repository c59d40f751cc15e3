import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { timeZoneOf, today } from './clock.js';
import { DEFAULT_REGION } from './regions.js';
import { parallelDegree } from './parallel.js';

/** Repository root, resolved from this file so every entry point agrees on it. */
export const ROOT_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

export interface Config {
  /** External PostgreSQL; when absent an embedded server is started. */
  databaseUrl: string | undefined;
  /**
   * DATABASE_READ_URL: a hot-standby replica of DATABASE_URL's database. The API's GET and HEAD
   * requests read from it (api/src/db/routing.ts); writes, session lookups and the response
   * cache's version stay on the primary. Unset: everything on the primary.
   */
  databaseReadUrl: string | undefined;
  /** Where the embedded server keeps its cluster (git-ignored). */
  dataDir: string;
  /** Fixed port for the embedded server; 0 picks a free one (never 5432). */
  embeddedPort: number;
  httpPort: number;
  httpHost: string;
  /** Load the demo data set when the database holds no delivery yet. */
  loadDemo: boolean;
  webDist: string;
  sessionTtlHours: number;
  /** Scan-to-log-in: an enrolment code's lifetime, a phone's device session's, the origin QR codes point at. */
  loginCodeTtlHours: number;
  deviceSessionDays: number;
  publicUrl: string | undefined;
  /** IANA zone of the nightly schedule ("today" is the clock's, api/src/clock.ts, in the same zone). */
  timeZone: string;
  etlCron: string;
  inboxDir: string;
  /** BW_REGION: whose congress runs this instance; users and deliveries are in it or below. */
  region: string;
  /** Cache drill-down answers until the next aggregate refresh (BW_API_CACHE=0 turns it off). */
  apiCache: boolean;
  /**
   * express 'trust proxy': false (default) ignores X-Forwarded-*; true, a hop count or a list of
   * addresses/subnets ("loopback", "10.0.0.0/8") trusts those proxies for the client address
   * (login limiter) and TLS (the Secure cookie).
   */
  trustProxy: boolean | number | string;
  /** BW_PARALLEL: regions loaded, maintained and evaluated at once (default the cores; see parallel.ts). */
  parallel: number;
}

function trustProxyEnv(raw: string | undefined): boolean | number | string {
  const v = (raw ?? '').trim();
  if (v === '' || v === '0' || v === 'false') return false;
  if (v === 'true') return true;
  if (/^\d+$/.test(v)) return Number(v);
  return v;
}

function intEnv(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 0) throw new Error(`环境变量 ${name} 必须是非负整数，收到 "${raw}"`);
  return n;
}

/** Parse the environment once; everything else receives the typed result. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const embeddedPort = intEnv(env, 'BW_PG_PORT', 0);
  today(env); // a bad BW_TODAY stops the start, not the first request that asks the date
  if (env.DATABASE_READ_URL && !env.DATABASE_URL) throw new Error('DATABASE_READ_URL 需要同时设置 DATABASE_URL（只读副本复制的主库）');
  if (embeddedPort === 5432) throw new Error('BW_PG_PORT 不能是 5432（本机 PostgreSQL 服务占用）');
  const region = env.BW_REGION || DEFAULT_REGION;
  if (!/^\d{6}$/.test(region)) throw new Error(`环境变量 BW_REGION 必须是 6 位行政区划代码，收到 "${region}"`);
  return {
    databaseUrl: env.DATABASE_URL || undefined,
    databaseReadUrl: env.DATABASE_READ_URL || undefined,
    dataDir: path.resolve(ROOT_DIR, env.BW_DATA_DIR ?? '.data/pg'),
    embeddedPort,
    httpPort: intEnv(env, 'PORT', 3000),
    httpHost: env.HOST ?? '0.0.0.0',
    loadDemo: env.BW_DEMO !== '0',
    webDist: path.resolve(ROOT_DIR, 'web/dist'),
    sessionTtlHours: intEnv(env, 'BW_SESSION_TTL_HOURS', 12),
    loginCodeTtlHours: intEnv(env, 'BW_LOGIN_CODE_TTL_HOURS', 72),
    deviceSessionDays: intEnv(env, 'BW_DEVICE_SESSION_DAYS', 180),
    publicUrl: env.BW_PUBLIC_URL?.replace(/\/+$/, '') || undefined,
    timeZone: timeZoneOf(env),
    etlCron: env.BW_ETL_CRON ?? '0 2 * * *',
    inboxDir: path.resolve(ROOT_DIR, env.BW_INBOX ?? '.data/inbox'),
    apiCache: env.BW_API_CACHE !== '0',
    trustProxy: trustProxyEnv(env.BW_TRUST_PROXY),
    parallel: parallelDegree(env),
    region,
  };
}
