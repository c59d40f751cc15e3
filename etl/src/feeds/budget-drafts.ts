import { defineFeed, ECON_CODE, FUNC_CODE, FUND_TYPES, YEAR } from './define-feed.js';

export const DRAFT_STAGES = ['草案', '调整', '批准', '决算'] as const;

/**
 * 预决算报表: one row per line of the document the finance bureau submits to the congress. A file
 * is the whole of each (fiscal_year, stage) document it contains, so a corrected draft that
 * drops a line removes it, and the other documents of the region stay as they were.
 */
export const budgetDrafts = defineFeed({
  name: 'budget_drafts',
  title: '预决算报表',
  table: 'budget_drafts',
  order: 95,
  columns: [
    { key: 'fiscal_year', zh: ['预算年度', '年度'], type: 'int', required: true, ...YEAR },
    { key: 'stage', zh: ['阶段'], type: 'enum', required: true, values: DRAFT_STAGES },
    { key: 'line_no', zh: ['行号'], type: 'code', required: true, pattern: /^[0-9A-Za-z_.-]{1,30}$/, patternHint: '1 至 30 位字母、数字或 _ . -' },
    { key: 'budget_type', zh: ['预算类型', '资金性质'], type: 'enum', required: true, values: FUND_TYPES },
    { key: 'direction', zh: ['收支'], type: 'enum', required: true, values: ['收入', '支出'] },
    { key: 'agency_code', zh: ['单位代码', '部门代码'], type: 'code' },
    { key: 'func_code', zh: ['功能分类科目', '功能科目'], type: 'code', pattern: FUNC_CODE, patternHint: '3、5 或 7 位数字' },
    { key: 'econ_code', zh: ['经济分类科目', '经济科目'], type: 'code', pattern: ECON_CODE, patternHint: '3 或 5 位数字' },
    { key: 'revenue_code', zh: ['收入分类科目', '收入科目'], type: 'code', pattern: /^\d{3,9}$/, patternHint: '3 至 9 位数字' },
    { key: 'spending_kind', zh: ['支出类型'], type: 'enum', values: ['基本支出', '项目支出'] },
    { key: 'project_code', zh: ['项目编码', '项目代码'], type: 'code' },
    { key: 'project_name', zh: ['项目名称'], type: 'text' },
    { key: 'amount', zh: ['金额'], type: 'amount', required: true },
    { key: 'prior_budget', zh: ['上年预算数'], type: 'amount' },
    { key: 'prior_actual', zh: ['上年执行数'], type: 'amount' },
    { key: 'note', zh: ['说明', '编制依据'], type: 'text', maxLength: 2000 },
  ],
  key: ['fiscal_year', 'stage', 'line_no'],
  merge: 'full-state',
  fullStateBy: ['fiscal_year', 'stage'],
  amountColumn: 'amount',
  checkRow(get) {
    if (get('direction') === '支出') {
      if (!get('func_code')) return { column: 'func_code', reason: '为空：支出行必须填写功能分类科目' };
      if (get('revenue_code')) return { column: 'revenue_code', reason: '支出行不应填写收入分类科目' };
      return null;
    }
    if (!get('revenue_code')) return { column: 'revenue_code', reason: '为空：收入行必须填写收入分类科目' };
    for (const key of ['func_code', 'econ_code', 'spending_kind'] as const) {
      if (get(key)) return { column: key, reason: '收入行不应填写（仅用于支出行）' };
    }
    return null;
  },
});
