import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../../api/src/testing/index.js';
import { exportRegion } from '../export.js';
import { loadBundle } from '../load/load-bundle.js';
import { AGENCIES_HEADER, csv, tempInbox, writeBundle } from '../../../api/src/testing/index.js';

/**
 * budget_drafts through the loader: cross-column checks quarantine a bad line with its reason,
 * a file is the whole of each (fiscal year × stage) document it holds — and of no other —, every
 * line keeps its lineage, and the export writes the feed back in the shape it came in.
 */
const TODAY = '2026-11-23';
const HEADER = [
  'fiscal_year', 'stage', 'line_no', 'budget_type', 'direction', 'agency_code', 'func_code', 'econ_code', 'revenue_code',
  'spending_kind', 'project_code', 'project_name', 'amount', 'prior_budget', 'prior_actual', 'note',
];
type Line = Partial<Record<(typeof HEADER)[number], string>>;
const line = (l: Line) => HEADER.map((k) => l[k] ?? '');
const spend = (year: string, stage: string, no: string, amount: string, extra: Line = {}) =>
  line({ fiscal_year: year, stage, line_no: no, budget_type: '1', direction: '支出', func_code: '2050201', amount, ...extra });
const drafts = (...rows: string[][]) => csv([HEADER, ...rows]);

describe('budget_drafts feed', () => {
  let db: TestDatabase;
  let inbox: string;
  const load = async (date: string, files: Record<string, string>) => {
    const r = await loadBundle(db.knex, writeBundle(inbox, '411100', date, files), { today: TODAY });
    expect(r.outcome, r.reason ?? '').toBe('committed');
    return r;
  };
  const lines = (year: number, stage: string) =>
    db.knex('budget_drafts').where({ region_code: '411100', fiscal_year: year, stage }).orderBy('line_no').select('line_no', 'amount', 'batch_id', 'source_line');

  beforeAll(async () => {
    db = await createTestDatabase();
    inbox = tempInbox();
    await load('2026-11-01', { 'agencies.csv': csv([AGENCIES_HEADER, ['411100101', '教育局', '', '行政']]) });
  });
  afterAll(async () => {
    await db.drop();
  });

  it('quarantines lines that break a column or a cross-column rule, with a Chinese reason naming the column', async () => {
    const r = await load('2026-11-02', {
      'budget_drafts.csv': drafts(
        spend('2027', '草案', '1', '1000.00', { agency_code: '411100101', econ_code: '30101', spending_kind: '基本支出' }),
        spend('2027', '草案', '2', '12.345'),
        spend('2027', '预算', '3', '5.00'),
        line({ fiscal_year: '2027', stage: '草案', line_no: '4', budget_type: '1', direction: '支出', amount: '5.00' }),
        line({ fiscal_year: '2027', stage: '草案', line_no: '5', budget_type: '1', direction: '收入', amount: '5.00' }),
        line({ fiscal_year: '2027', stage: '草案', line_no: '6', budget_type: '1', direction: '收入', revenue_code: '10101', func_code: '2050201', amount: '5.00' }),
        spend('2027', '草案', '1', '7.00'),
        spend('2027', '草案', '8', '8.00', { func_code: '20502011' }),
      ),
    });
    expect(r.files[0]).toMatchObject({ rowsRead: 8, quarantined: 7, inserted: 1 });
    const q = await db.knex('quarantine').where({ batch_id: r.batchId }).orderBy('line_no').select('line_no', 'column_name', 'reason');
    expect(q.map((x) => [x.line_no, x.column_name])).toEqual([
      [3, 'amount'], [4, 'stage'], [5, 'func_code'], [6, 'revenue_code'], [7, 'func_code'], [8, 'fiscal_year'], [9, 'func_code'],
    ]);
    expect(q[2].reason).toContain('支出行必须填写功能分类科目');
    expect(q[3].reason).toContain('收入行必须填写收入分类科目');
    expect(q[4].reason).toContain('收入行不应填写');
    expect(q[5].reason).toContain('重复');
  });

  it('replaces a whole document and only that document; keeps lineage and the removed lines in history', async () => {
    const first = await load('2026-11-03', {
      'budget_drafts.csv': drafts(spend('2027', '草案', '1', '100.00'), spend('2027', '草案', '2', '200.00'), spend('2025', '决算', '1', '90.00')),
    });
    expect(await lines(2027, '草案')).toEqual([
      { line_no: '1', amount: '100.00', batch_id: first.batchId, source_line: 2 },
      { line_no: '2', amount: '200.00', batch_id: first.batchId, source_line: 3 },
    ]);
    // A corrected draft without line 2: line 2 goes, the 2025 final accounts stay.
    const second = await load('2026-11-04', { 'budget_drafts.csv': drafts(spend('2027', '草案', '1', '110.00')) });
    expect(await lines(2027, '草案')).toEqual([{ line_no: '1', amount: '110.00', batch_id: second.batchId, source_line: 2 }]);
    expect(await lines(2025, '决算')).toEqual([{ line_no: '1', amount: '90.00', batch_id: first.batchId, source_line: 4 }]);
    const history = await db.knex('superseded_rows').where({ feed: 'budget_drafts', superseded_by_batch_id: second.batchId }).orderBy('natural_key').select('natural_key', 'change');
    expect(history).toEqual([
      { natural_key: '2027|草案|1', change: 'replaced' },
      { natural_key: '2027|草案|2', change: 'removed' },
    ]);
  });

  it('exports the documents for the level above in the feed shape, with a manifest', async () => {
    const out = fs.mkdtempSync(path.join(os.tmpdir(), 'bw-drafts-export-'));
    const r = await exportRegion(db.knex, { regionCode: '411100', businessDate: '2026-11-04', outDir: out });
    expect(r.feeds.find((f) => f.feed === 'budget_drafts')).toEqual({ feed: 'budget_drafts', rows: 2, amountSum: '200.00' });
    const text = fs.readFileSync(path.join(r.dir, 'budget_drafts.csv'), 'utf8').trim().split('\n');
    expect(text[0]).toBe(HEADER.join(','));
    expect(text.slice(1).map((l) => l.split(',').slice(0, 3).join(','))).toEqual(['2025,决算,1', '2027,草案,1']);
    fs.rmSync(out, { recursive: true, force: true });
  });
});
