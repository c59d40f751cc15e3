import { Router } from 'express';
import type { Knex } from 'knex';
import { createError, ErrorCode } from '../../errors.js';
import { assertRegionVisible, requireAuth, requireRole } from '../../middleware/auth.js';
import { parseInput } from '../../middleware/validate.js';
import { findReport, listReports, reportContent } from './queries.js';
import { generateBody, idParam, listQuery } from './schema.js';
import { contentDisposition, generateAndArchive } from './service.js';
import { toArchivedReport, toReport } from './wire.js';

const DOCX_TYPE = 'application/vnd.openxmlformats-officedocument.wordprocessingml.document';

/** /reports: generate (staff, admin), list and download (anyone logged in, within their regions). */
export function reportsRoutes(knex: Knex, opts: { timeZone: string }): Router {
  const router = Router();
  router.use('/reports', requireAuth);

  router.post('/reports/generate', requireRole('staff', 'admin'), async (req, res) => {
    const { region, quarter, scope } = parseInput(generateBody, req.body);
    assertRegionVisible(req, region);
    const report = await generateAndArchive(knex, { regionCode: region, quarter, scope, userId: req.user!.id }, { timeZone: opts.timeZone });
    res.status(201).json({ data: toArchivedReport(report) });
  });

  router.get('/reports', async (req, res) => {
    const f = parseInput(listQuery, req.query);
    if (f.region) assertRegionVisible(req, f.region);
    res.json({ data: (await listReports(knex, req.user!.regionCodes, f)).map(toReport) });
  });

  router.get('/reports/:id', async (req, res) => {
    const { id } = parseInput(idParam, req.params);
    const meta = await findReport(knex, id);
    if (!meta || !req.user!.regionCodes.includes(meta.region_code)) throw createError(ErrorCode.NOT_FOUND, `报告 ${id} 不存在`, 404);
    res.json({ data: toReport(meta) });
  });

  router.get('/reports/:id/download', async (req, res) => {
    const { id } = parseInput(idParam, req.params);
    const row = await reportContent(knex, id);
    // A report of a region outside the user's scope answers as if it did not exist.
    if (!row || !req.user!.regionCodes.includes(row.region_code)) throw createError(ErrorCode.NOT_FOUND, `报告 ${id} 不存在`, 404);
    res.setHeader('Content-Type', DOCX_TYPE);
    res.setHeader('Content-Disposition', contentDisposition(row.file_name));
    res.setHeader('Content-Length', String(row.content.length));
    res.end(row.content);
  });

  return router;
}
