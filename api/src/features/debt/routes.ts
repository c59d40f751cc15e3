import { Router, type Request } from 'express';
import type { Knex } from 'knex';
import { z } from 'zod';
import { requireAuth } from '../../middleware/auth.js';
import { isoDate, regionParam, yearParam } from '../../middleware/query-schema.js';
import { asOfFor, scopedRegion } from '../../middleware/region-scope.js';
import { parseInput } from '../../middleware/validate.js';
import { bonds, maturitySchedule, repayments } from './queries.js';
import { debtSummary } from './service.js';

export const debtQuery = z.object({
  region: regionParam.optional(),
  asOf: isoDate.optional(),
  year: yearParam.optional(),
  bondType: z.enum(['一般债券', '专项债券']).optional(),
  by: z.enum(['year', 'month']).default('year'),
  status: z.enum(['due', 'overdue', 'paid', 'all']).default('all'),
  withinDays: z.coerce.number().int().min(1).max(3660).default(365),
});

export function debtRoutes(knex: Knex): Router {
  const router = Router();
  router.use('/debt', requireAuth);
  const ctx = async (req: Request) => {
    const q = parseInput(debtQuery, req.query);
    const region = scopedRegion(req, q.region);
    const asOf = await asOfFor(knex, region, q.asOf);
    return { q, region, asOf };
  };

  router.get('/debt/summary', async (req, res) => {
    const { q, region, asOf } = await ctx(req);
    res.json({ data: { asOf, ...(await debtSummary(knex, region, q.year ?? Number(asOf.slice(0, 4)))) } });
  });
  router.get('/debt/bonds', async (req, res) => {
    const { q, region, asOf } = await ctx(req);
    res.json({ data: await bonds(knex, region, asOf, q.bondType), meta: { asOf } });
  });
  router.get('/debt/maturities', async (req, res) => {
    const { q, region, asOf } = await ctx(req);
    res.json({ data: await maturitySchedule(knex, region, q.by), meta: { asOf, by: q.by } });
  });
  router.get('/debt/repayments', async (req, res) => {
    const { q, region, asOf } = await ctx(req);
    res.json({ data: await repayments(knex, region, asOf, q.status, q.withinDays), meta: { asOf, status: q.status } });
  });
  return router;
}
