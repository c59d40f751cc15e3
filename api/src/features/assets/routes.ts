import { Router } from 'express';
import type { Knex } from 'knex';
import { z } from 'zod';
import { requireAuth } from '../../middleware/auth.js';
import { isoDate, regionParam, scopeParam, yearParam } from '../../middleware/query-schema.js';
import { asOfFor, scopedRegions } from '../../middleware/region-scope.js';
import { parseInput } from '../../middleware/validate.js';
import { assetCards, assetCategoryTotals, assetReports } from './queries.js';
import { toAssetCard, toAssetCategory, toAssetReport } from './wire.js';

export const assetQuery = z.object({
  region: regionParam.optional(),
  scope: scopeParam.optional(),
  asOf: isoDate.optional(),
  year: yearParam.optional(),
  category: z.enum(['企业', '金融企业', '行政事业', '自然资源']).optional(),
  status: z.enum(['在用', '闲置', '出租出借', '待处置']).optional(),
  assetClass: z.enum(['房屋', '土地', '车辆', '设备', '其他']).optional(),
  minDays: z.coerce.number().int().min(0).max(100000).optional(),
});

export function assetRoutes(knex: Knex): Router {
  const router = Router();
  router.use('/assets', requireAuth);

  router.get('/assets/reports', async (req, res) => {
    const q = parseInput(assetQuery, req.query);
    const { codes } = await scopedRegions(knex, req, q.region, q.scope);
    const { year, rows } = await assetReports(knex, codes, q.year, q.category);
    const categories = year === null ? [] : await assetCategoryTotals(knex, codes, year);
    res.json({ data: rows.map(toAssetReport), meta: { year, categories: categories.map(toAssetCategory) } });
  });

  router.get('/assets/cards', async (req, res) => {
    const q = parseInput(assetQuery, req.query);
    const { codes } = await scopedRegions(knex, req, q.region, q.scope);
    const asOf = await asOfFor(knex, codes, q.asOf);
    res.json({ data: (await assetCards(knex, codes, asOf, q)).map(toAssetCard), meta: { asOf } });
  });

  router.get('/assets/idle', async (req, res) => {
    const q = parseInput(assetQuery, req.query);
    const { codes } = await scopedRegions(knex, req, q.region, q.scope);
    const asOf = await asOfFor(knex, codes, q.asOf);
    res.json({ data: (await assetCards(knex, codes, asOf, { ...q, status: '闲置' })).map(toAssetCard), meta: { asOf } });
  });
  return router;
}
