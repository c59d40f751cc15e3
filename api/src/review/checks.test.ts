import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../testing/index.js';
import { updateRuleSetting } from '../rules/settings.js';
import { checkById, reviewDocument, type CheckFinding, type DraftStage } from './index.js';

/**
 * Each check at its boundary, on hand-made documents: the value exactly at the threshold does
 * not fire (or does, as REVIEW.md words it), one step beyond does.
 */
const REGION = '411100';
const FY = 2027;
type Line = Record<string, string | null>;

let db: TestDatabase;
let batchId: string;
let seq = 0;

async function doc(stage: DraftStage, lines: Line[], fy = FY): Promise<void> {
  await db.knex('budget_drafts').insert(lines.map((l) => ({
    region_code: REGION, batch_id: batchId, source_line: ++seq, fiscal_year: fy, stage, line_no: String(++seq), budget_type: '1', direction: '支出',
    agency_code: null, amount: '0.00', ...l,
  })));
}
async function run(id: string, stage: DraftStage = '草案', fy = FY): Promise<CheckFinding[]> {
  const check = checkById(id)!;
  return check.evaluate(db.knex, { regionCode: REGION, fiscalYear: fy, stage, params: check.defaults });
}

beforeAll(async () => {
  db = await createTestDatabase();
  [{ id: batchId }] = await db.knex('batches')
    .insert({ region_code: REGION, business_date: '2026-11-01', source: 'inbox', location: 'test', status: 'committed', committed_at: db.knex.fn.now() })
    .returning('id');
  await db.knex('agencies').insert([
    { region_code: REGION, batch_id: batchId, source_line: 1, agency_code: '411100101', agency_name: '教育局', parent_code: null },
    { region_code: REGION, batch_id: batchId, source_line: 2, agency_code: '411100101001', agency_name: '第一中学', parent_code: '411100101' },
  ]);
});
afterAll(async () => {
  await db.drop();
});
beforeEach(async () => {
  await db.knex('review_findings').delete();
  await db.knex('budget_drafts').delete();
  await db.knex('audit_findings').delete();
  await db.knex('debt_limits').delete();
});

const reserveDoc = (reserve: string) => doc('草案', [{ func_code: '227', amount: reserve }, { func_code: '2050201', amount: (10000 - Number(reserve)).toFixed(2) }]);

describe('D01 预备费 within 1 %–3 % of general expenditure', () => {
  it.each([['100.00', false], ['300.00', false], ['99.00', true], ['301.00', true], ['200.00', false]])('reserve %s of 10,000.00 → fires %s', async (reserve, fires) => {
    await reserveDoc(reserve);
    const f = await run('D01');
    expect(f.length).toBe(fires ? 1 : 0);
    if (fires) expect(f[0]).toMatchObject({ subjectKey: 'region', severity: 'issue', figures: { reserve, expenditure: '10000.00' } });
  });
  it('says the share with two decimals and the article', async () => {
    await reserveDoc('99.00');
    expect(checkById('D01')!.explain((await run('D01'))[0])).toBe('预备费 99.00 元，占一般公共预算支出 10,000.00 元的 0.99%，低于 1%（预算法第四十条规定按 1%–3% 设置）');
  });
});

describe('D02 / D03 detail', () => {
  it('flags a total line at 款 with 项 below it, not a 项 nor a 类 without subdivisions', async () => {
    await doc('草案', [{ func_code: '20502', amount: '5.00' }, { func_code: '2050201', amount: '5.00' }, { func_code: '227', amount: '1.00' }]);
    expect((await run('D02')).map((f) => f.figures.funcCode)).toEqual(['20502']);
  });
  it('flags 基本支出 at an economic 类 or without one, not at a 款 nor 项目支出', async () => {
    await doc('草案', [
      { agency_code: '411100101', func_code: '2050201', econ_code: '302', spending_kind: '基本支出', amount: '1.00' },
      { agency_code: '411100101', func_code: '2050201', econ_code: null, spending_kind: '基本支出', amount: '1.00' },
      { agency_code: '411100101', func_code: '2050201', econ_code: '30201', spending_kind: '基本支出', amount: '1.00' },
      { agency_code: '411100101', func_code: '2050201', econ_code: '302', spending_kind: '项目支出', amount: '1.00' },
    ]);
    expect((await run('D03')).map((f) => f.figures.econCode)).toEqual(['302', '']);
  });
});

