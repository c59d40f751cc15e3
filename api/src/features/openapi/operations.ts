import { z } from 'zod';
import { assetQuery } from '../assets/routes.js';
import { auditQuery } from '../audit/routes.js';
import { loginBody, passwordBody } from '../auth/schema.js';
import { debtQuery } from '../debt/routes.js';
import { drillQuery, voucherListQuery } from '../drilldown/schema.js';
import { exportFormat } from '../exports/routes.js';
import { EXPORT_VIEWS } from '../exports/views.js';
import { accessLogQuery, createUserBody, listUsersQuery, resetPasswordBody, updateUserBody } from '../users/schema.js';

/** One documented route. `path` is the express path (`/api/v1/users/:id`). */
export interface ApiOperation {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  path: string;
  tag: string;
  summary: string;
  description?: string;
  /** Who may call it: 'public' (no session), 'any' (any role) or the roles allowed. */
  access: 'public' | 'any' | ('staff' | 'deputy' | 'admin' | 'liaison')[];
  /** The path parameters' schemas (an alert's `411100-42`); a parameter not named here is any string. */
  params?: z.ZodObject;
  query?: z.ZodObject;
  body?: z.ZodType;
  /** Description of `data` (and `meta`) in the 200 answer. */
  returns: string;
  /** Non-JSON answers (file downloads). */
  produces?: string[];
}

const drillLevel = (level: string, what: string): ApiOperation => ({
  method: 'GET',
  path: `/api/v1/drill/${level}`,
  tag: '穿透查询',
  summary: what,
  access: 'any',
  query: drillQuery,
  returns:
    'data: { level, fiscalYear, asOf, timeProgress, filters, codeLength?, rows: [{ code, name, kind: item|unmatched, exactCode? (drill with funcExact/econExact), budget, paid, paidWithIndicator, ' +
    'paidWithoutIndicator, unpaidBalance, voucherCount, executionRateExact, executionPercent2dp, behindProgressPoints2dp, indicator? }], total, ' +
    'reconciliation: [{ key, label, amount }] }. Amounts are decimal strings; *Exact = 20 significant digits, *2dp = rounded half-up to 2 decimals. ' +
    'total equals the sum of rows to the cent.',
});

