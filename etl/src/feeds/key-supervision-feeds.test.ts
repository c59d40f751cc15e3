import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase, csv, feedTablesHash, tempInbox, writeBundle } from '../../../api/src/testing/index.js';
import { exportRegion } from '../export.js';
import { loadBundle } from '../load/load-bundle.js';

// performance_targets and transfer_payments (issue 15) take the path of every feed: bad rows
// quarantined with column and Chinese reason, good rows loaded with lineage, a correction
// keeps the superseded version, and the region's export carries them upward.

const TODAY = '2026-11-23';
const TARGET_HEADER = ['indicator_no', 'target_no', 'fiscal_year', 'level1', 'level2', 'target_name', 'direction', 'target_value', 'unit', 'actual_value', 'actual_as_of', 'self_score'];
const TRANSFER_HEADER = ['transfer_no', 'fiscal_year', 'direction', 'kind', 'counterpart_region', 'func_code', 'title', 'amount', 'received_on', 'allocated_on', 'indicator_no'];

describe('key-supervision feeds', () => {
  let db: TestDatabase;
  let inbox: string;
  beforeAll(async () => {
    db = await createTestDatabase();
    inbox = tempInbox();
  });
  afterAll(() => db.drop());

  it('load good rows and quarantine each bad one with its column and reason', async () => {
    const dir = writeBundle(inbox, '411100', '2026-11-20', {
      'performance_targets.csv': csv([
        TARGET_HEADER,
        ['ZB1', 'T1', '2026', '产出', '数量指标', '新建农田面积', '≥', '1200', '亩', '640', '2026-11-15', ''],
        ['ZB1', 'T2', '2026', '满意度', '服务对象满意度', '群众满意度', '定性', '较高', '', '良好', '2026-11-15', ''],
        ['ZB1', 'T3', '2026', '产出', '数量指标', '培训人次', '≥', '约一千', '人次', '', '', ''],
        ['ZB1', 'T4', '2026', '效益', '', '增收', '≥', '10', '%', '1O', '2026-11-15', ''],
        ['ZB1', 'T5', '2026', '产出', '', '完成率', '≥', '95', '%', '90', '', ''],
        ['ZB1', 'T6', '2026', '产出', '', '完成率', '≥', '95', '%', '', '', '101'],
        ['ZB1', 'T7', '2026', '绩效', '', '完成率', '≥', '95', '%', '', '', ''],
        ['ZB1', 'T1', '2026', '产出', '', '重复', '≥', '1', '', '', '', ''],
      ]),
      'transfer_payments.csv': csv([
        TRANSFER_HEADER,
        ['豫财预〔2026〕12号', '2026', '收到上级', '直达资金', '410000', '2080208', '困难群众救助补助资金', '12,500,000.00', '2026-03-02', '2026-04-20', 'ZB1'],
        ['漯财预〔2026〕3号', '2026', '下达下级', '专项转移支付', '411121', '', '农田建设补助资金', '3000000', '', '2026-05-06', ''],
        ['X3', '2026', '收到上级', '上级补助', '410000', '', '资金', '1.00', '2026-03-02', '', ''],
        ['X4', '2026', '收到上级', '直达资金', '41000', '', '资金', '1.00', '2026-03-02', '', ''],
        ['X5', '2026', '收到上级', '直达资金', '410000', '', '资金', '1.2e6', '2026-03-02', '', ''],
        ['X6', '2026', '收到上级', '直达资金', '410000', '', '', '1.00', '2026-03-02', '', ''],
      ]),
    });
    const r = await loadBundle(db.knex, dir, { today: TODAY });
    expect(r.outcome).toBe('committed');
    expect(r.files.find((f) => f.feed === 'performance_targets')).toMatchObject({ rowsRead: 8, inserted: 2, quarantined: 6 });
    expect(r.files.find((f) => f.feed === 'transfer_payments')).toMatchObject({ rowsRead: 6, inserted: 2, quarantined: 4, amountSum: '15500003.00' });

    const q = await db.knex('quarantine').where({ batch_id: r.batchId }).orderBy(['feed', 'line_no']).select('feed', 'line_no', 'column_name', 'reason');
    expect(q.map((x) => [x.feed, x.line_no, x.column_name])).toEqual([
      ['performance_targets', 4, 'target_value'],
      ['performance_targets', 5, 'actual_value'],
      ['performance_targets', 6, 'actual_as_of'],
      ['performance_targets', 7, 'self_score'],
      ['performance_targets', 8, 'level1'],
      ['performance_targets', 9, 'indicator_no'],
      ['transfer_payments', 4, 'kind'],
      ['transfer_payments', 5, 'counterpart_region'],
      ['transfer_payments', 6, 'amount'],
      ['transfer_payments', 7, 'title'],
    ]);
    expect(q[0].reason).toBe('target_value（目标值）定量指标的目标值须为数字（如 1200 或 95.5）：约一千');
    expect(q[2].reason).toBe('actual_as_of（完成值日期）有完成值时须填写完成值日期');
    expect(q[3].reason).toContain('超出范围 0–100：101');
    expect(q[7].reason).toContain('6 位行政区划代码');

    const t = await db.knex('transfer_payments').orderBy('transfer_no').select('transfer_no', 'amount', 'received_on', 'allocated_on', 'batch_id', 'source_line');
    expect(t).toEqual([
      { transfer_no: '漯财预〔2026〕3号', amount: '3000000.00', received_on: null, allocated_on: '2026-05-06', batch_id: r.batchId, source_line: 3 },
      { transfer_no: '豫财预〔2026〕12号', amount: '12500000.00', received_on: '2026-03-02', allocated_on: '2026-04-20', batch_id: r.batchId, source_line: 2 },
    ]);
    const p = await db.knex('performance_targets').orderBy('target_no').select('target_no', 'target_value', 'actual_value', 'self_score');
    expect(p).toEqual([
      { target_no: 'T1', target_value: '1200', actual_value: '640', self_score: null },
      { target_no: 'T2', target_value: '较高', actual_value: '良好', self_score: null },
    ]);
  });

  it('a later result corrects the target and keeps the superseded version; the same bundle again changes nothing', async () => {
    const dir = writeBundle(inbox, '411100', '2026-11-21', {
      'performance_targets.csv': csv([TARGET_HEADER, ['ZB1', 'T1', '2026', '产出', '数量指标', '新建农田面积', '≥', '1200', '亩', '900', '2026-11-20', '88.5']]),
    });
    const r = await loadBundle(db.knex, dir, { today: TODAY });
    expect(r.files[0]).toMatchObject({ inserted: 0, updated: 1 });
    const now = await db.knex('performance_targets').where({ target_no: 'T1' }).first();
    expect([now.actual_value, now.actual_as_of, now.self_score]).toEqual(['900', '2026-11-20', '88.50']);
    const old = await db.knex('superseded_rows').where({ feed: 'performance_targets' }).select('natural_key', 'row');
    expect(old.map((o) => [o.natural_key, o.row.actual_value])).toEqual([['ZB1|T1', '640']]);
    const before = await feedTablesHash(db.knex);
    expect((await loadBundle(db.knex, dir, { today: TODAY })).outcome).toBe('unchanged');
    expect(await feedTablesHash(db.knex)).toBe(before);
  });

  it('export the region upward in the same shape', async () => {
    const out = tempInbox('bw-export-');
    const res = await exportRegion(db.knex, { regionCode: '411100', businessDate: '2026-11-21', outDir: out });
    expect(res.feeds.find((f) => f.feed === 'transfer_payments')).toEqual({ feed: 'transfer_payments', rows: 2, amountSum: '15500000.00' });
    expect(res.feeds.find((f) => f.feed === 'performance_targets')).toEqual({ feed: 'performance_targets', rows: 2, amountSum: null });
  });
});
