import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase, loginAs, startTestServer, type TestServer, AGENCIES_CSV, csv, tempInbox, VOUCHER_HEADER, voucher, writeBundle } from '../testing/index.js';
import { listRoutes, type RouteEntry } from '../features/openapi/route-list.js';
import { EXPORT_VIEWS } from '../features/exports/views.js';
import { loadInbox } from '../../../etl/src/index.js';
import { createUser } from './attack-client.js';

// Issue 14 item 6: no server path in any answer a deputy or a department liaison can see, and
// payee accounts (quarantined raw rows included) masked for both — every GET route of the real
// router, walked like the deputy matrix, so a route added later is checked the day it mounts.
const ACCOUNT = '6222020200112233445';
const MASKED = '6222***********3445';

describe('security: no server paths and no whole payee account for deputies and liaisons, route by route', () => {
  let db: TestDatabase;
  let srv: TestServer;
  let inbox: string;
  let routes: RouteEntry[];
  let alertId = '';
  const cookies: Record<string, string> = {};

  beforeAll(async () => {
    db = await createTestDatabase();
    inbox = tempInbox('bw-paths-');
    writeBundle(inbox, '411100', '2026-11-20', {
      'agencies.csv': AGENCIES_CSV,
      'payment_vouchers.csv': csv([VOUCHER_HEADER, voucher('PZ1', '10.50', { payee_account: ACCOUNT }), voucher('PZ2', 'abc', { payee_account: ACCOUNT })]),
    });
    writeBundle(inbox, '411100', '2026-11-21', { 'payment_vouchers.csv': 'voucher_no\nX\n' }); // rejected
    await loadInbox(db.knex, inbox, { postLoad: [], today: '2026-11-23' });
    // Errors that name server paths, as an I/O failure would word them.
    await db.knex('etl_runs').insert({ trigger: 'schedule', region_code: '411100', status: 'failed', error: `EACCES: permission denied, scandir '${inbox}/411100'`, started_by: 'cron' });
    await db.knex('batches').where({ status: 'rejected' }).update({ reject_reason: `无法读取 ${inbox}/411100/2026-11-21/payment_vouchers.csv：EIO` });
    // An alert assigned to the liaison's department, so its own routes answer with content.
    const batch = await db.knex('batches').where({ status: 'committed' }).first('id');
    [{ id: alertId }] = await db.knex('alerts').insert({
      rule_id: 'R03', region_code: '411100', subject_type: 'unit', subject_key: '411100101001', subject_name: '第一实验小学', period: '2026-11-20',
      severity: 'orange', status: 'assigned', measured: {}, threshold: {}, explanation: `批次 ${batch.id} 的凭证 PZ1 无对应指标`,
      drill_link: { route: '/drill', query: { region: '411100' } }, rule_version: 1, assigned_agency_code: '411100101', reply_deadline: '2026-12-01',
    }, ['id']);
    alertId = `411100-${alertId}`; // an alert's public id: region and id
    await createUser(db.knex, { username: 'jy_liaison', password: 'Liaison@2026', role: 'liaison', region: '411100' });
    const liaisonId = (await db.knex('users').where({ username: 'jy_liaison' }).first('id')).id;
    await db.knex('user_agencies').insert({ user_id: liaisonId, region_code: '411100', agency_code: '411100101' });
    await db.knex('users').where({ id: liaisonId }).update({ must_change_password: false });
    srv = await startTestServer(db.knex, { BW_INBOX: inbox });
    routes = listRoutes(srv.app).filter((r) => r.method === 'GET' && r.path.startsWith('/api/'));
    for (const who of ['staff', 'deputy'] as const) cookies[who] = await loginAs(srv.baseUrl, who);
    cookies.liaison = await loginAs(srv.baseUrl, { username: 'jy_liaison', password: 'Liaison@2026' });
  });
  afterAll(async () => {
    await srv?.close();
    await db?.drop();
  });

  /** A real value for each path parameter, so routes answer with their content, not a 404. */
  const fill = (path: string) =>
    path.replace(/:(\w+)/g, (_m, name: string) => ({ id: alertId, voucherNo: 'PZ1', dept: '411100101', view: 'vouchers' } as Record<string, string>)[name] ?? 'x1');

  async function sweep(who: string): Promise<{ checked: string[]; leaks: string[] }> {
    const checked: string[] = [];
    const leaks: string[] = [];
    const get = async (label: string, url: string) => {
      const res = await fetch(`${srv.baseUrl}${url}`, { headers: { cookie: cookies[who]! } });
      const text = Buffer.from(await res.arrayBuffer()).toString('utf8');
      checked.push(`${label} ${res.status}`);
      if (text.includes(inbox) || /\/tmp\/|\/srv\/|[A-Z]:\\\\/.test(text)) leaks.push(`${label}: server path`);
      if (text.includes(ACCOUNT)) leaks.push(`${label}: whole payee account`);
    };
    for (const r of routes) {
      if (r.path === '/api/v1/exports/:view') continue; // each view below
      const url = fill(r.path);
      await get(r.path, url);
      await get(`${r.path}?region=411100`, `${url}${url.includes('?') ? '&' : '?'}region=411100`);
    }
    for (const view of Object.keys(EXPORT_VIEWS)) await get(`/exports/${view}`, `/api/v1/exports/${view}?format=csv&region=411100`);
    return { checked, leaks };
  }

  it('the fixture does hold the path and the account where staff see them (the test can fail)', async () => {
    const { leaks } = await sweep('staff');
    expect(leaks).toEqual(expect.arrayContaining(['/api/v1/data/batches: server path', '/api/v1/data/quarantine: whole payee account', '/api/v1/drill/vouchers/:voucherNo?region=411100: whole payee account']));
  });

  it('a deputy gets neither, on any GET route or export', async () => {
    const { checked, leaks } = await sweep('deputy');
    expect(leaks).toEqual([]);
    expect(checked.filter((c) => c.endsWith(' 200')).length).toBeGreaterThan(40);
    const q = await (await fetch(`${srv.baseUrl}/api/v1/data/quarantine`, { headers: { cookie: cookies.deputy! } })).json();
    expect(q.data[0].raw.payee_account).toBe(MASKED);
    const b = await (await fetch(`${srv.baseUrl}/api/v1/data/batches`, { headers: { cookie: cookies.deputy! } })).json();
    expect(b.data.find((x: { status: string }) => x.status === 'rejected').rejectReason).toBe('无法读取 …：EIO');
  });

  it('a liaison gets neither: its own routes answer, everything else is 403', async () => {
    const { checked, leaks } = await sweep('liaison');
    expect(leaks).toEqual([]);
    expect(checked).toContain(`/api/v1/liaison/alerts/:id 200`);
    expect(checked).toContain(`/api/v1/liaison/items 200`);
  });
});
