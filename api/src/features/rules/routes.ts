import { Router, type Request } from 'express';
import type { Knex } from 'knex';
import { assertRegionVisible, requireAuth, requireRole } from '../../middleware/auth.js';
import { parseInput } from '../../middleware/validate.js';
import { scopedRegion } from '../../middleware/region-scope.js';
import { evaluateBody, evaluationsQuery, ruleIdParam, ruleRegionQuery, timeProgressBody, timeProgressQuery, settingChangeBody } from './schema.js';
import {
  changeRule, evaluateOnDemand, getRule, history, listRules, recentEvaluations, setTimeProgress, timeProgressChanges, timeProgressSetting,
} from './service.js';

/**
 * The region a rules request is about (`?region=`, default the user's own). Settings belong to
 * a region and the regions below inherit them, so changing them is for staff of that region or
 * above: the region must be inside the user's tree (403 otherwise), for reads and writes alike.
 */
function regionOf(req: Request): string {
  const { region } = parseInput(ruleRegionQuery, { region: req.query.region });
  return scopedRegion(req, region);
}

/**
 * /api/v1/rules: the catalogue with a region's thresholds and versions (everyone signed in);
 * threshold edits, the time-progress convention and on-demand evaluation (staff, admin).
 * Fixed paths come before /rules/:id.
 */
export function ruleRoutes(knex: Knex): Router {
  const router = Router();
  const staff = requireRole('staff', 'admin');

  router.get('/rules', requireAuth, async (req, res) => {
    const region = regionOf(req);
    res.json({ data: await listRules(knex, region), meta: await timeProgressSetting(knex, region) });
  });

  router.get('/rules/time-progress', requireAuth, async (req, res) => {
    const { asOf } = parseInput(timeProgressQuery, req.query);
    res.json({ data: await timeProgressSetting(knex, regionOf(req), asOf) });
  });

  router.get('/rules/time-progress/history', requireAuth, async (req, res) => {
    res.json({ data: await timeProgressChanges(knex, regionOf(req)) });
  });

  router.put('/rules/time-progress', staff, async (req, res) => {
    const region = regionOf(req);
    const { convention } = parseInput(timeProgressBody, req.body);
    res.json({ data: await setTimeProgress(knex, req.user!, region, convention) });
  });

  router.post('/rules/evaluate', staff, async (req, res) => {
    const body = parseInput(evaluateBody, req.body);
    assertRegionVisible(req, body.region);
    res.json({ data: await evaluateOnDemand(knex, req.user!, body) });
  });

  router.get('/rules/evaluations', requireAuth, async (req, res) => {
    const q = parseInput(evaluationsQuery, req.query);
    if (q.region) assertRegionVisible(req, q.region);
    res.json({ data: await recentEvaluations(knex, q.region ? [q.region] : req.user!.regionCodes, q.limit) });
  });

  router.get('/rules/:id', requireAuth, async (req, res) => {
    const { id } = parseInput(ruleIdParam, req.params);
    res.json({ data: await getRule(knex, id, regionOf(req)) });
  });

  router.get('/rules/:id/history', requireAuth, async (req, res) => {
    const { id } = parseInput(ruleIdParam, req.params);
    res.json({ data: await history(knex, id, regionOf(req)) });
  });

  router.put('/rules/:id', staff, async (req, res) => {
    const { id } = parseInput(ruleIdParam, req.params);
    const region = regionOf(req);
    const body = parseInput(settingChangeBody, req.body);
    res.json({ data: await changeRule(knex, req.user!, id, region, body) });
  });

  return router;
}
