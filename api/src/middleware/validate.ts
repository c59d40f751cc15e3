import type { z } from 'zod';
import { createError, ErrorCode } from '../errors.js';

/**
 * Parse request input with a zod schema; on failure a 400 VALIDATION whose message names the
 * field (`字段 amountMin: …`), with every issue in details.
 */
export function parseInput<S extends z.ZodType>(schema: S, input: unknown): z.infer<S> {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  const issues = result.error.issues.map((i) => ({ field: i.path.join('.') || '(body)', message: i.message }));
  const first = issues[0]!;
  throw createError(ErrorCode.VALIDATION, `字段 ${first.field}: ${first.message}`, 400, { issues });
}
