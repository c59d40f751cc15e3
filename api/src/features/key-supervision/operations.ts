import type { ApiOperation } from '../openapi/operations.js';
import { baseQuery, projectsQuery, transfersQuery } from './routes.js';

const T = '重点监督';

/** The key-supervision feature's routes in the OpenAPI document (answers: ./contract.ts). */
export const KEY_SUPERVISION_OPERATIONS: ApiOperation[] = [
  { method: 'GET', path: '/api/v1/performance/projects', tag: T, summary: '绩效监控：项目按支出进度与绩效目标完成的差距排序', access: 'any', query: projectsQuery, returns: 'data: [PerformanceProject], meta: page' },
  { method: 'GET', path: '/api/v1/performance/projects/:indicator', tag: T, summary: '一个项目：支出曲线、绩效目标完成情况、相关预警', access: 'any', query: baseQuery, returns: 'data: PerformanceProjectDetail; 404 no such indicator' },
  { method: 'GET', path: '/api/v1/transfers/summary', tag: T, summary: '转移支付：上级下达与下达下级，按类别汇总', access: 'any', query: baseQuery, returns: 'data: TransferSummary' },
  { method: 'GET', path: '/api/v1/transfers', tag: T, summary: '转移支付明细：从到达到分配、指标、首笔支付的路径与天数', access: 'any', query: transfersQuery, returns: 'data: [Transfer], meta: page' },
  { method: 'GET', path: '/api/v1/key-supervision/overview', tag: T, summary: '重点监督概览：绩效、转移支付与直达资金、大额与拆分支付（R19–R23）', access: 'any', query: baseQuery, returns: 'data: KeySupervisionOverview' },
];
