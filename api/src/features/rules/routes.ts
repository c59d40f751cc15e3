import { Router } from 'express';
import type { Knex } from 'knex';
import { assertRegionVisible, requireAuth, requireRole } from '../../middleware/auth.js';
import { parseInput } from '../../middleware/validate.js';
import { evaluateBody, evaluationsQuery, ruleIdParam, timeProgressBody, timeProgressQuery, updateRuleBody } from './schema.js';
import {
  changeRule, evaluateOnDemand, getRule, history, listRules, recentEvaluations, setTimeProgress, timeProgressSetting,
} from './service.js';

/**
 * /api/v1/rules: the catalogue with current thresholds and versions (everyone signed in);
 * threshold edits, the time-progress convention and on-demand evaluation (staff, admin).
 * Fixed paths come before /rules/:id.
 */
export function ruleRoutes(knex: Knex): Router {
  const router = Router();
  const staff = requireRole('staff', 'admin');

  router.get('/rules', requireAuth, async (_req, res) => {
    res.json({ data: await listRules(knex), meta: await timeProgressSetting(knex) });
  });

  router.get('/rules/time-progress', requireAuth, async (req, res) => {
    const { asOf } = parseInput(timeProgressQuery, req.query);
    res.json({ data: await timeProgressSetting(knex, asOf) });
  });

  router.put('/rules/time-progress', staff, async (req, res) => {
    const { convention } = parseInput(timeProgressBody, req.body);
    res.json({ data: await setTimeProgress(knex, req.user!, convention) });
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
    res.json({ data: await getRule(knex, id) });
  });

  router.get('/rules/:id/history', requireAuth, async (req, res) => {
    const { id } = parseInput(ruleIdParam, req.params);
    res.json({ data: await history(knex, id) });
  });

  router.put('/rules/:id', staff, async (req, res) => {
    const { id } = parseInput(ruleIdParam, req.params);
    const body = parseInput(updateRuleBody, req.body);
    res.json({ data: await changeRule(knex, req.user!, id, body) });
  });

  return router;
}
