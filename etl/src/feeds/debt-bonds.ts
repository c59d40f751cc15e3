import { defineFeed } from './define-feed.js';

export const debtBonds = defineFeed({
  name: 'debt_bonds',
  title: '政府债券',
  table: 'debt_bonds',
  order: 50,
  columns: [
    { key: 'bond_code', zh: ['债券编码', '债券代码'], type: 'code', required: true },
    { key: 'bond_name', zh: ['债券名称'], type: 'text', required: true },
    { key: 'bond_type', zh: ['债券类型'], type: 'enum', required: true, values: ['一般债券', '专项债券'] },
    { key: 'purpose', zh: ['用途'], type: 'enum', values: ['新增', '再融资'] },
    { key: 'issue_date', zh: ['发行日期'], type: 'date', required: true },
    { key: 'maturity_date', zh: ['到期日期'], type: 'date', required: true, schedule: true },
    { key: 'coupon_rate', zh: ['票面利率'], type: 'rate', required: true },
    { key: 'amount', zh: ['发行金额', '金额'], type: 'amount', required: true },
  ],
  key: ['bond_code'],
  merge: 'upsert',
  amountColumn: 'amount',
});
