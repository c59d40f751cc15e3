import { alertIdParam, bulkTransitionBody, listAlertsQuery, opinionParams, statsQuery, transitionBody } from '../alerts/schema.js';
import { batchesQuery, freshnessQuery, quarantineQuery, regionQuery, rerunBody, runsQuery } from '../data/schema.js';
import { answerBody, departmentQuery, listOpinionsQuery, opinionBody, opinionIdParam } from '../opinions/schema.js';
import { generateBody, listQuery as reportListQuery } from '../reports/schema.js';
import { evaluateBody, evaluationsQuery, ruleRegionQuery, timeProgressBody, timeProgressQuery, settingChangeBody } from '../rules/schema.js';
import { acceptBody, attachmentIdParam, letterheadBody, listRepliesQuery, replyIdParam, returnBody } from '../liaison/schema.js';
import type { ApiOperation } from './operations.js';
import { reminderQuery } from '../reminders/routes.js';

/**
 * Routes owned by the other features (alerts, rules, data/ETL, reports), documented here so
 * /api/v1/openapi.json covers the whole router; the contract test fails when one is missing.
 */
export const OTHER_OPERATIONS: ApiOperation[] = [
  { method: 'GET', path: '/api/v1/alerts', tag: '预警', summary: '预警列表（按规则、等级、状态、部门、期间筛选）', access: 'any', query: listAlertsQuery, returns: 'data: [alert], meta: paging' },
  { method: 'GET', path: '/api/v1/alerts/stats', tag: '预警', summary: '预警统计（按等级、状态）', access: 'any', query: statsQuery, returns: 'data: counts' },
  { method: 'GET', path: '/api/v1/alerts/:id', params: alertIdParam, tag: '预警', summary: '预警详情（度量值、阈值、说明、处理记录、审议意见）', access: 'any', returns: 'data: alert with events and opinions' },
  {
    method: 'POST', path: '/api/v1/alerts/bulk-transitions', tag: '预警', summary: '批量确认、交办或误报（同一理由；全部成功或全部不变）', access: ['staff', 'admin'], body: bulkTransitionBody,
    returns: 'data: { updated, to }; 409 INVALID_TRANSITION naming every alert that cannot make the move (nothing changed)',
  },
  { method: 'POST', path: '/api/v1/alerts/:id/transitions', params: alertIdParam, tag: '预警', summary: '预警处理：确认、交办、反馈、销号、误报', access: ['staff', 'admin'], body: transitionBody, returns: 'data: alert' },
  { method: 'POST', path: '/api/v1/alerts/:id/opinions', params: alertIdParam, tag: '预警', summary: '提出审议意见（代表可用）', access: 'any', body: opinionBody, returns: 'data: opinion (201)' },
  { method: 'POST', path: '/api/v1/alerts/:id/opinions/:opinionId/answer', params: opinionParams, tag: '预警', summary: '答复审议意见', access: ['staff', 'admin'], body: answerBody, returns: 'data: opinion' },

  {
    method: 'GET', path: '/api/v1/opinions', tag: '审议意见', summary: '审议意见列表（预警与部门，可只看未答复；最新在前）', access: 'any', query: listOpinionsQuery,
    returns: 'data: [opinion { id, target: alert|department, alertId, alert: { ruleId, subjectName, ruleName? } | null, regionCode, regionName, deptCode, deptName, body, author: { id, displayName, role }, createdAt, answer, answeredBy, answeredAt }], meta: { total, page, pageSize }',
  },
  { method: 'POST', path: '/api/v1/opinions/:id/answer', params: opinionIdParam, tag: '审议意见', summary: '答复审议意见（预警或部门的；本地区及下级）', access: ['staff', 'admin'], body: answerBody, returns: 'data: opinion; 404 NOT_FOUND outside the user\'s regions' },
  {
    method: 'GET', path: '/api/v1/departments/:dept/opinions', tag: '审议意见', summary: '某主管部门的审议意见及答复（region 缺省为本人地区）', access: 'any', query: departmentQuery,
    returns: 'data: { department: { regionCode, code, name }, opinions: [opinion], oldest first }; 403 region outside scope; 404 unknown department',
  },
  {
    method: 'POST', path: '/api/v1/departments/:dept/opinions', tag: '审议意见', summary: '对主管部门提出审议意见（代表可用）', access: 'any', query: departmentQuery, body: opinionBody,
    returns: 'data: opinion (201); 404 unknown department',
  },

  { method: 'GET', path: '/api/v1/liaison/items', tag: '部门联络员', summary: '交办给本人所联络单位的预警与审议意见（仅部门联络员）', access: ['liaison'], returns: 'data: { agencies: [{ code, name }], alerts: [alert], opinions: [opinion] }' },
  { method: 'GET', path: '/api/v1/liaison/alerts/:id', params: alertIdParam, tag: '部门联络员', summary: '交办预警详情、处理记录与本单位的答复', access: ['liaison'], returns: 'data: alert with events, replies, opinions, canReply; 404 when not assigned to the liaison\'s agencies' },
  {
    method: 'POST', path: '/api/v1/liaison/alerts/:id/replies', params: alertIdParam, tag: '部门联络员', summary: '答复交办预警（multipart/form-data：body 文本，files 附件，PDF/图片/Office，每个 ≤ 10 MB，最多 5 个）', access: ['liaison'],
    returns: 'data: reply (201); the alert moves 已交办 → 已反馈; 413 too large; 415 type not allowed or content not matching its extension', produces: ['application/json'],
  },
  { method: 'POST', path: '/api/v1/liaison/opinions/:id/replies', params: opinionIdParam, tag: '部门联络员', summary: '答复审议意见（multipart/form-data，同上）', access: ['liaison'], returns: 'data: reply (201)' },
  { method: 'GET', path: '/api/v1/attachments/:id', params: attachmentIdParam, tag: '部门联络员', summary: '下载答复附件（本地区及下级；联络员仅本单位）', access: 'any', returns: 'the file', produces: ['application/octet-stream'] },
  { method: 'GET', path: '/api/v1/replies', tag: '交办', summary: '部门答复列表（可按状态：待采纳、已采纳、已退回）', access: ['staff', 'deputy', 'admin'], query: listRepliesQuery, returns: 'data: [reply { id, alertId, opinionId, agencyName, body, status, author, attachments, reviewedBy, reviewNote }]' },
  { method: 'POST', path: '/api/v1/replies/:id/accept', params: replyIdParam, tag: '交办', summary: '采纳部门答复（预警销号；意见以此为答复）', access: ['staff', 'admin'], body: acceptBody, returns: 'data: reply' },
  { method: 'POST', path: '/api/v1/replies/:id/return', params: replyIdParam, tag: '交办', summary: '退回部门答复（预警回到已交办，可给新的答复期限）', access: ['staff', 'admin'], body: returnBody, returns: 'data: reply' },
  {
    method: 'GET', path: '/api/v1/alerts/:id/letter', params: alertIdParam, tag: '交办', summary: '交办函（.docx，可打印）', access: ['staff', 'deputy', 'admin'], returns: 'the .docx file; 409 when the alert was never assigned',
    produces: ['application/vnd.openxmlformats-officedocument.wordprocessingml.document'],
  },
  { method: 'GET', path: '/api/v1/settings/letterhead', tag: '交办', summary: '交办函的发文机关、落款、联系人', access: ['staff', 'deputy', 'admin'], returns: 'data: { office, signature, contact }' },
  { method: 'PUT', path: '/api/v1/settings/letterhead', tag: '交办', summary: '设置交办函的发文机关、落款、联系人', access: ['admin'], body: letterheadBody, returns: 'data: { office, signature, contact }' },

  { method: 'GET', path: '/api/v1/rules', tag: '预警规则', summary: '地区的规则目录及当前阈值、版本（未单独设置的沿用上级；regionCode 为设置所在地区）', access: 'any', query: ruleRegionQuery, returns: 'data: [rule], meta: time-progress setting' },
  { method: 'GET', path: '/api/v1/rules/time-progress', tag: '预警规则', summary: '地区的时序进度口径及当前值', access: 'any', query: timeProgressQuery.merge(ruleRegionQuery), returns: 'data: { convention, … }' },
  { method: 'GET', path: '/api/v1/rules/time-progress/history', tag: '预警规则', summary: '地区时序进度口径的调整历史（原口径、新口径、谁、何时）', access: 'any', query: ruleRegionQuery, returns: 'data: [change]' },
  { method: 'GET', path: '/api/v1/reminders', tag: '交办', summary: '交办答复提醒：每晚生成的逾期或 3 天内到期未答复的交办事项（最近一次，或 on 日期当晚的）', access: 'any', query: reminderQuery, returns: 'data: { listedOn, withinDays, items }' },
  { method: 'POST', path: '/api/v1/reminders', tag: '交办', summary: '立即重新生成今天的交办答复提醒（与夜间任务相同）', access: ['staff', 'admin'], returns: 'data: { listedOn, withinDays, items }' },
  { method: 'PUT', path: '/api/v1/rules/time-progress', tag: '预警规则', summary: '设置地区的时序进度口径（按天/按月；本地区或上级地区的工作人员）', access: ['staff', 'admin'], query: ruleRegionQuery, body: timeProgressBody, returns: 'data: setting' },
  { method: 'POST', path: '/api/v1/rules/evaluate', tag: '预警规则', summary: '立即运行规则', access: ['staff', 'admin'], body: evaluateBody, returns: 'data: evaluation summary' },
  { method: 'GET', path: '/api/v1/rules/evaluations', tag: '预警规则', summary: '最近的规则运行', access: 'any', query: evaluationsQuery, returns: 'data: [evaluation]' },
  { method: 'GET', path: '/api/v1/rules/:id', tag: '预警规则', summary: '单条规则（地区的生效设置）', access: 'any', query: ruleRegionQuery, returns: 'data: rule' },
  { method: 'GET', path: '/api/v1/rules/:id/history', tag: '预警规则', summary: '阈值调整历史（地区、谁、何时、原值、新值、原因），本地区及上级', access: 'any', query: ruleRegionQuery, returns: 'data: [change]' },
  { method: 'PUT', path: '/api/v1/rules/:id', tag: '预警规则', summary: '调整地区的阈值或启停（须填原因；本地区或上级地区的工作人员）', access: ['staff', 'admin'], query: ruleRegionQuery, body: settingChangeBody, returns: 'data: rule' },

  { method: 'GET', path: '/api/v1/data/runs', tag: '数据', summary: 'ETL 运行记录（触发方式、状态、各数据包结果）', access: 'any', query: runsQuery, returns: 'data: [run], meta: paging' },
  { method: 'GET', path: '/api/v1/data/batches', tag: '数据', summary: '数据包批次及各文件行数、隔离数、金额合计；拒收原因', access: 'any', query: batchesQuery, returns: 'data: [batch with files], meta: paging' },
  { method: 'GET', path: '/api/v1/data/feeds', tag: '数据', summary: '各地区各数据集的表内行数、控制合计与最近一次装载', access: 'any', query: regionQuery, returns: 'data: [feed status]' },
  { method: 'GET', path: '/api/v1/data/freshness', tag: '数据', summary: '数据新鲜度（最新业务日期、滞后天数）；scope=all 时含下级地区（全辖的数据截至）', access: 'any', query: freshnessQuery, returns: 'data: [freshness], meta: expected business date' },
  { method: 'GET', path: '/api/v1/data/quarantine', tag: '数据', summary: '隔离行（文件、行号、列、原因、原始行），分页', access: 'any', query: quarantineQuery, returns: 'data: [row], meta: total + paging' },
  { method: 'POST', path: '/api/v1/data/rerun', tag: '数据', summary: '重新装载某地区某业务日期的数据', access: ['staff', 'admin'], body: rerunBody, returns: 'data: run with bundle results' },

  { method: 'POST', path: '/api/v1/reports/generate', tag: '报告', summary: '生成季度预算执行情况报告（.docx）并归档', access: ['staff', 'admin'], body: generateBody, returns: 'data: report metadata (201)' },
  { method: 'GET', path: '/api/v1/reports', tag: '报告', summary: '已归档报告列表', access: 'any', query: reportListQuery, returns: 'data: [report metadata]' },
  { method: 'GET', path: '/api/v1/reports/:id', tag: '报告', summary: '单份报告信息', access: 'any', returns: 'data: report metadata' },
  {
    method: 'GET', path: '/api/v1/reports/:id/download', tag: '报告', summary: '下载报告 .docx', access: 'any', returns: 'the .docx file',
    produces: ['application/vnd.openxmlformats-officedocument.wordprocessingml.document'],
  },
];
