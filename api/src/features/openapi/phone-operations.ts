import { confirmBody, enrolBody, inspectBody, issueCodeBody, screenChallengeBody } from '../device-login/schema.js';
import { askQuery } from '../ask/schema.js';
import { homeQuery } from '../phone/schema.js';
import type { ApiOperation } from './operations.js';

/** The deputies' phone (代表端): scan-to-log-in and devices. */
export const PHONE_OPERATIONS: ApiOperation[] = [
  {
    method: 'POST', path: '/api/v1/login-codes', tag: '扫码登录', summary: '为用户发放个人登录码（二维码，一次有效，默认 72 小时过期；工作人员只能为代表发放）', access: ['staff', 'admin'], body: issueCodeBody,
    returns: 'data: { id, user, url, qrPng (PNG data URL), expiresAt } (201); 403 staff for a non-deputy; 404 user outside the issuer\'s regions; 429',
  },
  {
    method: 'POST', path: '/api/v1/auth/enrol', tag: '扫码登录', summary: '用登录码登录本机（长期设备会话，设置 bw_session）', access: 'public', body: enrolBody,
    returns: 'data: { user, regions }; 401 LOGIN_CODE_INVALID | LOGIN_CODE_USED | LOGIN_CODE_EXPIRED; 429 after 10 failures per address in 15 minutes',
  },
  {
    method: 'POST', path: '/api/v1/auth/screen-challenges', tag: '扫码登录', summary: '大屏登录二维码（60 秒有效；轮询密钥在 httpOnly Cookie bw_screen）', access: 'public', body: screenChallengeBody,
    returns: 'data: { qrPng, deviceName, expiresAt, rotateSeconds }',
  },
  {
    method: 'POST', path: '/api/v1/auth/screen-challenges/poll', tag: '扫码登录', summary: '大屏查询扫码结果；手机确认后设置 bw_session（一次）', access: 'public',
    returns: 'data: { status: pending|confirmed|denied|expired, signedIn: { user, regions } | null }; 401 LOGIN_CODE_INVALID without the screen cookie',
  },
  { method: 'POST', path: '/api/v1/auth/screen-challenges/inspect', tag: '扫码登录', summary: '手机查看请求登录的设备（确认前）', access: 'any', body: inspectBody, returns: 'data: { deviceName, ip, createdAt, expiresAt }; 401 LOGIN_CODE_*' },
  { method: 'POST', path: '/api/v1/auth/screen-challenges/confirm', tag: '扫码登录', summary: '手机确认或拒绝大屏登录（一次有效）', access: 'any', body: confirmBody, returns: 'data: { approved, deviceName }; 401 LOGIN_CODE_*' },
  { method: 'GET', path: '/api/v1/auth/devices', tag: '扫码登录', summary: '本人已登录的设备', access: 'any', returns: 'data: [{ id, kind: password|device|screen, deviceName, ip, createdAt, expiresAt, current }]' },
  { method: 'DELETE', path: '/api/v1/auth/devices/:id', tag: '扫码登录', summary: '注销本人的一台设备', access: 'any', returns: 'data: { ok: true }; 404 not the user\'s' },
  {
    method: 'GET', path: '/api/v1/phone/home', tag: '代表端', summary: '代表首页：本地区执行（三个数与月度曲线）、上次访问后的新预警、我的审议意见及办理情况、最新季报', access: ['staff', 'deputy', 'admin'], query: homeQuery,
    returns: 'data: { region, fiscalYear, asOf, execution, alerts, opinions, budgetDraft, latestReport }',
  },
  { method: 'GET', path: '/api/v1/phone/reports/:id', tag: '代表端', summary: '在手机上阅读季度报告（与 .docx 同一内容：段落与表格）', access: ['staff', 'deputy', 'admin'], returns: 'data: { id, regionName, quarter, asOf, generatedAt, fileName, blocks: [{ kind: p, text } | { kind: table, rows }] }' },
  {
    method: 'GET', path: '/api/v1/ask', tag: '代表端', summary: '问数：用一句中文问数（地区、部门、单位、科目、期间、预算/支出/执行率/落后/收入，排名、对比、阈值；逾期未整改；收款人）', access: ['staff', 'deputy', 'admin'], query: askQuery,
    returns: 'data: { question, understood, interpretation (理解为：…), figures: [{ label, kind, value }], rows: [{ name, figures, link }], link (the proving page), dataAsOf, unknownWords, suggestions, tookMs }',
  },
  {
    method: 'GET', path: '/api/v1/login-codes/users', tag: '扫码登录', summary: '可为其发放登录码的用户（工作人员：本地区及下级的人大代表；管理员：全部用户），含已绑定设备数', access: ['staff', 'admin'],
    returns: 'data: [{ id, username, displayName, role, regionCode, regionName, active, lastLoginAt, devices }]',
  },
  { method: 'GET', path: '/api/v1/users/:id/devices', tag: '用户', summary: '某用户已登录的设备（工作人员只能查看人大代表的）', access: ['staff', 'admin'], returns: 'data: [device]; 403 staff for a non-deputy' },
  { method: 'DELETE', path: '/api/v1/users/:id/devices/:sessionId', tag: '用户', summary: '注销某用户的一台设备', access: ['admin'], returns: 'data: { ok: true }' },
];