/** The API engineer's routes. Other features' operations are listed in other-operations.ts. */
export const OPERATIONS: ApiOperation[] = [
  { method: 'GET', path: '/api/health', tag: '系统', summary: '健康检查（数据库、迁移版本）', access: 'public', returns: '{ status, database, schema, today, dataAsOf } (not wrapped in data); 503 { status: error, database } when the database is unreachable' },
  { method: 'GET', path: '/api/v1/health', tag: '系统', summary: '健康检查（同 /api/health）', access: 'public', returns: '{ status, database, schema, today, dataAsOf }' },
  { method: 'GET', path: '/api/v1/openapi.json', tag: '系统', summary: '本接口文档（OpenAPI 3.1）', access: 'public', returns: 'the OpenAPI document' },

  { method: 'POST', path: '/api/v1/auth/login', tag: '认证', summary: '登录（设置 httpOnly 会话 Cookie bw_session）', access: 'public', body: loginBody, returns: 'data: { user: { id, username, displayName, role, regionCode, regionCodes, mustChangePassword }, regions: [{ code, name, level, parentCode }] }; 401 UNAUTHENTICATED; 429 RATE_LIMITED. mustChangePassword: every route but /auth/me, /auth/password and logout answers 403 PASSWORD_CHANGE_REQUIRED until the password is changed' },
  { method: 'POST', path: '/api/v1/auth/logout', tag: '认证', summary: '退出登录', access: 'public', returns: 'data: { ok: true }' },
  { method: 'GET', path: '/api/v1/auth/me', tag: '认证', summary: '当前用户与可见地区', access: 'any', returns: 'data: { user, regions }' },
  {
    method: 'POST', path: '/api/v1/auth/password', tag: '认证', summary: '修改本人密码（须原密码；与登录同一限速；其他会话失效）', access: 'any', body: passwordBody,
    returns: 'data: { ok: true }; 400 wrong current password; 429 RATE_LIMITED',
  },

  {
    method: 'GET', path: '/api/v1/drill/summary', tag: '穿透查询', summary: '地区总览：四本预算、时序进度、执行、月度累计', access: 'any', query: drillQuery,
    returns: 'data: { region, fiscalYear, asOf, timeProgress: { convention, elapsed, total, rateExact, percent2dp }, fundTypes: [figures + { code, name, revenue: { budget, actual, executionRateExact, executionPercent2dp } }], total, reconciliation, monthly: [{ month, paid, cumulativePaid, budget }] }',
  },
  drillLevel('regions', '分地区（本级及下级地区）'),
  drillLevel('fund-types', '分预算（资金性质）'),
  drillLevel('departments', '分主管部门'),
  drillLevel('units', '分预算单位'),
  drillLevel('functions', '分功能分类 类/款/项（按 func 前缀逐级下钻）'),
  drillLevel('economics', '分经济分类 类/款'),
  drillLevel('indicators', '分预算指标（含“无指标支付”行）'),
  {
    method: 'GET', path: '/api/v1/drill/vouchers', tag: '穿透查询', summary: '支付凭证（键集分页，按日期或金额排序，可按路径任一层、日期、收款人、金额区间筛选）', access: 'any', query: voucherListQuery,
    returns: 'data: [voucher rows; payeeAccount masked for deputies and liaisons], meta: { asOf, fiscalYear, sort, order, limit, nextCursor, total?: { count, amount } (first page only) }',
  },
  {
    method: 'GET', path: '/api/v1/drill/vouchers/:voucherNo', tag: '穿透查询', summary: '单张凭证及其来源（批次、文件、行号、指标、历史版本）', access: 'any', query: drillQuery.pick({ region: true }),
    returns: 'data: { voucher, batch, file, sourceLine, indicator, superseded }',
  },

  { method: 'GET', path: '/api/v1/debt/summary', tag: '政府债务', summary: '限额、余额、债务率及风险等级', access: 'any', query: debtQuery, returns: 'data: { asOf, fiscalYear, available, general, special, total, fiscalCapacity, debtRatio: { rateExact, percent2dp, grade }, bonds, lineage }' },
  { method: 'GET', path: '/api/v1/debt/bonds', tag: '政府债务', summary: '债券列表', access: 'any', query: debtQuery, returns: 'data: [{ regionCode, bondCode, bondName, bondType, purpose, issueDate, maturityDate, couponRate, amount, principalRepaid, nextDueDate }], meta: { asOf, total?, page?, pageSize? }' },
  { method: 'GET', path: '/api/v1/debt/maturities', tag: '政府债务', summary: '到期结构（按年或按月）', access: 'any', query: debtQuery, returns: 'data: [{ period, principal, interest, paid, repayments }]' },
  { method: 'GET', path: '/api/v1/debt/repayments', tag: '政府债务', summary: '还本付息（待还、逾期、已还）', access: 'any', query: debtQuery, returns: 'data: [{ regionCode, bondCode, bondName, bondType, dueDate, principal, interest, paidOn, paidAmount, daysOverdue }], meta: { asOf, status, total?, page?, pageSize? }' },

  { method: 'GET', path: '/api/v1/assets/reports', tag: '国有资产', summary: '国有资产报表及资产负债率', access: 'any', query: assetQuery, returns: 'data: [report rows with netAssets, liabilityRatioExact, liabilityPercent2dp], meta: { year, categories: [{ assetCategory, entities, totalAssets, totalLiabilities, liabilityPercent2dp }] }' },
  { method: 'GET', path: '/api/v1/assets/cards', tag: '国有资产', summary: '资产卡片（含状态持续天数）', access: 'any', query: assetQuery, returns: 'data: [card rows with daysInStatus]' },
  { method: 'GET', path: '/api/v1/assets/idle', tag: '国有资产', summary: '闲置资产及闲置天数', access: 'any', query: assetQuery, returns: 'data: [card rows with daysInStatus]' },

  { method: 'GET', path: '/api/v1/audit/findings', tag: '审计整改', summary: '审计查出问题清单', access: 'any', query: auditQuery, returns: 'data: [finding rows with overdue, daysOverdue, unrectifiedAmount], meta: { asOf, statusCounts: [{ status, findings, amountInvolved, overdue }] }' },
  { method: 'GET', path: '/api/v1/audit/overdue', tag: '审计整改', summary: '逾期未整改问题', access: 'any', query: auditQuery, returns: 'data: [finding rows]' },
  { method: 'GET', path: '/api/v1/audit/repeats', tag: '审计整改', summary: '屡审屡犯（同单位同类问题跨两个以上审计年度）', access: 'any', query: auditQuery, returns: 'data: [{ agencyCode, agencyName, category, auditYears, findings, findingNos }]' },

  { method: 'GET', path: '/api/v1/users', tag: '用户管理', summary: '用户列表（本地区及下级）', access: ['admin'], query: listUsersQuery, returns: 'data: [user]' },
  { method: 'GET', path: '/api/v1/users/:id', tag: '用户管理', summary: '单个用户', access: ['admin'], returns: 'data: user' },
  { method: 'POST', path: '/api/v1/users', tag: '用户管理', summary: '新建用户', access: ['admin'], body: createUserBody, returns: 'data: user (201)' },
  { method: 'PATCH', path: '/api/v1/users/:id', tag: '用户管理', summary: '修改姓名、角色、地区或停用/启用', access: ['admin'], body: updateUserBody, returns: 'data: user' },
  { method: 'POST', path: '/api/v1/users/:id/reset-password', tag: '用户管理', summary: '重置密码（未给新密码时生成临时密码；用户首次登录须修改）', access: ['admin'], body: resetPasswordBody, returns: 'data: { id, temporaryPassword? }' },
  {
    method: 'GET', path: '/api/v1/access-log', tag: '用户管理', summary: '登录日志（谁、何时、从哪里；失败的尝试）', access: ['admin'], query: accessLogQuery,
    returns: 'data: [{ id, at, username, displayName, regionCode, regionName, ip, userAgent, outcome: success|bad_password|unknown_user|inactive }], meta: paging',
  },

  {
    method: 'GET', path: '/api/v1/exports/:view', tag: '导出', access: 'any', query: exportFormat,
    summary: '把任一表格导出为 .xlsx 或 CSV（UTF-8 BOM）',
    description: `view: ${Object.keys(EXPORT_VIEWS).join(' | ')}; plus the query parameters of the matching screen (e.g. the voucher list filters).`,
    returns: 'a file', produces: ['application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', 'text/csv'],
  },
];
