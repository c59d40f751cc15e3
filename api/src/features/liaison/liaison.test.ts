import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { type TestDatabase, BEHIND_SCHEDULE_ROWS, byPublicId, insertRows, publicIds, loginAs, type BoundApiCall, type TestServer, openApiTest, type ApiTest, expectFieldError } from '../../testing/index.js';
import { docxParts } from '../../report/docx-xml.js';
import { evaluateRules } from '../../rules/index.js';
import { createUser } from '../../security/attack-client.js';

const PDF = Buffer.from('%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n');

describe('部门联络员: the 交办 loop with the departments', () => {
  let db: TestDatabase;
  let srv: TestServer;
  let staff: string;
  let admin: string;
  let liaison: string;
  let call: BoundApiCall;
  let mine: string; // assigned to the liaison's agency D1
  let other: string; // assigned to U1, not the liaison's

  /** A reply as the browser posts it: multipart, the text and the files. */
  const reply = async (cookie: string, path: string, body: string, files: { name: string; bytes: Buffer }[] = []) => {
    const form = new FormData();
    form.append('body', body);
    for (const f of files) form.append('files', new Blob([new Uint8Array(f.bytes)]), f.name);
    const res = await fetch(`${srv.baseUrl}/api/v1${path}`, { method: 'POST', headers: { cookie }, body: form });
    return { status: res.status, body: await res.json() };
  };

  let t: ApiTest;
  beforeAll(async () => {
    vi.stubEnv('BW_TODAY', '2026-03-02'); // after the 2026-01-31 deadline below, whatever the machine's date
    t = await openApiTest();
    ({ db, srv, staff, call, admin } = t);
    await insertRows(db.knex, BEHIND_SCHEDULE_ROWS);
    await evaluateRules(db.knex, { regionCode: '411100', asOf: '2025-12-31', trigger: 'test' });
    [mine] = await publicIds(db.knex('alerts').where({ rule_id: 'R01', subject_key: 'unit:U1' }).select('region_code', 'id'));
    [other] = await publicIds(db.knex('alerts').where({ rule_id: 'R01', subject_key: 'department:D1' }).select('region_code', 'id'));
  });
  afterAll(async () => {
    vi.unstubAllEnvs();
    await t?.close();
  });

  it('admin creates a liaison bound to agencies of its region; the binding is checked', async () => {
    const base = { username: 'nongye', displayName: '农业农村局 联络员', password: 'Liaison2026', role: 'liaison', regionCode: '411100' };
    const none = await call(admin, 'POST', '/users', base);
    expectFieldError(none, 'agencyCodes');
    const unknown = await call(admin, 'POST', '/users', { ...base, agencyCodes: ['NOPE'] });
    expect([unknown.status, unknown.body.error.message]).toEqual([400, expect.stringContaining('NOPE')]);
    const staffWithAgency = await call(admin, 'POST', '/users', { ...base, role: 'staff', agencyCodes: ['D1'] });
    expect(staffWithAgency.status).toBe(400);
    const ok = await call(admin, 'POST', '/users', { ...base, agencyCodes: ['D1'] });
    expect(ok.status).toBe(201);
    expect(ok.body.data).toMatchObject({ role: 'liaison', agencies: [{ code: 'D1', name: '农业农村局' }], mustChangePassword: true });
    liaison = await loginAs(srv.baseUrl, { username: 'nongye', password: 'Liaison2026' });
    expect((await call(liaison, 'GET', '/liaison/items')).body.error.code).toBe('PASSWORD_CHANGE_REQUIRED');
    expect((await call(liaison, 'POST', '/auth/password', { oldPassword: 'Liaison2026', newPassword: 'Liaison2027' })).status).toBe(200);
  });

  it('staff assign; the liaison sees only what is assigned to its agency, and nothing else of the system', async () => {
    for (const [id, agency] of [[mine, 'D1'], [other, 'U1']] as const) {
      expect((await call(staff, 'POST', `/alerts/${id}/transitions`, { to: 'confirmed' })).status).toBe(200);
      const r = await call(staff, 'POST', `/alerts/${id}/transitions`, { to: 'assigned', assignedAgencyCode: agency, note: '请核实并说明原因', replyDeadline: '2026-01-31' });
      expect(r.status).toBe(200);
    }
    const items = await call(liaison, 'GET', '/liaison/items');
    expect(items.status).toBe(200);
    expect(items.body.data.agencies).toEqual([{ code: 'D1', name: '农业农村局' }]);
    expect(items.body.data.alerts.map((a: { id: string }) => a.id)).toEqual([mine]);
    expect((await call(liaison, 'GET', `/liaison/alerts/${other}`)).status).toBe(404);
    const detail = await call(liaison, 'GET', `/liaison/alerts/${mine}`);
    expect(detail.body.data).toMatchObject({ id: mine, status: 'assigned', canReply: true, assignedAgencyName: '农业农村局' });
    for (const path of ['/alerts', `/alerts/${mine}`, '/drill/summary?region=411100', '/opinions', '/replies', '/data/runs', '/users']) {
      expect([path, (await call(liaison, 'GET', path)).status]).toEqual([path, 403]);
    }
    expect((await call(liaison, 'POST', `/alerts/${mine}/transitions`, { to: 'dismissed', note: 'x' })).status).toBe(403);
  });

  it('refuses attachments of the wrong type, disguised content and oversize files, keeping nothing', async () => {
    const exe = await reply(liaison, `/liaison/alerts/${mine}/replies`, '说明', [{ name: 'tool.exe', bytes: Buffer.from('MZ') }]);
    expect([exe.status, exe.body.error.code]).toEqual([415, 'UNSUPPORTED_MEDIA_TYPE']);
    const fake = await reply(liaison, `/liaison/alerts/${mine}/replies`, '说明', [{ name: '说明.pdf', bytes: Buffer.from('MZ\x90\x00') }]);
    expect([fake.status, fake.body.error.message]).toEqual([415, expect.stringContaining('说明.pdf')]);
    const big = await reply(liaison, `/liaison/alerts/${mine}/replies`, '说明', [{ name: '大.pdf', bytes: Buffer.concat([PDF, Buffer.alloc(11 * 1024 * 1024)]) }]);
    expect([big.status, big.body.error.code]).toEqual([413, 'PAYLOAD_TOO_LARGE']);
    const empty = await reply(liaison, `/liaison/alerts/${mine}/replies`, '  ');
    expectFieldError(empty, 'body');
    expect(await db.knex('liaison_replies').count({ n: '*' }).first()).toEqual({ n: '0' });
    expect((await call(liaison, 'GET', `/liaison/alerts/${mine}`)).body.data.status).toBe('assigned');
  });

  it('the liaison replies with a PDF; staff send it back, the liaison answers again, staff accept and the alert closes with its history', async () => {
    const first = await reply(liaison, `/liaison/alerts/${mine}/replies`, '因项目招标延期，支付滞后。', [{ name: '情况说明.pdf', bytes: PDF }]);
    expect(first.status).toBe(201);
    expect(first.body.data).toMatchObject({ status: 'submitted', attachments: [{ filename: '情况说明.pdf', contentType: 'application/pdf', size: PDF.length }] });
    expect((await call(liaison, 'GET', `/liaison/alerts/${mine}`)).body.data).toMatchObject({ status: 'replied', canReply: false });
    // A second reply while the first waits is refused.
    expect((await reply(liaison, `/liaison/alerts/${mine}/replies`, '补充')).status).toBe(409);

    const waiting = await call(staff, 'GET', '/replies?status=submitted');
    expect(waiting.body.data.map((r: { id: string }) => r.id)).toEqual([first.body.data.id]);
    const file = await fetch(`${srv.baseUrl}/api/v1/attachments/${first.body.data.attachments[0].id}`, { headers: { cookie: staff } });
    expect(file.status).toBe(200);
    expect(file.headers.get('content-type')).toBe('application/pdf');
    expect(file.headers.get('content-disposition')).toContain(encodeURIComponent('情况说明.pdf'));
    expect(Buffer.from(await file.arrayBuffer()).equals(PDF)).toBe(true);

    const back = await call(staff, 'POST', `/replies/${first.body.data.id}/return`, { note: '请补充整改时限', replyDeadline: '2026-02-15' });
    expect(back.body.data).toMatchObject({ status: 'returned', reviewNote: '请补充整改时限' });
    expect((await call(liaison, 'GET', `/liaison/alerts/${mine}`)).body.data).toMatchObject({ status: 'assigned', replyDeadline: '2026-02-15', canReply: true });
    const second = await reply(liaison, `/liaison/alerts/${mine}/replies`, '已于 1 月 10 日完成招标，2 月底前支付完毕。', [{ name: '招标公告.pdf', bytes: PDF }]);
    expect(second.status).toBe(201);
    const accepted = await call(staff, 'POST', `/replies/${second.body.data.id}/accept`, { note: '答复属实，予以销号' });
    expect(accepted.body.data.status).toBe('accepted');
    expect((await call(staff, 'POST', `/replies/${second.body.data.id}/accept`, {})).status).toBe(409);

    const alert = (await call(staff, 'GET', `/alerts/${mine}`)).body.data;
    expect(alert.status).toBe('closed');
    const steps = alert.events.filter((e: { kind: string }) => e.kind === 'transition').map((e: { toStatus: string; actor: { username: string }; note: string | null; data: { attachments?: string[] } | null }) => [e.toStatus, e.actor.username, e.note, e.data?.attachments ?? null]);
    expect(steps).toEqual([
      ['confirmed', 'staff', null, null],
      ['assigned', 'staff', '请核实并说明原因', null],
      ['replied', 'nongye', '因项目招标延期，支付滞后。', ['情况说明.pdf']],
      ['assigned', 'staff', '请补充整改时限', null],
      ['replied', 'nongye', '已于 1 月 10 日完成招标，2 月底前支付完毕。', ['招标公告.pdf']],
      ['closed', 'staff', '答复属实，予以销号', null],
    ]);
    expect(alert.replies.map((r: { status: string; attachments: unknown[] }) => [r.status, r.attachments.length])).toEqual([['returned', 1], ['accepted', 1]]);
  });

  it('attachments never leave their region, nor reach another agency’s liaison', async () => {
    const [fileId] = await publicIds(db.knex('reply_attachments').limit(1).select('region_code', 'id'));
    await createUser(db.knex, { username: 'county-staff', password: 'County2026x', role: 'staff', region: '411121' });
    const county = await loginAs(srv.baseUrl, { username: 'county-staff', password: 'County2026x' });
    expect((await fetch(`${srv.baseUrl}/api/v1/attachments/${fileId}`, { headers: { cookie: county } })).status).toBe(404);
    await createUser(db.knex, { username: 'u1-liaison', password: 'U1liaison2026', role: 'liaison', region: '411100' });
    await db.knex('user_agencies').insert({ user_id: (await db.knex('users').where({ username: 'u1-liaison' }).first('id')).id, region_code: '411100', agency_code: 'U1' });
    const u1 = await loginAs(srv.baseUrl, { username: 'u1-liaison', password: 'U1liaison2026' });
    expect((await fetch(`${srv.baseUrl}/api/v1/attachments/${fileId}`, { headers: { cookie: u1 } })).status).toBe(404);
    expect((await call(u1, 'GET', '/liaison/items')).body.data.alerts.map((a: { id: string }) => a.id)).toEqual([other]);
    expect((await fetch(`${srv.baseUrl}/api/v1/attachments/${fileId}`, { headers: { cookie: liaison } })).status).toBe(200);
  });

  it('lists 交办 past their deadline, and prints the 交办函 with the office letterhead', async () => {
    const overdue = await call(staff, 'GET', '/alerts?overdue=true');
    expect(overdue.body.data.map((a: { id: string }) => a.id)).toEqual([other]); // deadline 2026-01-31 passed; `mine` is closed
    await db.knex('alerts').where(byPublicId(other)).update({ reply_deadline: '2999-12-31' });
    expect((await call(staff, 'GET', '/alerts?overdue=true')).body.meta.total).toBe(0);

    expect((await call(staff, 'PUT', '/settings/letterhead', { office: 'x', signature: 'y' })).status).toBe(403);
    const head = await call(admin, 'PUT', '/settings/letterhead', { office: '漯河市人大常委会预算工作委员会', signature: '漯河市人大常委会预算工作委员会', contact: '王敏 0395-0000000' });
    expect(head.status).toBe(200);
    const res = await fetch(`${srv.baseUrl}/api/v1/alerts/${other}/letter`, { headers: { cookie: staff } });
    expect(res.status).toBe(200);
    const xml = docxParts(Buffer.from(await res.arrayBuffer())).documentXml;
    for (const text of ['漯河市人大常委会预算工作委员会', '农业技术推广中心：', '请核实并说明原因', '2999年12月31日前', '王敏 0395-0000000', '2026年3月2日']) {
      expect(xml).toContain(text); // the letter is dated by the clock
    }
    const [never] = await publicIds(db.knex('alerts').whereNull('assigned_agency_code').limit(1).select('region_code', 'id'));
    expect((await call(staff, 'GET', `/alerts/${never}/letter`)).status).toBe(409);
  });

  it('answers an opinion on its department; staff accepting it makes it the opinion’s answer; other departments’ opinions are out of reach', async () => {
    const deputy = await loginAs(srv.baseUrl, 'deputy');
    const onMine = await call(deputy, 'POST', '/departments/D1/opinions?region=411100', { body: '请说明农业项目资金拨付进度' });
    expect(onMine.status).toBe(201);
    await db.knex('agencies').insert({ region_code: '411100', agency_code: 'D2', agency_name: '水利局', parent_code: null, agency_type: '行政', batch_id: (await db.knex('agencies').first('batch_id')).batch_id, source_line: 9 });
    const onOther = await call(deputy, 'POST', '/departments/D2/opinions?region=411100', { body: '水利项目' });
    expect(onOther.status).toBe(201);
    const items = (await call(liaison, 'GET', '/liaison/items')).body.data;
    expect(items.opinions.map((o: { id: string }) => o.id)).toContain(onMine.body.data.id);
    expect(items.opinions.map((o: { id: string }) => o.id)).not.toContain(onOther.body.data.id);
    expect((await reply(liaison, `/liaison/opinions/${onOther.body.data.id}/replies`, '越权')).status).toBe(404);

    const answer = await reply(liaison, `/liaison/opinions/${onMine.body.data.id}/replies`, '已拨付 80%，余款 3 月底前拨付。', [{ name: '拨付明细.pdf', bytes: PDF }]);
    expect(answer.status).toBe(201);
    expect(answer.body.data).toMatchObject({ opinionId: onMine.body.data.id, agencyCode: 'D1', status: 'submitted', attachments: [{ filename: '拨付明细.pdf' }] });
    expect((await call(staff, 'POST', `/replies/${answer.body.data.id}/accept`, {})).body.data.status).toBe('accepted');
    const opinion = (await call(staff, 'GET', '/departments/D1/opinions?region=411100')).body.data.opinions.find((o: { id: string }) => o.id === onMine.body.data.id);
    expect(opinion).toMatchObject({ answer: '已拨付 80%，余款 3 月底前拨付。', answeredBy: { displayName: '预工委 王敏' } });
    expect((await reply(liaison, `/liaison/opinions/${onMine.body.data.id}/replies`, '再答')).status).toBe(409);
  });
});
