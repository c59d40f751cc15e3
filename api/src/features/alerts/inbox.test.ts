import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { type TestDatabase, BEHIND_SCHEDULE_ROWS, byPublicId, publicIds, insertRows, loginAs, type BoundApiCall, type TestServer, openApiTest, type ApiTest, expectFieldError } from '../../testing/index.js';
import { evaluateRules } from '../../rules/index.js';
import { createUser } from '../../security/attack-client.js';

describe('staff inbox: bulk moves with one reason, my assignments, the alert register export', () => {
  let db: TestDatabase;
  let srv: TestServer;
  let staff: string;
  let call: BoundApiCall;
  let ids: string[];
  const status = async (id: string) => (await db.knex('alerts').where(byPublicId(id)).first('status')).status;

  let t: ApiTest;
  beforeAll(async () => {
    vi.stubEnv('BW_TODAY', '2026-03-02'); // after the 2026-01-31 deadlines below, whatever the machine's date
    t = await openApiTest();
    ({ db, srv, staff, call } = t);
    await insertRows(db.knex, BEHIND_SCHEDULE_ROWS);
    await evaluateRules(db.knex, { regionCode: '411100', asOf: '2025-12-31', trigger: 'test' });
    ids = await publicIds(db.knex('alerts').orderBy('id').select('region_code', 'id'));
    expect(ids.length).toBeGreaterThanOrEqual(3);
  });
  afterAll(async () => {
    vi.unstubAllEnvs();
    await t?.close();
  });

  it('confirms several alerts with one reason, one event each', async () => {
    const r = await call(staff, 'POST', '/alerts/bulk-transitions', { ids: ids.slice(0, 2), to: 'confirmed', note: '批量核实' });
    expect([r.status, r.body.data]).toEqual([200, { updated: 2, to: 'confirmed' }]);
    for (const id of ids.slice(0, 2)) {
      expect(await status(id)).toBe('confirmed');
      const { region_code, id: alertId } = byPublicId(id);
      expect(await db.knex('alert_events').where({ region_code, alert_id: alertId, to_status: 'confirmed' }).pluck('note')).toEqual(['批量核实']);
    }
  });

  it('changes nothing when one alert cannot make the move, and names it', async () => {
    const [a, b, c] = ids as [string, string, string];
    const r = await call(staff, 'POST', '/alerts/bulk-transitions', { ids: [a, c], to: 'assigned', assignedAgencyCode: 'D1', note: '请说明', replyDeadline: '2026-01-31' });
    expect([r.status, r.body.error.code]).toEqual([409, 'INVALID_TRANSITION']);
    expect(r.body.error.details.refused).toEqual([{ id: c, status: 'new' }]);
    expect(await status(a)).toBe('confirmed');
    const missing = await call(staff, 'POST', '/alerts/bulk-transitions', { ids: [b, '411100-999999'], to: 'dismissed', note: '误报' });
    expect([missing.status, missing.body.error.code, missing.body.error.details.refused]).toEqual([409, 'INVALID_TRANSITION', [{ id: '411100-999999', status: null }]]);
    expect(await status(b)).toBe('confirmed');
    const noReason = await call(staff, 'POST', '/alerts/bulk-transitions', { ids: [a], to: 'dismissed' });
    expectFieldError(noReason, 'note');
    const closeAll = await call(staff, 'POST', '/alerts/bulk-transitions', { ids: [a], to: 'closed' });
    expect(closeAll.status).toBe(400);
  });

  it('assigns several at once; they are the assigner’s 我的交办, not another staff member’s', async () => {
    const r = await call(staff, 'POST', '/alerts/bulk-transitions', { ids: ids.slice(0, 2), to: 'assigned', assignedAgencyCode: 'D1', note: '请于期限内说明原因', replyDeadline: '2026-01-31' });
    expect(r.status).toBe(200);
    const mine = await call(staff, 'GET', '/alerts?mine=true');
    expect(mine.body.data.map((x: { id: string }) => x.id).sort()).toEqual(ids.slice(0, 2).sort());
    await createUser(db.knex, { username: 'staff2', password: 'Staff2nd2026', role: 'staff', region: '411100' });
    const other = await loginAs(srv.baseUrl, { username: 'staff2', password: 'Staff2nd2026' });
    expect((await call(other, 'GET', '/alerts?mine=true')).body.meta.total).toBe(0);
    // The deadline has passed (the clock says 2026-03-02): both are overdue.
    expect((await call(other, 'GET', '/alerts?overdue=true')).body.meta.total).toBe(2);
  });

  it('exports the alert register to Excel, each alert with its whole history', async () => {
    const res = await fetch(`${srv.baseUrl}/api/v1/exports/alerts?format=xlsx&status=open`, { headers: { cookie: staff } });
    expect(res.status).toBe(200);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load((await res.arrayBuffer()) as ArrayBuffer);
    const ws = wb.getWorksheet('预警台账')!;
    const headers = (ws.getRow(1).values as unknown[]).slice(1);
    expect(headers).toContain('处理记录（时间 人员：动作；说明；附件）');
    const col = (h: string) => headers.indexOf(h) + 1;
    expect(ws.rowCount - 1).toBe(Number((await db.knex('alerts').whereNull('closed_at').count({ n: '*' }).first())!.n));
    const row = [...Array(ws.rowCount - 1).keys()].map((i) => ws.getRow(i + 2)).find((r) => String(r.getCell(col('预警编号')).value) === ids[0])!;
    expect(row.getCell(col('状态')).value).toBe('已交办');
    expect(row.getCell(col('交办部门')).value).toBe('农业农村局');
    const history = String(row.getCell(col('处理记录（时间 人员：动作；说明；附件）')).value).split('\n');
    expect(history).toHaveLength(3);
    expect(history[0]).toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2} 系统：规则引擎发现$/);
    expect(history[1]).toMatch(/预工委 王敏：新预警 → 已确认；批量核实$/);
    expect(history[2]).toMatch(/预工委 王敏：已确认 → 已交办；请于期限内说明原因；答复期限 2026-01-31$/);
  });
});
