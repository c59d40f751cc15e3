import { Router, type Request } from 'express';
import type { Knex } from 'knex';
import { z } from 'zod';
import { requireAuth } from '../../middleware/auth.js';
import { boolParam, codeParam, isoDate, regionParam, yearParam } from '../../middleware/query-schema.js';
import { asOfFor, scopedRegion } from '../../middleware/region-scope.js';
import { parseInput } from '../../middleware/validate.js';
import { findings, findingStatusCounts, repeatFindings } from './queries.js';

export const auditQuery = z.object({
  region: regionParam.optional(),
  asOf: isoDate.optional(),
  status: z.enum(['未整改', '整改中', '已整改']).optional(),
  category: z.string().trim().min(1).max(40).optional(),
  agency: codeParam.optional(),
  year: yearParam.optional(),
  overdue: boolParam.optional(),
});

export function auditRoutes(knex: Knex): Router {
  const router = Router();
  router.use('/audit', requireAuth);
  const ctx = async (req: Request) => {
    const q = parseInput(auditQuery, req.query);
    const region = scopedRegion(req, q.region);
    return { q, region, asOf: await asOfFor(knex, region, q.asOf) };
  };

  router.get('/audit/findings', async (req, res) => {
    const { q, region, asOf } = await ctx(req);
    const [rows, counts] = await Promise.all([findings(knex, region, asOf, q), findingStatusCounts(knex, region, asOf)]);
    res.json({ data: rows, meta: { asOf, statusCounts: counts } });
  });
  router.get('/audit/overdue', async (req, res) => {
    const { q, region, asOf } = await ctx(req);
    res.json({ data: await findings(knex, region, asOf, { ...q, overdue: true }), meta: { asOf } });
  });
  router.get('/audit/repeats', async (req, res) => {
    const { region } = await ctx(req);
    res.json({ data: await repeatFindings(knex, region) });
  });
  return router;
}
