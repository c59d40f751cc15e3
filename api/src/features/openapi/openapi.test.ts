import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type TestDatabase, type TestServer, openApiTest, type ApiTest } from '../../testing/index.js';
import { toOpenApiPath } from './document.js';
import { listRoutes } from './route-list.js';

describe('OpenAPI document', () => {
  let db: TestDatabase;
  let srv: TestServer;
  let doc: { openapi: string; paths: Record<string, Record<string, { responses: Record<string, unknown>; parameters?: { name: string; in: string }[] }>> };
  let t: ApiTest;
  beforeAll(async () => {
    t = await openApiTest();
    ({ db, srv } = t);
    const res = await fetch(`${srv.baseUrl}/api/v1/openapi.json`);
    expect(res.status).toBe(200);
    doc = await res.json();
  });
  afterAll(async () => {
    await t?.close();
  });

  it('documents every route of the real router, and nothing the router does not serve', () => {
    const served = listRoutes(srv.app)
      .filter((r) => r.path.startsWith('/api/'))
      .map((r) => `${r.method} ${toOpenApiPath(r.path)}`)
      .sort();
    const documented = Object.entries(doc.paths)
      .flatMap(([p, ops]) => Object.keys(ops).map((m) => `${m.toUpperCase()} ${p}`))
      .sort();
    expect(served.length).toBeGreaterThan(20);
    expect(served.filter((r) => !documented.includes(r)), 'routes missing from the document').toEqual([]);
    expect(documented.filter((r) => !served.includes(r)), 'documented routes the router does not serve').toEqual([]);
  });

  it('is OpenAPI 3.1 with path parameters, query parameters from the zod schemas and error responses', () => {
    expect(doc.openapi).toBe('3.1.0');
    const users = doc.paths['/api/v1/users/{id}']!.patch!;
    expect(users.parameters).toEqual([expect.objectContaining({ name: 'id', in: 'path' })]);
    const vouchers = doc.paths['/api/v1/drill/vouchers']!.get!;
    expect(vouchers.parameters!.map((p) => p.name)).toEqual(expect.arrayContaining(['region', 'dept', 'cursor', 'sort', 'amountMin']));
    for (const ops of Object.values(doc.paths)) for (const op of Object.values(ops)) expect(op.responses['200']).toBeDefined();
  });
});
