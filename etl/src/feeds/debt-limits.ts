import { defineFeed, YEAR } from './define-feed.js';

export const debtLimits = defineFeed({
  name: 'debt_limits',
  title: '债务限额与财力',
  table: 'debt_limits',
  order: 70,
  columns: [
    { key: 'fiscal_year', zh: ['年度', '预算年度'], type: 'int', required: true, ...YEAR },
    { key: 'general_limit', zh: ['一般债务限额'], type: 'amount', required: true },
    { key: 'special_limit', zh: ['专项债务限额'], type: 'amount', required: true },
    { key: 'general_balance', zh: ['一般债务余额'], type: 'amount', required: true },
    { key: 'special_balance', zh: ['专项债务余额'], type: 'amount', required: true },
    { key: 'fiscal_capacity', zh: ['综合财力'], type: 'amount', required: true },
  ],
  key: ['fiscal_year'],
  merge: 'full-state', // each file is the region's whole list as of its date
});
