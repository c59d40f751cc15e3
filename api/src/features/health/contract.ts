import { z } from 'zod';
import { isoDate } from '../../contract/common.js';

/**
 * GET /health (under /api and /api/v1): not wrapped in `data`, so a load balancer reads the
 * status at the top. A 503 answers `{ status: 'error', database: { status, message } }`.
 */
export const Health = z.strictObject({
  /** degraded = migrations pending. */
  status: z.enum(['ok', 'degraded']),
  database: z.strictObject({ status: z.literal('ok'), latencyMs: z.number().int() }),
  schema: z.strictObject({ version: z.string().nullable(), pending: z.array(z.string()) }),
  /** The clock's business date, and the data's (数据截至). */
  today: isoDate,
  dataAsOf: isoDate.nullable(),
});
export type Health = z.infer<typeof Health>;

export const healthResponses = {
  'GET /health': Health,
};
