import { Router } from 'express';
import type { Knex } from 'knex';
import { today } from '../../clock.js';
import { fromRegionId } from '../../contract/common.js';
import { createError, ErrorCode } from '../../errors.js';
import { requireAuth, requireRole } from '../../middleware/auth.js';
import { scopedRegion } from '../../middleware/region-scope.js';
import { parseInput } from '../../middleware/validate.js';
import { contentDisposition } from '../reports/service.js';
import { writeXlsx, type TableColumn, type TableRow } from '../exports/table-writer.js';
import { opinionBody } from '../opinions/schema.js';
import { listOpinions } from '../opinions/queries.js';
import { REVIEW_SEVERITY_ZH } from '../../review/index.js';
import { generateOpinionDoc } from './opinion-doc.js';
import { listDocuments, listOpinionDocs, opinionDocContent, opinionDocFileName } from './queries.js';
import { checkIdParam, decisionBody, documentParams, exportQuery, findingIdParam, findingsQuery, lineParams, listParams, listQuery, opinionDocIdParam, opinionDocsQuery, regionQuery } from './schema.js';
import { settingChangeBody } from '../rules/schema.js';
import { reviewList } from './lists.js';
import { changeCheck, checkHistory, decideFinding, findings, listChecks, opinionOnFinding, opinionOnLine, runReview, workspace } from './service.js';

const DOCX_TYPE = 'application/vnd.openxmlformats-officedocument.wordprocessingml.document';
const DECISION_ZH: Record<string, string> = { accepted: '写入意见', rejected: '不采纳' };

/**
 * 预决算审查: everyone signed in reads the documents, findings and checks of their regions and
 * leaves opinions on a finding or a line (deputies too: on the allowlist); staff and admins run
 * the checks, accept or reject findings and generate the 初审意见.
 */
export function reviewRoutes(knex: Knex): Router {
  const router = Router();

  router.get('/review/documents', requireAuth, async (req, res) => {
    res.json({ data: await listDocuments(knex, scopedRegion(req, parseInput(regionQuery, req.query).region)) });
  });

  router.get('/review/documents/:fy/:stage', requireAuth, async (req, res) => {
    const { fy, stage } = parseInput(documentParams, req.params);
    res.json({ data: await workspace(knex, scopedRegion(req, parseInput(regionQuery, req.query).region), fy, stage) });
  });

  router.post('/review/documents/:fy/:stage/run', requireRole('staff', 'admin'), async (req, res) => {
    const { fy, stage } = parseInput(documentParams, req.params);
    res.json({ data: await runReview(knex, scopedRegion(req, parseInput(regionQuery, req.query).region), fy, stage) });
  });

  router.get('/review/documents/:fy/:stage/opinions', requireAuth, async (req, res) => {
    const { fy, stage } = parseInput(documentParams, req.params);
    const region = scopedRegion(req, parseInput(regionQuery, req.query).region);
    res.json({ data: await listOpinions(knex, { regionCodes: [region], target: 'review', review: { fiscalYear: fy, stage } }) });
  });

  router.post('/review/documents/:fy/:stage/lines/:lineNo/opinions', requireAuth, async (req, res) => {
    const { fy, stage, lineNo } = parseInput(lineParams, req.params);
    const region = scopedRegion(req, parseInput(regionQuery, req.query).region);
    const { body } = parseInput(opinionBody, req.body);
    res.status(201).json({ data: await opinionOnLine(knex, req.user!, region, fy, stage, lineNo, body) });
  });

  router.get('/review/findings', requireAuth, async (req, res) => {
    const q = parseInput(findingsQuery, req.query);
    const regions = q.region ? [scopedRegion(req, q.region)] : req.user!.regionCodes;
    res.json({ data: await findings(knex, regions, q) });
  });

  router.post('/review/findings/:id/decision', requireRole('staff', 'admin'), async (req, res) => {
    const { id } = parseInput(findingIdParam, req.params);
    res.json({ data: await decideFinding(knex, req.user!, id, parseInput(decisionBody, req.body)) });
  });

  router.post('/review/findings/:id/opinions', requireAuth, async (req, res) => {
    const { id } = parseInput(findingIdParam, req.params);
    const { body } = parseInput(opinionBody, req.body);
    res.status(201).json({ data: await opinionOnFinding(knex, req.user!, id, body) });
  });

  router.get('/review/checks', requireAuth, async (req, res) => {
    res.json({ data: await listChecks(knex, scopedRegion(req, parseInput(regionQuery, req.query).region)) });
  });

  // Thresholds are changed as the rules' are: by staff or an admin of the region or above, per
  // region (the regions below inherit), versioned, with a reason.
  router.get('/review/checks/:id/history', requireAuth, async (req, res) => {
    const { id } = parseInput(checkIdParam, req.params);
    res.json({ data: await checkHistory(knex, id, scopedRegion(req, parseInput(regionQuery, req.query).region)) });
  });

  router.put('/review/checks/:id', requireRole('staff', 'admin'), async (req, res) => {
    const { id } = parseInput(checkIdParam, req.params);
    const region = scopedRegion(req, parseInput(regionQuery, req.query).region);
    res.json({ data: await changeCheck(knex, req.user!, id, region, parseInput(settingChangeBody, req.body)) });
  });

  router.post('/review/documents/:fy/:stage/opinion-docs', requireRole('staff', 'admin'), async (req, res) => {
    const { fy, stage } = parseInput(documentParams, req.params);
    const region = scopedRegion(req, parseInput(regionQuery, req.query).region);
    res.status(201).json({ data: await generateOpinionDoc(knex, { regionCode: region, fiscalYear: fy, stage, userId: req.user!.id, today: today() }) });
  });

  router.get('/review/opinion-docs', requireAuth, async (req, res) => {
    const q = parseInput(opinionDocsQuery, req.query);
    if (q.region) scopedRegion(req, q.region);
    res.json({ data: await listOpinionDocs(knex, req.user!.regionCodes, q) });
  });

  router.get('/review/opinion-docs/:id/file', requireAuth, async (req, res) => {
    const { id } = parseInput(opinionDocIdParam, req.params);
    // By region and id; a document of a region outside the user's is not read (the same 404 as none).
    const key = fromRegionId(id);
    const row = req.user!.regionCodes.includes(key.regionCode) ? await opinionDocContent(knex, key) : undefined;
    if (!row) throw createError(ErrorCode.NOT_FOUND, `初审意见 ${id} 不存在`, 404);
    res.setHeader('Content-Type', DOCX_TYPE);
    res.setHeader('Content-Disposition', contentDisposition(opinionDocFileName(row)));
    res.setHeader('Content-Length', String(row.content.length));
    res.end(row.content);
  });

  // The workspace's tables as Excel: the lines beside last year's, or the findings with decisions.
  router.get('/review/documents/:fy/:stage/export', requireAuth, async (req, res) => {
    const { fy, stage } = parseInput(documentParams, req.params);
    const q = parseInput(exportQuery, req.query);
    const region = scopedRegion(req, q.region);
    const ws = await workspace(knex, region, fy, stage);
    const name = `预决算审查_${region}_${fy}${stage}_${q.view === 'lines' ? '明细' : '问题清单'}`;
    if (q.view === 'lines') {
      await writeXlsx(res, name, `${fy}年${stage}`, LINE_COLUMNS, rows(ws.lines.map((l) => ({ ...l, findings: l.findingIds.length }))));
    } else {
      await writeXlsx(res, name, '问题清单', FINDING_COLUMNS, rows(ws.findings.map((f) => ({
        ...f, severity: REVIEW_SEVERITY_ZH[f.severity], lineNos: f.lineNos.join('、'), decision: f.decision ? DECISION_ZH[f.decision] : '待定', decidedBy: f.decidedBy?.displayName ?? '',
      }))));
    }
  });

  // 四张清单: JSON for the page, or the same table as Excel (format=xlsx).
  router.get('/review/documents/:fy/:stage/lists/:list', requireAuth, async (req, res) => {
    const { fy, stage, list } = parseInput(listParams, req.params);
    const q = parseInput(listQuery, req.query);
    const region = scopedRegion(req, q.region);
    const table = await reviewList(knex, list, region, fy, stage);
    if (q.format === 'json') return void res.json({ data: table });
    await writeXlsx(res, `${table.title}_${region}_${fy}${stage}`, table.title, table.columns, rows(table.rows));
  });

  return router;
}

