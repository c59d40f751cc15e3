import { defineFeed, FUND_TYPES, YEAR } from './define-feed.js';

export const revenues = defineFeed({
  name: 'revenues',
  title: '收入执行',
  table: 'revenues',
  order: 30,
  columns: [
    { key: 'fiscal_year', zh: ['预算年度', '年度'], type: 'int', required: true, ...YEAR },
    { key: 'month', zh: ['月份'], type: 'int', required: true, min: 1, max: 12 },
    { key: 'budget_type', zh: ['预算类型'], type: 'enum', required: true, values: FUND_TYPES },
    { key: 'revenue_code', zh: ['收入分类科目', '收入科目'], type: 'code', required: true, pattern: /^\d{3,9}$/, patternHint: '3 至 9 位数字' },
    { key: 'revenue_name', zh: ['科目名称'], type: 'text' },
    { key: 'budget_amount', zh: ['年初预算数', '预算数'], type: 'amount' },
    { key: 'amount', zh: ['当月收入', '收入金额'], type: 'amount', required: true },
  ],
  key: ['fiscal_year', 'month', 'budget_type', 'revenue_code'],
  merge: 'upsert',
  amountColumn: 'amount',
});
