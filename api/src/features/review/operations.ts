import type { ApiOperation } from '../openapi/operations.js';
import { opinionBody } from '../opinions/schema.js';
import { decisionBody, exportQuery, findingIdParam, findingsQuery, listQuery, opinionDocIdParam, opinionDocsQuery, regionQuery } from './schema.js';
import { settingChangeBody } from '../rules/schema.js';

const T = '预决算审查';

/** The review feature's routes in the OpenAPI document. */
export const REVIEW_OPERATIONS: ApiOperation[] = [
  { method: 'GET', path: '/api/v1/review/documents', tag: T, summary: '地区的预决算文件（年度 × 阶段），行数、收支合计、审查发现计数', access: 'any', query: regionQuery, returns: 'data: [ReviewDocument]' },
  { method: 'GET', path: '/api/v1/review/documents/:fy/:stage', tag: T, summary: '审查工作台：逐行对比上年预算与执行、审查发现、按预算类型/功能分类/部门汇总', access: 'any', query: regionQuery, returns: 'data: ReviewWorkspace; 404 no such document' },
  { method: 'POST', path: '/api/v1/review/documents/:fy/:stage/run', tag: T, summary: '立即运行审查（D01–D14）', access: ['staff', 'admin'], query: regionQuery, returns: 'data: { checks, inserted, updated, removed, stale }' },
  { method: 'GET', path: '/api/v1/review/documents/:fy/:stage/opinions', tag: T, summary: '对该文件（行或审查发现）的审议意见', access: 'any', query: regionQuery, returns: 'data: [opinion]' },
  { method: 'POST', path: '/api/v1/review/documents/:fy/:stage/lines/:lineNo/opinions', tag: T, summary: '对某一行提出审议意见（代表可用）', access: 'any', query: regionQuery, body: opinionBody, returns: 'data: opinion (201)' },
  { method: 'GET', path: '/api/v1/review/findings', tag: T, summary: '审查发现（问题清单），可按年度、阶段、审查项、程度、类别、处理状态、单位、行号筛选', access: 'any', query: findingsQuery, returns: 'data: [ReviewFinding]' },
  { method: 'POST', path: '/api/v1/review/findings/:id/decision', params: findingIdParam, tag: T, summary: '写入意见或不采纳（附说明）', access: ['staff', 'admin'], body: decisionBody, returns: 'data: ReviewFinding' },
  { method: 'POST', path: '/api/v1/review/findings/:id/opinions', params: findingIdParam, tag: T, summary: '对审查发现提出审议意见（代表可用）', access: 'any', body: opinionBody, returns: 'data: opinion (201)' },
  { method: 'GET', path: '/api/v1/review/checks', tag: T, summary: '审查项 D01–D14 及其阈值（版本号）', access: 'any', query: regionQuery, returns: 'data: [ReviewCheck]' },
  { method: 'GET', path: '/api/v1/review/checks/:id/history', tag: T, summary: '审查项阈值的调整记录（本地区、上级地区和默认值的）', access: 'any', query: regionQuery, returns: 'data: [{ version, regionCode, regionName, paramsOld, paramsNew, enabledOld, enabledNew, changedBy, reason, changedAt }]' },
  { method: 'PUT', path: '/api/v1/review/checks/:id', tag: T, summary: '调整地区的审查项阈值或启停（须填原因；下次运行审查时生效；本地区或上级地区的工作人员）', access: ['staff', 'admin'], query: regionQuery, body: settingChangeBody, returns: 'data: ReviewCheck; 400 params outside the check\'s schema' },
  { method: 'POST', path: '/api/v1/review/documents/:fy/:stage/opinion-docs', tag: T, summary: '生成初审意见（.docx，归档）', access: ['staff', 'admin'], query: regionQuery, returns: 'data: OpinionDoc (201)' },
  { method: 'GET', path: '/api/v1/review/opinion-docs', tag: T, summary: '已归档的初审意见', access: 'any', query: opinionDocsQuery, returns: 'data: [OpinionDoc]' },
  { method: 'GET', path: '/api/v1/review/opinion-docs/:id/file', params: opinionDocIdParam, tag: T, summary: '下载初审意见', access: 'any', returns: 'the .docx', produces: ['application/vnd.openxmlformats-officedocument.wordprocessingml.document'] },
  { method: 'GET', path: '/api/v1/review/documents/:fy/:stage/export', tag: T, summary: '导出 Excel：明细（view=lines）或问题清单（view=findings）', access: 'any', query: exportQuery, returns: 'the .xlsx', produces: ['application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'] },
  { method: 'GET', path: '/api/v1/review/documents/:fy/:stage/lists/:list', tag: T, summary: '四张清单：项目（projects）、标准（standards）、问题（problems）、绩效（performance）；format=xlsx 导出 Excel', access: 'any', query: listQuery, returns: 'data: { title, note, columns: [{ key, header, type }], rows }', produces: ['application/json', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'] },
];
