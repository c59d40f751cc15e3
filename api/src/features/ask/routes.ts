import { Router } from 'express';
import type { Knex } from 'knex';
import { assertRegionVisible, requireAuth } from '../../middleware/auth.js';
import { parseInput } from '../../middleware/validate.js';
import { answerQuestion } from './answer.js';
import { askQuery } from './schema.js';

/** 问数: GET /ask?q=教育局今年支出进度 — any signed-in user but liaisons, over their own regions. */
export function askRoutes(knex: Knex): Router {
  const router = Router();
  router.get('/ask', requireAuth, async (req, res) => {
    const q = parseInput(askQuery, req.query);
    const region = q.region ?? req.user!.regionCode;
    assertRegionVisible(req, region);
    res.json({ data: await answerQuestion(knex, req.user!, q.q, region) });
  });
  return router;
}
