import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createApp } from '../../app.js';
import { loadConfig } from '../../config.js';
import { createKnex } from '../../db/connection.js';
import { createTestDatabase, type TestDatabase } from '../../testing/index.js';

async function listen(server: Server): Promise<string> {
  await new Promise<void>((r) => server.once('listening', () => r()));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

describe('GET /api/health', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterAll(() => db.drop());

  it('reports the database ok and the schema version', async () => {
    const server = createApp({ knex: db.knex, config: loadConfig({}) }).listen(0, '127.0.0.1');
    try {
      const res = await fetch(`${await listen(server)}/api/health`);
      expect(res.status).toBe(200);
      const body = await res.json();
      const newest = await db.knex('knex_migrations').orderBy('id', 'desc').first('name');
      expect(body).toMatchObject({ status: 'ok', database: { status: 'ok' }, schema: { version: newest.name, pending: [] } });
    } finally {
      server.close();
    }
  });

  it("tells the clock's business date and the data's (数据截至)", async () => {
    vi.stubEnv('BW_TODAY', '2031-09-30');
    const server = createApp({ knex: db.knex, config: loadConfig({}) }).listen(0, '127.0.0.1');
    try {
      const url = `${await listen(server)}/api/health`;
      expect(await fetch(url).then((r) => r.json())).toMatchObject({ today: '2031-09-30', dataAsOf: null });
      const batch = { source: 'demo', location: 'demo', committed_at: db.knex.fn.now() };
      await db.knex('batches').insert([
        { ...batch, region_code: '411100', business_date: '2031-09-28', status: 'committed' },
        { ...batch, region_code: '411121', business_date: '2031-09-29', status: 'committed' },
        { ...batch, region_code: '411122', business_date: '2031-09-30', status: 'rejected', committed_at: null },
      ]);
      expect(await fetch(url).then((r) => r.json())).toMatchObject({ today: '2031-09-30', dataAsOf: '2031-09-29' });
    } finally {
      vi.unstubAllEnvs();
      server.close();
    }
  });

  it('answers 503 when the database is unreachable', async () => {
    const dead = createKnex('postgres://postgres@127.0.0.1:1/none', { min: 0, max: 1 });
    const server = createApp({ knex: dead, config: loadConfig({}) }).listen(0, '127.0.0.1');
    try {
      const res = await fetch(`${await listen(server)}/api/health`);
      expect(res.status).toBe(503);
      expect((await res.json()).database.status).toBe('unreachable');
    } finally {
      server.close();
      await dead.destroy();
    }
  });

  it('answers unknown API paths with a JSON 404', async () => {
    const server = createApp({ knex: db.knex, config: loadConfig({}) }).listen(0, '127.0.0.1');
    try {
      const res = await fetch(`${await listen(server)}/api/nope`);
      expect(res.status).toBe(404);
      expect((await res.json()).error.code).toBe('NOT_FOUND');
    } finally {
      server.close();
    }
  });
});
