import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase, insertRows, resetRows } from '../testing/index.js';
import { CLEARED_NOTE, evaluateRules, RULES } from './index.js';
import { ensureRuleSettings } from './settings.js';
import { loadRuleSettings, updateRuleSetting } from './settings.js';

describe('evaluateRules: settings, evaluation record and alert reconciliation', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterAll(() => db.drop());
  beforeEach(() => resetRows(db.knex));

  const counts = async () => {
    const [a] = await db.knex('alerts').count({ n: '*' });
    const [e] = await db.knex('alert_events').count({ n: '*' });
    return { alerts: Number(a.n), events: Number(e.n) };
  };

  /** One unit, 1,000,000 budget; `paid` decides how far behind it is at 2025-12-31 (time progress 100 %). */
  const unitPaying = (paid: string) =>
    insertRows(db.knex, {
      agencies: [{ agency_code: 'D1', agency_name: '某局' }, { agency_code: 'U1', agency_name: '某单位', parent_code: 'D1' }],
      indicators: [{ indicator_no: 'I1', agency_code: 'U1', dept_code: 'D1', amount: '1000000.00' }],
      vouchers: [{ voucher_no: 'V1', agency_code: 'U1', dept_code: 'D1', indicator_no: 'I1', amount: paid }],
    });
  const run = () => evaluateRules(db.knex, { regionCode: '411100', asOf: '2025-12-31', trigger: 'test', only: ['R01'] });
  const unitAlert = () => db.knex('alerts').where({ rule_id: 'R01', subject_key: 'unit:U1' }).orderBy('id', 'desc').first();

  it('seeds every rule at version 1 with its defaults and a history row (migration or first use = rule modules)', async () => {
    // Rules added after the seeding migration get their row on first use (README: no migration needed).
    await ensureRuleSettings(db.knex, RULES);
    const rows = await db.knex('rule_settings').orderBy('rule_id');
    expect(rows.map((r) => r.rule_id)).toEqual(RULES.map((r) => r.id));
    for (const rule of RULES) {
      const row = rows.find((r) => r.rule_id === rule.id);
      expect([rule.id, row.version, row.enabled, row.params]).toEqual([rule.id, 1, true, rule.defaults]);
      expect(rule.paramsSchema.safeParse(rule.defaults).success).toBe(true);
    }
    const [h] = await db.knex('rule_setting_history').count({ n: '*' });
    expect(Number(h.n)).toBe(RULES.length);
  });

  it('raises once, records the versions used, and a re-run on unchanged data writes nothing', async () => {
    await unitPaying('850000.00');
    const first = await run();
    expect(first).toMatchObject({ raised: 2, updated: 0, cleared: 0 });
    const alert = await unitAlert();
    expect(alert).toMatchObject({ status: 'new', severity: 'yellow', period: '2025', rule_version: 1, region_code: '411100' });
    expect(alert.explanation).toBe('单位某单位支出进度 85.00%，低于时序进度 100.00% 共 15.00 个百分点');
    expect(alert.measured).toMatchObject({ paid: '850000.00', gap: '15' });
    const evaluation = await db.knex('rule_evaluations').where({ id: first.evaluationId }).first();
    expect(evaluation).toMatchObject({ region_code: '411100', as_of: '2025-12-31', trigger: 'test', rule_versions: { R01: 1 } });
    expect(evaluation.finished_at).not.toBeNull();
    const events = await db.knex('alert_events').where({ alert_id: alert.id });
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ kind: 'raised', to_status: 'new', actor_id: null });

    const before = await counts();
    const again = await run();
    expect(again).toMatchObject({ raised: 0, updated: 0, cleared: 0, unchanged: 2 });
    expect(await counts()).toEqual(before);
    expect((await unitAlert()).updated_at).toEqual(alert.updated_at);
  });

  it('updates the open alert when the numbers change, recording old and new', async () => {
    await unitPaying('850000.00');
    await run();
    await db.knex('payment_vouchers').where({ voucher_no: 'V1' }).update({ amount: '750000.00' });
    const res = await run();
    expect(res).toMatchObject({ raised: 0, updated: 2 });
    const alert = await unitAlert();
    expect(alert).toMatchObject({ severity: 'orange', status: 'new' });
    const [ev] = await db.knex('alert_events').where({ alert_id: alert.id, kind: 'updated' });
    expect(ev.data.old).toMatchObject({ severity: 'yellow', measured: { gap: '15' } });
    expect(ev.data.new).toMatchObject({ severity: 'orange', measured: { gap: '25' } });
    expect(await db.knex('alerts').where({ rule_id: 'R01' }).whereNull('closed_at').count({ n: '*' })).toEqual([{ n: '2' }]);
  });

  it('closes an alert whose condition no longer holds, with a note', async () => {
    await unitPaying('850000.00');
    await run();
    const open = await unitAlert();
    await db.knex('payment_vouchers').where({ voucher_no: 'V1' }).update({ amount: '950000.00' });
    expect(await run()).toMatchObject({ cleared: 2, raised: 0 });
    const closed = await db.knex('alerts').where({ id: open.id }).first();
    expect(closed.status).toBe('cleared');
    expect(closed.closed_at).not.toBeNull();
    const [ev] = await db.knex('alert_events').where({ alert_id: open.id, kind: 'cleared' });
    expect(ev).toMatchObject({ from_status: 'new', to_status: 'cleared', note: CLEARED_NOTE });
    // Worse again: a new alert, the cleared one stays closed.
    await db.knex('payment_vouchers').where({ voucher_no: 'V1' }).update({ amount: '800000.00' });
    expect(await run()).toMatchObject({ raised: 2 });
    expect((await unitAlert()).id).not.toBe(open.id);
  });

  it('leaves alerts of periods the run does not speak for, and of other regions, alone', async () => {
    await unitPaying('850000.00');
    await run();
    await db.knex('alerts').where({ rule_id: 'R01' }).update({ period: '2024' });
    await db.knex('payment_vouchers').update({ amount: '1000000.00' });
    expect(await run()).toMatchObject({ raised: 0, cleared: 0 });
    expect(await db.knex('alerts').whereNull('closed_at').count({ n: '*' })).toEqual([{ n: '2' }]);
    const other = await evaluateRules(db.knex, { regionCode: '411121', asOf: '2025-12-31', trigger: 'test' });
    expect(other.cleared).toBe(0);
  });

  it('uses the new threshold version after a settings change and records it', async () => {
    await unitPaying('850000.00');
    await run();
    const r01 = RULES.find((r) => r.id === 'R01')!;
    const changed = await updateRuleSetting(db.knex, r01, {
      params: { ...r01.defaults, bands: { yellow: '15', orange: '16', red: '30' } }, reason: '测试', userId: null,
    });
    expect(changed.version).toBe(2);
    const res = await run();
    expect(res.rules).toEqual([expect.objectContaining({ ruleId: 'R01', version: 2 })]);
    expect(res.updated).toBe(2);
    const alert = await unitAlert();
    expect(alert).toMatchObject({ rule_version: 2, threshold: { yellow: '15', orange: '16' } });
    const evaluation = await db.knex('rule_evaluations').where({ id: res.evaluationId }).first();
    expect(evaluation.rule_versions).toEqual({ R01: 2 });
    const history = await db.knex('rule_setting_history').where({ rule_id: 'R01' }).orderBy('version');
    expect(history.map((h) => [h.version, h.reason])).toEqual([[1, '初始默认阈值（RULES.md）'], [2, '测试']]);
    expect(history[1].params_old.bands.yellow).toBe('10');
    // Disabled: not evaluated at all, its open alerts untouched.
    await updateRuleSetting(db.knex, r01, { enabled: false, reason: '停用', userId: null });
    const off = await run();
    expect(off.rules).toEqual([]);
    expect((await loadRuleSettings(db.knex, [r01])).get('R01')).toMatchObject({ enabled: false, version: 3 });
    await updateRuleSetting(db.knex, r01, { params: r01.defaults, enabled: true, reason: '恢复', userId: null });
  });

  it('does not raise a dismissed alert again unless it got worse', async () => {
    await unitPaying('850000.00');
    await run();
    await db.knex('alerts').where({ rule_id: 'R01' }).update({ status: 'dismissed', closed_at: db.knex.fn.now() });
    await db.knex('payment_vouchers').where({ voucher_no: 'V1' }).update({ amount: '860000.00' });
    expect(await run()).toMatchObject({ raised: 0, suppressed: 2 });
    await db.knex('payment_vouchers').where({ voucher_no: 'V1' }).update({ amount: '750000.00' });
    expect(await run()).toMatchObject({ raised: 2 });
  });

  it('evaluates every rule of the catalogue on an empty region without error', async () => {
    const res = await evaluateRules(db.knex, { regionCode: '411122', asOf: '2025-09-30', trigger: 'test' });
    expect(res.rules.map((r) => r.ruleId)).toEqual(RULES.map((r) => r.id));
    expect(res.raised).toBe(0);
  });
});