describe('D04 balance', () => {
  it.each([['999.99', false], ['999.98', true], ['1000.02', true]])('revenue %s against expenditure 1,000.00 → fires %s', async (revenue, fires) => {
    await doc('草案', [{ func_code: '2050201', amount: '1000.00' }, { direction: '收入', func_code: null, revenue_code: '10101', amount: revenue }]);
    expect((await run('D04')).length).toBe(fires ? 1 : 0);
  });
});

describe('D05 三公 per department and in total', () => {
  it('equal is not higher; one cent more is', async () => {
    await doc('草案', [
      { agency_code: '411100101001', func_code: '2050201', econ_code: '30217', amount: '100.01', prior_budget: '100.00' },
      { agency_code: '411100101', func_code: '2050201', econ_code: '30231', amount: '50.00', prior_budget: '50.00' },
    ]);
    expect((await run('D05')).map((f) => [f.subjectKey, f.figures.increase])).toEqual([['department:411100101', '0.01'], ['total', '0.01']]);
  });
});

describe('D06 key spending', () => {
  it('fires when lower than last year\'s budget or execution, not when equal to both', async () => {
    await doc('草案', [
      { func_code: '2050201', amount: '100.00', prior_budget: '100.00', prior_actual: '100.00' },
      { func_code: '2060101', amount: '100.00', prior_budget: '90.00', prior_actual: '100.01' },
    ]);
    expect((await run('D06')).map((f) => f.subjectKey)).toEqual(['func:206']);
  });
});

describe('D07 repeat project after poor execution', () => {
  it.each([['60.00', '100.00', false], ['59.99', '100.00', true], ['59.99', '99.99', false]])('executed %s of 100.00, budgeted %s → fires %s', async (actual, amount, fires) => {
    await doc('草案', [{ agency_code: '411100101', func_code: '2050201', project_code: 'P1', amount, prior_budget: '100.00', prior_actual: actual }]);
    expect((await run('D07')).length).toBe(fires ? 1 : 0);
  });
});

describe('D09 department growth', () => {
  it.each([['120.00', null, false], ['120.01', null, true], ['120.01', '新增职能', false]])('100.00 → %s with note %s → fires %s', async (amount, note, fires) => {
    await doc('草案', [{ agency_code: '411100101001', func_code: '2050201', amount, prior_budget: '100.00', note }]);
    expect((await run('D09')).map((f) => f.subjectKey)).toEqual(fires ? ['department:411100101'] : []);
  });
});

describe('D10 new debt against the headroom', () => {
  it.each([['100.00', false], ['100.01', true]])('new special debt %s with headroom 100.00 → fires %s', async (debt, fires) => {
    await db.knex('debt_limits').insert({ region_code: REGION, batch_id: batchId, source_line: 1, fiscal_year: FY - 1, general_limit: '10.00', special_limit: '600.00', general_balance: '10.00', special_balance: '500.00', fiscal_capacity: '1.00' });
    await doc('草案', [{ budget_type: '2', direction: '收入', func_code: null, revenue_code: '1050402', amount: debt }]);
    expect((await run('D10')).map((f) => f.figures.headroom)).toEqual(fires ? ['100.00'] : []);
  });
});

describe('D11 special transfers by region and project', () => {
  it('needs a project and a region below by code or name', async () => {
    await doc('草案', [
      { func_code: '2300301', project_code: 'A', note: '下达舞阳县', amount: '1.00' },
      { func_code: '2300302', project_code: 'B', note: '411122 高标准农田', amount: '1.00' },
      { func_code: '2300303', project_code: 'C', note: '待分配', amount: '1.00' },
      { func_code: '2300304', project_code: null, note: '下达舞阳县', amount: '1.00' },
      { func_code: '2300305', project_code: 'E', note: '郑州市', amount: '1.00' },
    ]);
    expect((await run('D11')).map((f) => [f.figures.funcCode, f.figures.missing])).toEqual([['2300303', '地区'], ['2300304', '项目'], ['2300305', '地区']]);
  });
});

