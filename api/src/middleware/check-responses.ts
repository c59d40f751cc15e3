import type { NextFunction, Request, Response } from 'express';
import { RESPONSES } from '../contract/responses.js';

/**
 * Test-time guard that the server answers what its contract says: every successful JSON
 * answer of a route with a registered schema is parsed against it, and a mismatch becomes a
 * 500 naming the route and the first differing path, so the API test that made the call
 * fails. On when BW_CHECK_RESPONSES=1 (vitest sets it); production sends unchecked.
 */
export function checkResponses(req: Request, res: Response, next: NextFunction): void {
  const json = res.json.bind(res);
  res.json = (body: unknown) => {
    const key = `${req.method} ${req.route?.path ?? ''}`;
    const schema = res.statusCode < 400 ? RESPONSES[key] : undefined;
    if (schema) {
      const parsed = schema.safeParse(body);
      if (!parsed.success) {
        const issue = parsed.error.issues[0];
        res.status(500);
        return json({ error: { code: 'CONTRACT', message: `${key} 的响应不符合契约：${issue.path.join('.')}: ${issue.message}` } });
      }
    }
    return json(body);
  };
  next();
}
