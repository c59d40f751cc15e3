import { Router } from 'express';
import type { Knex } from 'knex';
import { requireAuth, requireRole } from '../../middleware/auth.js';
import { scopedRegion } from '../../middleware/region-scope.js';
import { parseInput } from '../../middleware/validate.js';
import { answerBody, departmentParams, departmentQuery, listOpinionsQuery, opinionBody, opinionIdParam } from './schema.js';
import { addOpinion, answer, departmentOpinions, opinionList } from './service.js';

/**
 * 审议意见: everyone signed in reads the opinions of their regions; deputies and staff leave
 * opinions on a department (on the deputy write allowlist); staff and admins answer any
 * opinion in their regions. Opinions on an alert are posted under /alerts/:id/opinions.
 */
export function opinionRoutes(knex: Knex): Router {
  const router = Router();

  router.get('/opinions', requireAuth, async (req, res) => {
    const q = parseInput(listOpinionsQuery, req.query);
    const regions = q.region ? [scopedRegion(req, q.region)] : req.user!.regionCodes;
    res.json(await opinionList(knex, regions, q));
  });

  router.post('/opinions/:id/answer', requireRole('staff', 'admin'), async (req, res) => {
    const { id } = parseInput(opinionIdParam, req.params);
    const body = parseInput(answerBody, req.body);
    res.json({ data: await answer(knex, req.user!, id, body.answer) });
  });

  router.get('/departments/:dept/opinions', requireAuth, async (req, res) => {
    const { dept } = parseInput(departmentParams, req.params);
    const region = scopedRegion(req, parseInput(departmentQuery, req.query).region);
    res.json({ data: await departmentOpinions(knex, region, dept) });
  });

  router.post('/departments/:dept/opinions', requireAuth, async (req, res) => {
    const { dept } = parseInput(departmentParams, req.params);
    const q = parseInput(departmentQuery, req.query);
    const { body } = parseInput(opinionBody, req.body);
    const region = scopedRegion(req, q.region);
    res.status(201).json({ data: await addOpinion(knex, req.user!, { regionCode: region, deptCode: dept }, body) });
  });

  return router;
}
