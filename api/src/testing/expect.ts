import { expect } from 'vitest';
import type { ApiTest, BoundApiCall } from './server.js';

/**
 * A 400 VALIDATION answer that names `field`. parseInput sends every issue in `details.issues`
 * (the first is the field it refused); a VALIDATION raised by hand names its field only in the
 * message's `字段 <field>:` prefix, the convention of both. Tests assert this instead of
 * matching the message text.
 */
export function expectFieldError(res: { status: number; body: any }, field: string, status = 400): void {
  expect(res.status, JSON.stringify(res.body)).toBe(status);
  const error = res.body.error;
  expect(error.code, JSON.stringify(error)).toBe('VALIDATION');
  const named = error.details?.issues?.[0]?.field ?? /^字段 ([^:：]+)[:：]/.exec(error.message)?.[1];
  expect(named, JSON.stringify(error)).toBe(field);
}

/** A deputy reads what staff read (200, the same answer), and no other method on these paths takes anything from a deputy. */
export async function expectDeputyReadsOnly(t: Pick<ApiTest, 'call' | 'staff' | 'deputy'>, paths: string[]): Promise<void> {
  for (const path of paths) {
    const [asDeputy, asStaff] = [await t.call(t.deputy, 'GET', path), await t.call(t.staff, 'GET', path)];
    expect([path, asDeputy.status]).toEqual([path, 200]);
    expect(asDeputy.body).toEqual(asStaff.body);
    for (const method of ['POST', 'PUT', 'PATCH', 'DELETE']) {
      const res = await t.call(t.deputy, method, path, {});
      expect([method, path, res.status >= 400 && res.status < 500]).toEqual([method, path, true]);
    }
  }
}

/** Each path answers this cookie `status` (403: a region outside the user's scope). */
export async function expectStatus(call: BoundApiCall, cookie: string, paths: string[], status: number): Promise<void> {
  for (const path of paths) expect([path, (await call(cookie, 'GET', path)).status]).toEqual([path, status]);
}
