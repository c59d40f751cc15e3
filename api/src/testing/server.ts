import fs from 'node:fs';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import type { Express } from 'express';
import type { Knex } from 'knex';
import { loadConfig } from '../config.js';
import { DEMO_USERS, ensureDemoUsers } from '../demo/demo-users.js';
import type { Role } from '../middleware/auth.js';
import { createKnex } from '../db/connection.js';
import { createTestDatabase, type TestDatabase } from './database.js';

export interface TestServer {
  baseUrl: string;
  /** The express app behind it (route enumeration in the 403 matrix and OpenAPI tests). */
  app: Express;
  close(): Promise<void>;
}

/**
 * The real app on a loopback port 0, demo users present; `env` as the environment it is
 * configured from, with an empty inbox of its own unless `env` names one (not the repo's
 * .data/inbox, which `npm start` fills).
 */
export async function startTestServer(knex: Knex, env: NodeJS.ProcessEnv = {}, readKnex?: Knex): Promise<TestServer> {
  await ensureDemoUsers(knex);
  // As `npm start` does: reads never seed settings rows (they may run on a replica).
  const [{ RULES }, { CHECKS }, { ensureRuleSettings }] = await Promise.all([import('../rules/index.js'), import('../review/index.js'), import('../rules/settings.js')]);
  await ensureRuleSettings(knex, [...RULES, ...CHECKS]);
  const inbox = fs.mkdtempSync(path.join(os.tmpdir(), 'bw-inbox-'));
  // Loaded here, not at the top: the index is imported by every test file, most of which never start the app.
  const { createApp } = await import('../app.js');
  const app = createApp({ knex, readKnex, config: loadConfig({ BW_INBOX: inbox, ...env }) });
  const server = app.listen(0, '127.0.0.1');
  await new Promise<void>((resolve, reject) => {
    server.once('listening', resolve);
    server.once('error', reject);
  });
  const baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    baseUrl,
    app,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
        fs.rmSync(inbox, { recursive: true, force: true });
      }),
  };
}

/** Log in as a demo user (by role, or by username/password) and return the `Cookie` header value. */
export async function loginAs(baseUrl: string, who: Role | { username: string; password: string }): Promise<string> {
  const creds =
    typeof who === 'string' ? DEMO_USERS.find((u) => u.role === who)! : who;
  const res = await fetch(`${baseUrl}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username: creds.username, password: creds.password }),
  });
  if (res.status !== 200) throw new Error(`login as ${creds.username} failed: ${res.status} ${await res.text()}`);
  const setCookie = res.headers.getSetCookie().find((c) => c.startsWith('bw_session='));
  if (!setCookie) throw new Error('login answered without a bw_session cookie');
  return setCookie.split(';')[0]!;
}

/** One JSON request to /api/v1 as the given cookie; the status and the parsed body. */
export async function apiCall(baseUrl: string, cookie: string, method: string, path: string, body?: unknown): Promise<{ status: number; body: any }> {
  const res = await fetch(`${baseUrl}/api/v1${path}`, {
    method,
    headers: { cookie, 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: res.status, body: await res.json() };
}

/** `apiCall` bound to one server. */
export type BoundApiCall = (cookie: string, method: string, path: string, body?: unknown) => ReturnType<typeof apiCall>;

export interface ApiTest {
  db: TestDatabase;
  srv: TestServer;
  /** Cookies of the demo staff, deputy and admin ('' with `signIn: false`). */
  staff: string;
  deputy: string;
  admin: string;
  call: BoundApiCall;
  /** Stop the server, then drop the database (a test file's afterAll). */
  close(): Promise<void>;
}

/**
 * An API test file's whole lifecycle in one call (its beforeAll): a database of its own,
 * `seed` run on it before the app starts, the real app, and the demo staff, deputy and admin
 * signed in (not with `signIn: false`: tests of the login itself). `close()` is the afterAll.
 */
/**
 * A second handle on `url` whose transactions are read-only, as on a hot-standby replica: any
 * write through it fails ("cannot execute INSERT in a read-only transaction").
 */
export const readOnlyKnex = (url: string): Knex => {
  const u = new URL(url);
  u.searchParams.set('options', '-c default_transaction_read_only=on');
  return createKnex(u.toString());
};

export async function openApiTest(
  opts: {
    seed?: (db: TestDatabase) => Promise<unknown>;
    env?: NodeJS.ProcessEnv;
    signIn?: false;
    /** Serve GET and HEAD through a read-only handle on the same database (a replica that never lags). */
    readOnlyReads?: true;
  } = {},
): Promise<ApiTest> {
  const db = await createTestDatabase();
  const readKnex = opts.readOnlyReads ? readOnlyKnex(db.url) : undefined;
  try {
    await opts.seed?.(db);
    const srv = await startTestServer(db.knex, opts.env, readKnex);
    const call: BoundApiCall = (cookie, method, path, body) => apiCall(srv.baseUrl, cookie, method, path, body);
    const login = async (role: Role) => (opts.signIn === false ? '' : loginAs(srv.baseUrl, role));
    const [staff, deputy, admin] = [await login('staff'), await login('deputy'), await login('admin')];
    return {
      db, srv, staff, deputy, admin, call,
      async close() {
        await srv.close();
        await readKnex?.destroy();
        await db.drop();
      },
    };
  } catch (err) {
    await readKnex?.destroy();
    await db.drop();
    throw err;
  }
}
