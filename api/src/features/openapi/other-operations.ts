import { generateBody, listQuery as reportListQuery } from '../reports/schema.js';
import type { ApiOperation } from './operations.js';

/**
 * Routes owned by the other features (alerts, rules, data/ETL, reports), documented here so
 * /api/v1/openapi.json covers the whole router; the contract test fails when one is missing.
 */
export const OTHER_OPERATIONS: ApiOperation[] = [
  { method: 'POST', path: '/api/v1/reports/generate', tag: '报告', summary: '生成季度预算执行情况报告（.docx）并归档', access: ['staff', 'admin'], body: generateBody, returns: 'data: report metadata (201)' },
  { method: 'GET', path: '/api/v1/reports', tag: '报告', summary: '已归档报告列表', access: 'any', query: reportListQuery, returns: 'data: [report metadata]' },
  { method: 'GET', path: '/api/v1/reports/:id', tag: '报告', summary: '单份报告信息', access: 'any', returns: 'data: report metadata' },
  {
    method: 'GET', path: '/api/v1/reports/:id/download', tag: '报告', summary: '下载报告 .docx', access: 'any', returns: 'the .docx file',
    produces: ['application/vnd.openxmlformats-officedocument.wordprocessingml.document'],
  },
];
