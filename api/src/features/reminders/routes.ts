import { Router, type Request } from 'express';
import type { Knex } from 'knex';
import { z } from 'zod';
import { today } from '../../clock.js';
import { isoDate } from '../../contract/common.js';
import { requireAuth, requireRole, visibleRegionCodes } from '../../middleware/auth.js';
import { scopedRegion } from '../../middleware/region-scope.js';
import { parseInput } from '../../middleware/validate.js';
import { makeReminderList, reminderList } from './queries.js';

export const reminderQuery = z.object({ region: z.string().optional(), on: isoDate.optional() });

/** The list a request asks for: ?on= (default today), ?region= and below (default every region of the user). */
export async function requestedList(knex: Knex, req: Request) {
  const q = parseInput(reminderQuery, req.query);
  const regions = q.region ? await visibleRegionCodes(knex, scopedRegion(req, q.region)) : req.user!.regionCodes;
  return reminderList(knex, regions, q.on ?? today());
}

/**
 * GET /reminders: the nightly list of 交办 items past or near their 答复期限, for a region
 * and the regions below it (default: everything the user sees). Read-only; liaisons get 403
 * (requireAuth), they see their own items on their home.
 */
export function reminderRoutes(knex: Knex): Router {
  const router = Router();
  router.get('/reminders', requireAuth, async (req, res) => {
    res.json({ data: await requestedList(knex, req) });
  });

  // Staff remake today's list at once (after a batch of 交办 in the day), as the night would.
  router.post('/reminders', requireRole('staff', 'admin'), async (req, res) => {
    const on = today();
    await makeReminderList(knex, on);
    res.json({ data: await reminderList(knex, req.user!.regionCodes, on) });
  });
  return router;
}
