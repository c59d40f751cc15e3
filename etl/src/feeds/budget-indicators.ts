import { defineFeed, ECON_CODE, FUNC_CODE, FUND_TYPES, YEAR } from './define-feed.js';

export const budgetIndicators = defineFeed({
  name: 'budget_indicators',
  title: '预算指标',
  table: 'budget_indicators',
  order: 10,
  columns: [
    { key: 'indicator_no', zh: ['指标编号', '指标ID'], type: 'code', required: true },
    { key: 'doc_no', zh: ['指标文号', '文号'], type: 'text' },
    { key: 'fiscal_year', zh: ['预算年度', '年度'], type: 'int', required: true, ...YEAR },
    { key: 'agency_code', zh: ['单位代码', '预算单位代码'], type: 'code', required: true },
    { key: 'func_code', zh: ['功能分类科目', '功能科目', '功能分类'], type: 'code', required: true, pattern: FUNC_CODE, patternHint: '3、5 或 7 位数字' },
    { key: 'econ_code', zh: ['经济分类科目', '经济科目', '经济分类'], type: 'code', pattern: ECON_CODE, patternHint: '3 或 5 位数字' },
    { key: 'fund_type', zh: ['资金性质'], type: 'enum', required: true, values: FUND_TYPES },
    { key: 'project_code', zh: ['项目编码', '项目代码'], type: 'code' },
    { key: 'project_name', zh: ['项目名称'], type: 'text' },
    { key: 'indicator_kind', zh: ['指标类型'], type: 'enum', required: true, values: ['年初预算', '追加', '调减', '结转', '上级转移支付'] },
    { key: 'amount', zh: ['金额', '指标金额'], type: 'amount', required: true },
    { key: 'issued_on', zh: ['下达日期'], type: 'date', required: true },
  ],
  key: ['indicator_no'],
  merge: 'upsert',
  amountColumn: 'amount',
  deptFrom: 'agency_code',
});
