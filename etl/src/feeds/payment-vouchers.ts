import { defineFeed, ECON_CODE, FUNC_CODE, FUND_TYPES, YEAR } from './define-feed.js';

export const paymentVouchers = defineFeed({
  name: 'payment_vouchers',
  title: '支付凭证',
  table: 'payment_vouchers',
  order: 20,
  columns: [
    { key: 'voucher_no', zh: ['凭证号', '支付凭证号'], type: 'code', required: true },
    { key: 'fiscal_year', zh: ['预算年度', '年度'], type: 'int', required: true, ...YEAR },
    { key: 'pay_date', zh: ['支付日期'], type: 'date', required: true },
    { key: 'agency_code', zh: ['单位代码', '预算单位代码'], type: 'code', required: true },
    // Empty or unknown is a finding (R03 无指标支付), not a data error.
    { key: 'indicator_no', zh: ['指标编号', '指标ID'], type: 'code' },
    { key: 'func_code', zh: ['功能分类科目', '功能科目', '功能分类'], type: 'code', required: true, pattern: FUNC_CODE, patternHint: '3、5 或 7 位数字' },
    { key: 'econ_code', zh: ['经济分类科目', '经济科目', '经济分类'], type: 'code', required: true, pattern: ECON_CODE, patternHint: '3 或 5 位数字' },
    { key: 'fund_type', zh: ['资金性质'], type: 'enum', required: true, values: FUND_TYPES },
    { key: 'project_code', zh: ['项目编码', '项目代码'], type: 'code' },
    { key: 'payee_name', zh: ['收款人', '收款人名称', '收款人全称'], type: 'text', required: true },
    { key: 'payee_account', zh: ['收款账号', '收款人账号'], type: 'code' },
    { key: 'pay_method', zh: ['支付方式'], type: 'enum', values: ['国库集中支付', '授权支付', '直接支付'] },
    { key: 'purpose', zh: ['用途', '摘要'], type: 'text' },
    { key: 'amount', zh: ['金额', '支付金额'], type: 'amount', required: true },
  ],
  key: ['voucher_no'],
  merge: 'upsert',
  amountColumn: 'amount',
  deptFrom: 'agency_code',
});
