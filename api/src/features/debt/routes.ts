import { Router, type Request } from 'express';
import type { Knex } from 'knex';
import { z } from 'zod';
import { requireAuth } from '../../middleware/auth.js';
import { today } from '../../clock.js';
import { boolParam, isoDate, regionParam, scopeParam, yearParam } from '../../middleware/query-schema.js';
import { asOfFor, scopedRegions } from '../../middleware/region-scope.js';
import { parseInput } from '../../middleware/validate.js';
import { bonds, maturitySchedule, repayments, type BondRow, type RepaymentRow } from './queries.js';
import { debtSummary } from './service.js';
import type { DebtSummary } from './contract.js';
import { toBond, toRepayment } from './wire.js';

export const debtQuery = z.object({
  region: regionParam.optional(),
  scope: scopeParam.optional(),
  asOf: isoDate.optional(),
  year: yearParam.optional(),
  bondType: z.enum(['一般债券', '专项债券']).optional(),
  by: z.enum(['year', 'month']).default('year'),
  status: z.enum(['due', 'overdue', 'paid', 'all']).default('all'),
  withinDays: z.coerce.number().int().min(1).max(3660).default(365),
  /** Maturities from today (the clock) on, with the bonds maturing in each period. */
  upcoming: boolParam.optional(),
  /** Bonds and repayments a page at a time (the page asks; exports take every row). */
  page: z.coerce.number().int().min(1).optional(),
  pageSize: z.coerce.number().int().min(1).max(200).default(20),
});

/** One page of `q` and the count of all its rows, or every row when no page is asked for. */
async function paged<T>(q: Knex.QueryBuilder, page: number | undefined, pageSize: number): Promise<{ data: T[]; meta: { total?: number; page?: number; pageSize?: number } }> {
  if (!page) return { data: (await q) as T[], meta: {} };
  const [rows, [{ n }]] = await Promise.all([
    q.clone().limit(pageSize).offset((page - 1) * pageSize),
    q.clone().clearSelect().clearOrder().count({ n: '*' }),
  ]);
  return { data: rows as T[], meta: { total: Number(n), page, pageSize } };
}

export function debtRoutes(knex: Knex): Router {
  const router = Router();
  router.use('/debt', requireAuth);
  const ctx = async (req: Request) => {
    const q = parseInput(debtQuery, req.query);
    const { codes } = await scopedRegions(knex, req, q.region, q.scope);
    const asOf = await asOfFor(knex, codes, q.asOf);
    return { q, codes, asOf };
  };

  router.get('/debt/summary', async (req, res) => {
    const { q, codes, asOf } = await ctx(req);
    const data: DebtSummary = { asOf, ...(await debtSummary(knex, codes, q.year ?? Number(asOf.slice(0, 4)))) };
    res.json({ data });
  });
  router.get('/debt/bonds', async (req, res) => {
    const { q, codes, asOf } = await ctx(req);
    const { data, meta } = await paged<BondRow>(bonds(knex, codes, asOf, q.bondType), q.page, q.pageSize);
    res.json({ data: data.map(toBond), meta: { asOf, ...meta } });
  });
  router.get('/debt/maturities', async (req, res) => {
    const { q, codes, asOf } = await ctx(req);
    const from = q.upcoming ? today() : undefined;
    res.json({ data: await maturitySchedule(knex, codes, q.by, from), meta: { asOf, by: q.by, ...(from ? { from } : {}) } });
  });
  router.get('/debt/repayments', async (req, res) => {
    const { q, codes, asOf } = await ctx(req);
    const { data, meta } = await paged<RepaymentRow>(repayments(knex, codes, asOf, q.status, q.withinDays), q.page, q.pageSize);
    res.json({ data: data.map(toRepayment), meta: { asOf, status: q.status, ...meta } });
  });
  return router;
}