async function* rows(list: TableRow[]): AsyncIterable<TableRow> {
  yield* list;
}

const LINE_COLUMNS: TableColumn[] = [
  { key: 'lineNo', header: '行号', type: 'text', width: 8 },
  { key: 'budgetType', header: '预算类型', type: 'text', width: 8 },
  { key: 'direction', header: '收支', type: 'text', width: 6 },
  { key: 'deptName', header: '部门', type: 'text' },
  { key: 'agencyName', header: '单位', type: 'text' },
  { key: 'funcCode', header: '功能科目', type: 'text', width: 10 },
  { key: 'funcName', header: '功能科目名称', type: 'text' },
  { key: 'econCode', header: '经济科目', type: 'text', width: 10 },
  { key: 'revenueCode', header: '收入科目', type: 'text', width: 10 },
  { key: 'spendingKind', header: '支出类型', type: 'text', width: 10 },
  { key: 'projectName', header: '项目', type: 'text' },
  { key: 'amount', header: '金额', type: 'money' },
  { key: 'priorBudget', header: '上年预算数', type: 'money' },
  { key: 'priorActual', header: '上年执行数', type: 'money' },
  { key: 'change', header: '比上年预算增减', type: 'money' },
  { key: 'changePercent', header: '增减%', type: 'percent2dp' },
  { key: 'findings', header: '审查发现', type: 'int' },
  { key: 'note', header: '说明', type: 'text', width: 30 },
];
const FINDING_COLUMNS: TableColumn[] = [
  { key: 'checkId', header: '审查项', type: 'text', width: 8 },
  { key: 'checkName', header: '名称', type: 'text' },
  { key: 'category', header: '类别', type: 'text', width: 8 },
  { key: 'severity', header: '程度', type: 'text', width: 6 },
  { key: 'explanation', header: '说明', type: 'text', width: 60 },
  { key: 'basis', header: '依据', type: 'text', width: 30 },
  { key: 'lineNos', header: '行号', type: 'text' },
  { key: 'decision', header: '处理', type: 'text', width: 10 },
  { key: 'decisionNote', header: '处理说明', type: 'text', width: 30 },
  { key: 'decidedBy', header: '处理人', type: 'text', width: 10 },
];
