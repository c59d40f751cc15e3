import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listRoutes } from '../features/openapi/route-list.js';
import { EXPORT_VIEWS } from '../features/exports/views.js';
import { POST_LOAD_HOOKS } from '../post-load.js';
import { loadCity, openApiTest, type ApiTest } from '../testing/index.js';

const AS_OF = '2026-06-30';

/**
 * Every GET route served through a read-only handle (what DATABASE_READ_URL's hot standby
 * is): a read that writes — as GET /rules once did, seeding settings rows — answers 500 here.
 * The generated city with its alerts, evaluations and review findings gives the routes real
 * ids to read; a 400 or 404 is fine, a 500 is a route that cannot run on a replica.
 */
describe('GET requests write nothing (a read-only replica can serve them)', () => {
  let t: ApiTest;
  const fills: Record<string, string> = {};
  beforeAll(async () => {
    t = await openApiTest({ readOnlyReads: true, seed: (db) => loadCity(db, AS_OF, POST_LOAD_HOOKS) });
    const k = t.db.knex;
    const first = async (table: string, column: string, where: Record<string, unknown> = {}) =>
      String((await k(table).where(where).orderBy(column).first(column))?.[column] ?? '1');
    const draft = await k('budget_drafts').orderBy(['fiscal_year', 'stage', 'line_no']).first('fiscal_year', 'stage', 'line_no');
    Object.assign(fills, {
      alerts: await first('alerts', 'id'),
      reports: await first('reports', 'id'),
      users: await first('users', 'id'),
      attachments: await first('reply_attachments', 'id'),
      'opinion-docs': await first('review_opinion_docs', 'id'),
      rules: 'R01',
      fy: String(draft?.fiscal_year ?? 2026),
      stage: draft?.stage ?? '草案',
      lineNo: String(draft?.line_no ?? '1'),
      dept: await first('agencies', 'agency_code', { region_code: '411100' }),
      voucherNo: await first('payment_vouchers', 'voucher_no', { region_code: '411100' }),
      indicator: await first('performance_targets', 'indicator_no', { region_code: '411100' }),
      list: 'projects',
      sessionId: '1',
    });
  });
  afterAll(async () => {
    await t?.close();
  });

  /** A route path with its parameters filled from the seeded rows (`:id` by the segment before it). */
  const fill = (path: string): string[] => {
    if (path.endsWith('/exports/:view')) return Object.keys(EXPORT_VIEWS).map((v) => path.replace(':view', v));
    const segments = path.split('/');
    return [segments.map((s, i) => (s === ':id' ? fills[segments[i - 1]!] ?? '1' : s.startsWith(':') ? encodeURIComponent(fills[s.slice(1)] ?? 'x1') : s)).join('/')];
  };

  it('answers every GET route without a server error, as staff and as admin', async () => {
    const gets = listRoutes(t.srv.app).filter((r) => r.method === 'GET' && r.path.startsWith('/api/'));
    expect(gets.length).toBeGreaterThan(40);
    const failures: string[] = [];
    let ok = 0;
    for (const cookie of [t.staff, t.admin]) {
      for (const r of gets) {
        for (const url of fill(r.path)) {
          const res = await fetch(`${t.srv.baseUrl}${url}`, { headers: { cookie } });
          const body = await res.text();
          if (res.status >= 500 || /read-only transaction/.test(body)) failures.push(`${url} → ${res.status} ${body.slice(0, 200)}`);
          if (res.status === 200) ok++;
        }
      }
    }
    expect(failures).toEqual([]);
    // The fills reach real rows: most routes answer 200, not a 404 that skipped the work.
    expect(ok).toBeGreaterThan(gets.length);
  });

  it('GET /rules and GET /review/checks read settings without seeding them', async () => {
    const before = await t.db.knex('rule_setting_history').count<{ count: string }[]>('* as count');
    for (const path of ['/rules', '/rules/R01', '/review/checks']) {
      const res = await t.call(t.staff, 'GET', path);
      expect(res.status).toBe(200);
    }
    expect(await t.db.knex('rule_setting_history').count<{ count: string }[]>('* as count')).toEqual(before);
  });
});
