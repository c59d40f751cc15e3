import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type TestDatabase, type TestServer, openApiTest, type ApiTest } from '../../testing/index.js';
import { RESPONSES } from '../../contract/responses.js';
import { responseSchemaOf, toOpenApiPath } from './document.js';
import { listRoutes } from './route-list.js';

describe('OpenAPI document', () => {
  let db: TestDatabase;
  let srv: TestServer;
  type Answer = { description: string; content?: Record<string, { schema?: unknown }> };
  let doc: { openapi: string; paths: Record<string, Record<string, { responses: Record<string, Answer>; parameters?: { name: string; in: string }[] }>> };
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

  it('gives every route of the contract (RESPONSES) the answer schema generated from its zod schema, beside the prose', () => {
    const keys = Object.keys(RESPONSES);
    expect(keys.length).toBeGreaterThan(60);
    const missing: string[] = [];
    for (const key of keys) {
      const [method, path] = key.split(' ') as [string, string];
      // Mounted under /api/v1 (health under /api too: both are documented).
      const docPaths = [`/api/v1${path}`, ...(path === '/health' ? ['/api/health'] : [])].map(toOpenApiPath);
      for (const p of docPaths) {
        const answer = doc.paths[p]?.[method.toLowerCase()]?.responses['200'];
        if (!answer) {
          missing.push(`${key} (${p} not documented)`);
          continue;
        }
        expect(answer.content?.['application/json']?.schema, key).toEqual(responseSchemaOf(RESPONSES[key]!));
        expect(answer.description.length, `${key}: the prose description stays`).toBeGreaterThan(0);
      }
    }
    expect(missing, 'contracted routes the document lacks').toEqual([]);
  });

  it('generates the schemas as sent: strict objects, required fields, nullable and camelCase where the contract says so', () => {
    const batches = doc.paths['/api/v1/data/batches']!.get!.responses['200']!.content!['application/json']!.schema as {
      properties: { data: { items: { additionalProperties: boolean; required: string[]; properties: Record<string, unknown> } } };
    };
    const batch = batches.properties.data.items;
    expect(batch.additionalProperties).toBe(false);
    expect(batch.required).toEqual(expect.arrayContaining(['regionCode', 'businessDate', 'rejectReason', 'files']));
    expect(Object.keys(batch.properties)).not.toContain('region_code');
  });
});
