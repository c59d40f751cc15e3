import { Router, type Request } from 'express';
import type { Knex } from 'knex';
import { addDays, daysBetween, today } from '../../clock.js';
import { fromRegionId } from '../../contract/common.js';
import type { Config } from '../../config.js';
import { createError, ErrorCode } from '../../errors.js';
import { assertRegionVisible, requireAuth, requireRole } from '../../middleware/auth.js';
import { latestBusinessDate } from '../drilldown/queries.js';
import { parseInput } from '../../middleware/validate.js';
import { FEEDS, feedFreshness, feedTotals, listBatches, listQuarantine, LoaderBusy, NothingToRerun, rerunDate } from '../../../../etl/src/index.js';
import { POST_LOAD_HOOKS } from '../../post-load.js';
import { maskRecord } from '../drilldown/mask.js';
import { visibleRuns, withoutServerPaths } from './scope.js';
import { batchesQuery, freshnessQuery, quarantineQuery, regionQuery, rerunBody, runsQuery } from './schema.js';
import { scopeRegions } from '../drilldown/scope.js';
import type { FeedStatus, Freshness, Rerun } from './contract.js';
import { toBatch, toQuarantineRow, toRun } from './wire.js';

/** The regions a request may see: the one it names (checked) or every region of the user. */
function regionsOf(req: Request, region: string | undefined): string[] {
  if (region) {
    assertRegionVisible(req, region);
    return [region];
  }
  return req.user!.regionCodes;
}

/**
 * The Data page (数据): ETL runs, batches with their files, per-feed row counts and control
 * totals, freshness per region and feed, quarantined rows, and a manual re-run of a date
 * (staff and admin only).
 */
export function dataRoutes(knex: Knex, config: Pick<Config, 'inboxDir' | 'region'>): Router {
  const router = Router();
  router.use('/data', requireAuth);

  router.get('/data/runs', async (req, res) => {
    const q = parseInput(runsQuery, req.query);
    const rows = await visibleRuns(knex, { ...q, regionCodes: regionsOf(req, q.region), role: req.user!.role });
    res.json({ data: rows.map(toRun), meta: { limit: q.limit, offset: q.offset } });
  });

  router.get('/data/batches', async (req, res) => {
    const q = parseInput(batchesQuery, req.query);
    const rows = await listBatches(knex, { ...q, regionCodes: regionsOf(req, q.region) });
    res.json({ data: rows.map((b) => withoutServerPaths(req.user!.role, toBatch(b))), meta: { limit: q.limit, offset: q.offset } });
  });

  router.get('/data/feeds', async (req, res) => {
    const q = parseInput(regionQuery, req.query);
    const regions = regionsOf(req, q.region);
    const [fresh, totals] = await Promise.all([feedFreshness(knex, regions), feedTotals(knex, regions)]);
    const titles = new Map(FEEDS.map((f) => [f.name, f.title]));
    const data = fresh.map((f): FeedStatus => {
      const t = totals.find((x) => x.regionCode === f.regionCode && x.feed === f.feed);
      return { ...f, title: titles.get(f.feed), tableRows: t?.rows ?? 0, tableAmountSum: t?.amountSum ?? null };
    });
    res.json({ data });
  });

  router.get('/data/freshness', async (req, res) => {
    const q = parseInput(freshnessQuery, req.query);
    const now = today();
    const expected = addDays(now, -1); // T+1: yesterday's data is due today
    // 全辖: the header's 数据截至 is the consolidated figures' (the latest of the regions'), not
    // that of a province's own budget, which may have received nothing.
    const own = regionsOf(req, q.region);
    const regions =
      q.region && q.scope === 'all'
        ? (await scopeRegions(knex, q.region, 'all')).map((r) => r.code).filter((c) => req.user!.regionCodes.includes(c))
        : own;
    const [rows, dataAsOf] = await Promise.all([feedFreshness(knex, regions), latestBusinessDate(knex, regions)]);
    const data = rows.map((r): Freshness => ({
      regionCode: r.regionCode,
      regionName: r.regionName,
      feed: r.feed,
      latestBusinessDate: r.latestBusinessDate,
      lastLoadedAt: r.lastLoadedAt,
      daysBehind: r.latestBusinessDate ? daysBetween(r.latestBusinessDate, expected) : null,
    }));
    res.json({ data, meta: { today: now, expectedBusinessDate: expected, dataAsOf: dataAsOf ?? null } });
  });

  router.get('/data/quarantine', async (req, res) => {
    const { batchId, ...q } = parseInput(quarantineQuery, req.query);
    // A batch is named by region and id: that region must be visible (403 like ?region=), and only it is read.
    const batch = batchId ? fromRegionId(batchId) : undefined;
    if (batch) assertRegionVisible(req, batch.regionCode);
    const { rows, total } = await listQuarantine(knex, { ...q, batch, regionCodes: regionsOf(req, q.region) });
    const role = req.user!.role;
    res.json({ data: rows.map((r) => ({ ...toQuarantineRow(r), raw: maskRecord(role, r.raw) })), meta: { total, limit: q.limit, offset: q.offset } });
  });

  router.post('/data/rerun', requireRole('staff', 'admin'), async (req, res) => {
    const body = parseInput(rerunBody, req.body);
    assertRegionVisible(req, body.regionCode);
    try {
      const r = await rerunDate(knex, config, { ...body, trigger: 'api', startedBy: req.user!.username, wait: false, postLoad: POST_LOAD_HOOKS });
      const data: Rerun = { runId: r.runId, results: r.results, postLoadErrors: r.postLoadErrors };
      res.json({ data });
    } catch (err) {
      if (err instanceof LoaderBusy) throw createError(ErrorCode.CONFLICT, err.message, 409);
      if (err instanceof NothingToRerun) throw createError(ErrorCode.NOT_FOUND, err.message, 404);
      throw err;
    }
  });

  return router;
}
