import { defineFeed } from './define-feed.js';

export const debtRepayments = defineFeed({
  name: 'debt_repayments',
  title: '还本付息',
  table: 'debt_repayments',
  order: 60,
  columns: [
    { key: 'bond_code', zh: ['债券编码', '债券代码'], type: 'code', required: true },
    { key: 'due_date', zh: ['应还日期'], type: 'date', required: true, schedule: true },
    { key: 'principal', zh: ['应还本金'], type: 'amount', required: true },
    { key: 'interest', zh: ['应付利息'], type: 'amount', required: true },
    { key: 'paid_on', zh: ['实际支付日期'], type: 'date' },
    { key: 'paid_amount', zh: ['实付金额'], type: 'amount' },
  ],
  key: ['bond_code', 'due_date'],
  merge: 'upsert',
});
