import { Router } from 'express';
import type { Knex } from 'knex';
import { createError, ErrorCode } from '../../errors.js';
import { assertRegionVisible, requireAuth } from '../../middleware/auth.js';
import { parseInput } from '../../middleware/validate.js';
import { homeQuery, reportParam } from './schema.js';
import { phoneHome, phoneReport } from './service.js';

/** The deputies' phone (代表端): read-only briefs for any signed-in user but liaisons. */
export function phoneRoutes(knex: Knex): Router {
  const router = Router();
  router.get('/phone/home', requireAuth, async (req, res) => {
    const q = parseInput(homeQuery, req.query);
    const region = q.region ?? req.user!.regionCode;
    assertRegionVisible(req, region);
    res.json({ data: await phoneHome(knex, req.user!, region, q.since) });
  });
  router.get('/phone/reports/:id', requireAuth, async (req, res) => {
    const { id } = parseInput(reportParam, req.params);
    const report = await phoneReport(knex, req.user!, id);
    if (!report) throw createError(ErrorCode.NOT_FOUND, `报告 ${id} 不存在`, 404);
    res.json({ data: report });
  });
  return router;
}
