import { z } from 'zod';
import { RESPONSES } from '../../contract/responses.js';
import type { ApiOperation } from './operations.js';

type Json = Record<string, unknown>;

const schemaOf = (s: z.ZodType): Json => {
  const { $schema: _drop, ...rest } = z.toJSONSchema(s, { io: 'input', unrepresentable: 'any' }) as Json;
  return rest;
};

/** Express `/users/:id` → OpenAPI `/users/{id}`. */
export const toOpenApiPath = (p: string) => p.replace(/:(\w+)/g, '{$1}');

/**
 * The RESPONSES key of a documented route: its method and express path below the mount
 * (`/api/v1/users/:id` → `GET /users/:id`; health is mounted at /api too).
 */
export const responseKey = (method: string, path: string) => `${method} ${path.replace(/^\/api(\/v1)?(?=\/)/, '')}`;

/** The JSON Schema of what a route answers, generated from its zod contract (as sent: output). */
export const responseSchemaOf = (s: z.ZodType): Json => {
  const { $schema: _drop, ...rest } = z.toJSONSchema(s, { io: 'output', unrepresentable: 'any' }) as Json;
  return rest;
};

const ERROR = {
  description: '错误 { error: { code, message, details? } }',
  content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } },
};

function operation(op: ApiOperation): Json {
  const pathSchemas = op.params ? ((schemaOf(op.params) as { properties?: Record<string, Json> }).properties ?? {}) : {};
  const params: Json[] = [...op.path.matchAll(/:(\w+)/g)].map((m) => ({ name: m[1], in: 'path', required: true, schema: pathSchemas[m[1]!] ?? { type: 'string' } }));
  if (op.query) {
    const js = schemaOf(op.query) as { properties?: Record<string, Json>; required?: string[] };
    for (const [name, schema] of Object.entries(js.properties ?? {})) {
      params.push({ name, in: 'query', required: js.required?.includes(name) ?? false, schema });
    }
  }
  // The answer's schema comes from the route's contract (RESPONSES), the prose stays as its description.
  const contract = RESPONSES[responseKey(op.method, op.path)];
  const responses: Json = {
    200: op.produces
      ? { description: op.returns, content: Object.fromEntries(op.produces.map((t) => [t, t === 'application/json' && contract ? { schema: responseSchemaOf(contract) } : {}])) }
      : { description: op.returns, content: { 'application/json': { schema: contract ? responseSchemaOf(contract) : { type: 'object' } } } },
    400: ERROR,
  };
  if (op.access !== 'public') responses[401] = ERROR;
  if (op.access !== 'public') responses[403] = ERROR;
  return {
    tags: [op.tag],
    summary: op.summary,
    ...(op.description ? { description: op.description } : {}),
    ...(op.access === 'public' ? { security: [] } : {}),
    'x-roles': op.access,
    ...(params.length ? { parameters: params } : {}),
    ...(op.body ? { requestBody: { required: true, content: { 'application/json': { schema: schemaOf(op.body) } } } } : {}),
    responses,
  };
}

/** The OpenAPI 3.1 document of the given operations. */
export function buildDocument(ops: ApiOperation[]): Json {
  const paths: Record<string, Json> = {};
  for (const op of ops) {
    const p = toOpenApiPath(op.path);
    paths[p] = { ...(paths[p] ?? {}), [op.method.toLowerCase()]: operation(op) };
  }
  return {
    openapi: '3.1.0',
    info: {
      title: '预算联网监督系统 Budget Watch API',
      version: '1',
      description:
        'JSON answers are { data, meta? }; errors { error: { code, message, details? } } with codes VALIDATION, UNAUTHENTICATED, FORBIDDEN, NOT_FOUND, CONFLICT, RATE_LIMITED, … ' +
        'Amounts are decimal strings (元, 2 decimals). Every route but login/logout/health needs the bw_session cookie; deputies are refused (403) on every mutating route except login, logout, their own password and review opinions; department liaisons (role liaison) on every route but /auth/*, /liaison/* and /attachments/:id.',
    },
    servers: [{ url: '/' }],
    components: {
      securitySchemes: { session: { type: 'apiKey', in: 'cookie', name: 'bw_session' } },
      schemas: {
        Error: {
          type: 'object',
          required: ['error'],
          properties: { error: { type: 'object', required: ['code', 'message'], properties: { code: { type: 'string' }, message: { type: 'string' }, details: {} } } },
        },
      },
    },
    security: [{ session: [] }],
    paths,
  };
}
