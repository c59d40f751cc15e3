import { defineFeed, FUNC_CODE, YEAR } from './define-feed.js';

export const TRANSFER_KINDS = ['一般性转移支付', '共同财政事权转移支付', '专项转移支付', '直达资金'] as const;

/**
 * 转移支付与直达资金: money received from the level above (收到上级) or passed to the levels
 * below (下达下级), with the dates of its way (arrival, allocation) and the indicator it became.
 * A later delivery repeating a transfer_no corrects it (typically filling allocated_on).
 * Dates are not cross-checked: an indicator may be allocated before the cash arrives (提前下达),
 * and a notice may come before its money (received_on empty; R22/R23 wait for it).
 */
export const transferPayments = defineFeed({
  name: 'transfer_payments',
  title: '转移支付与直达资金',
  table: 'transfer_payments',
  order: 110,
  columns: [
    { key: 'transfer_no', zh: ['文号/编号', '文号', '编号'], type: 'code', required: true },
    { key: 'fiscal_year', zh: ['预算年度', '年度'], type: 'int', required: true, ...YEAR },
    { key: 'direction', zh: ['方向'], type: 'enum', required: true, values: ['收到上级', '下达下级'] },
    { key: 'kind', zh: ['类别', '转移支付类别'], type: 'enum', required: true, values: TRANSFER_KINDS },
    { key: 'counterpart_region', zh: ['对方地区', '对方地区代码'], type: 'code', required: true, pattern: /^[1-9]\d{5}$/, patternHint: '6 位行政区划代码' },
    { key: 'func_code', zh: ['功能分类科目', '功能科目'], type: 'code', pattern: FUNC_CODE, patternHint: '3、5 或 7 位数字' },
    { key: 'title', zh: ['资金名称'], type: 'text', required: true },
    { key: 'amount', zh: ['金额'], type: 'amount', required: true },
    { key: 'received_on', zh: ['到账日期'], type: 'date' },
    { key: 'allocated_on', zh: ['分配下达日期', '下达日期'], type: 'date' },
    { key: 'indicator_no', zh: ['对应指标编号', '指标编号'], type: 'code' },
  ],
  key: ['transfer_no'],
  merge: 'upsert',
  amountColumn: 'amount',
});
