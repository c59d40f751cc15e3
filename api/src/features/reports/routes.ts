import { Router, type Request } from 'express';
import type { Knex } from 'knex';
import { fromRegionId, type RegionKey } from '../../contract/common.js';
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

  /** The report a URL names (`411100-42`), if its region is the user's; a report elsewhere answers as if it did not exist, unread. */
  const visible = <T>(req: Request, find: (key: RegionKey) => Promise<T | undefined>): Promise<T> => {
    const { id } = parseInput(idParam, req.params);
    const key = fromRegionId(id);
    return (req.user!.regionCodes.includes(key.regionCode) ? find(key) : Promise.resolve(undefined)).then((row) => {
      if (!row) throw createError(ErrorCode.NOT_FOUND, `报告 ${id} 不存在`, 404);
      return row;
    });
  };

  router.get('/reports/:id', async (req, res) => {
    res.json({ data: toReport(await visible(req, (key) => findReport(knex, key))) });
  });

  router.get('/reports/:id/download', async (req, res) => {
    const row = await visible(req, (key) => reportContent(knex, key));
    res.setHeader('Content-Type', DOCX_TYPE);
    res.setHeader('Content-Disposition', contentDisposition(row.file_name));
    res.setHeader('Content-Length', String(row.content.length));
    res.end(row.content);
  });

  return router;
}
