import { Router, type Request } from 'express';
import type { Knex } from 'knex';
import { z } from 'zod';
import { requireAuth } from '../../middleware/auth.js';
import { boolParam, codeParam, isoDate, regionParam, scopeParam, yearParam } from '../../middleware/query-schema.js';
import { asOfFor, scopedRegions } from '../../middleware/region-scope.js';
import { parseInput } from '../../middleware/validate.js';
import { findings, findingStatusCounts, repeatFindings } from './queries.js';
import { toFinding, toRepeat, toStatusCount } from './wire.js';

export const auditQuery = z.object({
  region: regionParam.optional(),
  scope: scopeParam.optional(),
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
    const { codes } = await scopedRegions(knex, req, q.region, q.scope);
    return { q, codes, asOf: await asOfFor(knex, codes, q.asOf) };
  };

  router.get('/audit/findings', async (req, res) => {
    const { q, codes, asOf } = await ctx(req);
    const [rows, counts] = await Promise.all([findings(knex, codes, asOf, q), findingStatusCounts(knex, codes, asOf)]);
    res.json({ data: rows.map(toFinding), meta: { asOf, statusCounts: counts.map(toStatusCount) } });
  });
  router.get('/audit/overdue', async (req, res) => {
    const { q, codes, asOf } = await ctx(req);
    res.json({ data: (await findings(knex, codes, asOf, { ...q, overdue: true })).map(toFinding), meta: { asOf } });
  });
  router.get('/audit/repeats', async (req, res) => {
    const { codes } = await ctx(req);
    res.json({ data: (await repeatFindings(knex, codes)).map(toRepeat) });
  });
  return router;
}
