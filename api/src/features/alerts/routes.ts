import { Router } from 'express';
import type { Knex } from 'knex';
import { today } from '../../clock.js';
import { requireAuth, requireRole } from '../../middleware/auth.js';
import { listRegions } from '../../middleware/region-scope.js';
import { parseInput } from '../../middleware/validate.js';
import { alertStats, listAlerts, toAlert } from './queries.js';
import { alertIdParam, answerBody, bulkTransitionBody, listAlertsQuery, opinionBody, opinionParams, statsQuery, transitionBody, type TransitionBody } from './schema.js';
import { addOpinion, alertDetail, answerAlertOpinion, ruleName, transitionAlert, transitionAlerts } from './service.js';

/**
 * /api/v1/alerts: everyone signed in reads the alerts of their regions; staff and admins move
 * them through the workflow; deputies (and staff) leave review opinions, staff answer them.
 */
export function alertRoutes(knex: Knex): Router {
  const router = Router();
  const staff = requireRole('staff', 'admin');

  router.get('/alerts', requireAuth, async (req, res) => {
    const q = parseInput(listAlertsQuery, req.query);
    const { rows, total } = await listAlerts(knex, await listRegions(knex, req, q), { ...q, region: undefined }, { today: today(), userId: req.user!.id });
    res.json({ data: rows.map((r) => toAlert(r, ruleName)), meta: { total, page: q.page, pageSize: q.pageSize } });
  });

  router.get('/alerts/stats', requireAuth, async (req, res) => {
    const q = parseInput(statsQuery, req.query);
    res.json({ data: await alertStats(knex, await listRegions(knex, req, q), q.period) });
  });

  router.get('/alerts/:id', requireAuth, async (req, res) => {
    const { id } = parseInput(alertIdParam, req.params);
    res.json({ data: await alertDetail(knex, req.user!, id) });
  });

  router.post('/alerts/bulk-transitions', staff, async (req, res) => {
    const { ids, ...body } = parseInput(bulkTransitionBody, req.body);
    res.json({ data: await transitionAlerts(knex, req.user!, ids, body as TransitionBody) });
  });

  router.post('/alerts/:id/transitions', staff, async (req, res) => {
    const { id } = parseInput(alertIdParam, req.params);
    const body = parseInput(transitionBody, req.body);
    res.json({ data: await transitionAlert(knex, req.user!, id, body) });
  });

  // 审议意见: deputies' opinions (on the deputy write allowlist), answered by staff.
  router.post('/alerts/:id/opinions', requireAuth, async (req, res) => {
    const { id } = parseInput(alertIdParam, req.params);
    const { body } = parseInput(opinionBody, req.body);
    res.status(201).json({ data: await addOpinion(knex, req.user!, id, body) });
  });

  router.post('/alerts/:id/opinions/:opinionId/answer', staff, async (req, res) => {
    const { id, opinionId } = parseInput(opinionParams, req.params);
    const { answer } = parseInput(answerBody, req.body);
    res.json({ data: await answerAlertOpinion(knex, req.user!, id, opinionId, answer) });
  });

  return router;
}
