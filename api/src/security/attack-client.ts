import http from 'node:http';
import { hash } from '@node-rs/argon2';
import type { Knex } from 'knex';
import type { Role } from '../middleware/auth.js';

/** Helpers for the security suite: requests fetch() cannot make (raw bodies, another source address). */

export interface RawResponse {
  status: number;
  headers: http.IncomingHttpHeaders;
  text: string;
  json(): any;
}

export interface RawRequest {
  method?: string;
  /** Path from the host, e.g. `/api/v1/auth/login`. */
  path: string;
  headers?: Record<string, string>;
  body?: string | Buffer;
  /** Connect from this loopback address (127.0.0.0/8 all reach 127.0.0.1 on Linux): "another client". */
  localAddress?: string;
}

export function rawRequest(baseUrl: string, r: RawRequest): Promise<RawResponse> {
  const url = new URL(baseUrl);
  return new Promise((resolve, reject) => {
    const req = http.request(
      {
        host: url.hostname,
        port: url.port,
        method: r.method ?? 'GET',
        path: r.path,
        headers: { ...(r.body !== undefined ? { 'content-length': String(Buffer.byteLength(r.body)) } : {}), ...r.headers },
        localAddress: r.localAddress,
        agent: false,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          resolve({ status: res.statusCode ?? 0, headers: res.headers, text, json: () => JSON.parse(text) });
        });
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    if (r.body !== undefined) req.write(r.body);
    req.end();
  });
}

/** A JSON login from a given source address; the status and the session cookie if one was set. */
export async function tryLogin(baseUrl: string, username: string, password: string, localAddress = '127.0.0.1') {
  const res = await rawRequest(baseUrl, {
    method: 'POST',
    path: '/api/v1/auth/login',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username, password }),
    localAddress,
  });
  const setCookie = ([] as string[]).concat(res.headers['set-cookie'] ?? []).find((c) => c.startsWith('bw_session='));
  return { status: res.status, cookie: setCookie?.split(';')[0], setCookie, body: res.text };
}

/** A user bound to `region` (the demo users all sit in 漯河市 or the province). */
export async function createUser(knex: Knex, u: { username: string; password: string; role: Role; region: string }): Promise<void> {
  await knex('users').insert({
    username: u.username, display_name: u.username, role: u.role, region_code: u.region, password_hash: await hash(u.password),
  });
}
