import { expect } from 'vitest';

/**
 * A 400 VALIDATION answer that names `field` — in its first issue, where parseInput puts the
 * field it refused. Tests assert this instead of matching the (Chinese) message text.
 */
export function expectFieldError(res: { status: number; body: any }, field: string, status = 400): void {
  expect(res.status, JSON.stringify(res.body)).toBe(status);
  expect(res.body.error).toMatchObject({ code: 'VALIDATION', details: { issues: [expect.objectContaining({ field })] } });
}