describe('D12 unrectified audit findings', () => {
  it('fires when the unit grows while a finding is open, not once it is rectified', async () => {
    const finding = { region_code: REGION, batch_id: batchId, source_line: 1, finding_no: 'SJ1', audit_year: FY - 2, audit_project: '预算执行审计', agency_code: '411100101001', category: '预算执行', description: '无预算列支', rectify_deadline: '2026-06-30', status: '整改中' };
    await db.knex('audit_findings').insert(finding);
    await doc('草案', [{ agency_code: '411100101001', func_code: '2050201', amount: '100.01', prior_budget: '100.00' }]);
    expect((await run('D12')).map((f) => f.figures.findings)).toEqual(['SJ1']);
    await db.knex('audit_findings').update({ status: '已整改' });
    expect(await run('D12')).toEqual([]);
  });
});

describe('D13 final accounts against the approved budget', () => {
  const pair = async (budget: string, actual: string, note: string | null = null) => {
    await doc('批准', [{ agency_code: '411100101', func_code: '2050201', amount: budget }], FY - 1);
    await doc('决算', [{ agency_code: '411100101', func_code: '2050201', amount: actual, note }], FY - 1);
  };
  it.each([
    ['1000.00', '1100.00', false], ['1000.00', '1100.01', true], ['1000.00', '899.99', true],
    ['100000000.00', '105000000.00', false], ['100000000.00', '105000000.01', true],
  ])('budget %s, final %s → fires %s', async (budget, actual, fires) => {
    await pair(budget, actual);
    expect((await run('D13', '决算', FY - 1)).length).toBe(fires ? 1 : 0);
  });
  it('carries the bureau\'s explanation', async () => {
    await pair('1000.00', '1200.00', '年中追加');
    const [f] = await run('D13', '决算', FY - 1);
    expect(checkById('D13')!.explain(f)).toContain('财政部门说明：年中追加');
  });
});

describe('D14 adjustment', () => {
  it('lists every changed line, an unlabelled increase as an issue, and the total with the cases needing approval', async () => {
    const base = [
      { line_no: 'a', func_code: '2050201', amount: '100.00' },
      { line_no: 'b', func_code: '227', amount: '50.00' },
      { line_no: 'c', func_code: '2080101', amount: '70.00' },
    ];
    await db.knex('budget_drafts').insert(base.map((l, i) => ({ region_code: REGION, batch_id: batchId, source_line: i, fiscal_year: FY, stage: '批准', budget_type: '1', direction: '支出', ...l })));
    await db.knex('budget_drafts').insert([
      { line_no: 'a', func_code: '2050201', amount: '130.00', note: '预算调整：追加' },
      { line_no: 'b', func_code: '227', amount: '20.00', note: '预算调整：动用预备费' },
      { line_no: 'c', func_code: '2080101', amount: '80.00', note: null },
    ].map((l, i) => ({ region_code: REGION, batch_id: batchId, source_line: i, fiscal_year: FY, stage: '调整', budget_type: '1', direction: '支出', ...l })));
    const f = await run('D14', '调整');
    expect(f.map((x) => [x.subjectKey, x.severity, x.figures.change ?? x.figures.cases])).toEqual([
      ['line:a', 'note', '30.00'], ['line:b', 'note', '-30.00'], ['line:c', 'issue', '10.00'], ['total', 'note', '总支出增加、动用预备费'],
    ]);
  });
});

describe('reviewDocument', () => {
  it('uses the region\'s versioned thresholds, keeps a decided finding the data no longer shows as not current', async () => {
    await reserveDoc('99.00');
    let r = await reviewDocument(db.knex, { regionCode: REGION, fiscalYear: FY, stage: '草案' });
    expect(r.checks.find((c) => c.checkId === 'D01')).toMatchObject({ findings: 1 });
    await db.knex('review_findings').where({ check_id: 'D01' }).update({ decision: 'accepted' });
    await updateRuleSetting(db.knex, checkById('D01')!, { params: { minPercent: '0.5', maxPercent: '3', severity: 'issue' }, reason: '试行', userId: null, regionCode: REGION });
    r = await reviewDocument(db.knex, { regionCode: REGION, fiscalYear: FY, stage: '草案' });
    expect(r).toMatchObject({ stale: 1, inserted: 0 });
    expect(r.checks.find((c) => c.checkId === 'D01')!.version).toBeGreaterThan(1);
    expect(await db.knex('review_findings').where({ check_id: 'D01' }).first()).toMatchObject({ current: false, decision: 'accepted' });
  });
});

