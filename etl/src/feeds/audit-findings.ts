import { defineFeed, YEAR } from './define-feed.js';

export const auditFindings = defineFeed({
  name: 'audit_findings',
  title: '审计查出问题',
  table: 'audit_findings',
  order: 40,
  columns: [
    { key: 'finding_no', zh: ['问题编号'], type: 'code', required: true },
    { key: 'audit_year', zh: ['审计年度'], type: 'int', required: true, ...YEAR },
    { key: 'audit_project', zh: ['审计项目'], type: 'text', required: true },
    { key: 'agency_code', zh: ['被审计单位', '被审计单位代码', '单位代码'], type: 'code', required: true },
    { key: 'category', zh: ['问题类别'], type: 'text', required: true },
    { key: 'description', zh: ['问题描述'], type: 'text', required: true, maxLength: 2000 },
    { key: 'amount_involved', zh: ['涉及金额'], type: 'amount' },
    { key: 'rectify_deadline', zh: ['整改期限'], type: 'date', required: true, schedule: true },
    { key: 'status', zh: ['整改状态'], type: 'enum', required: true, values: ['未整改', '整改中', '已整改'] },
    { key: 'rectified_amount', zh: ['已整改金额'], type: 'amount' },
    { key: 'closed_on', zh: ['销号日期'], type: 'date' },
  ],
  key: ['finding_no'],
  merge: 'upsert',
  amountColumn: 'amount_involved',
});
