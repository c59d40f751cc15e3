import { Router } from 'express';
import type { Knex } from 'knex';
import { today } from '../../clock.js';
import { schemaVersion, pendingMigrations } from '../../db/migrator.js';
import { onPrimary } from '../../db/routing.js';
import { latestBusinessDate } from '../drilldown/queries.js';
import type { Health } from './contract.js';

export function healthRoutes(knex: Knex): Router {
  const router = Router();
  router.get('/health', async (_req, res) => {
    try {
      const started = Date.now();
      // Where reads go (the replica, with DATABASE_READ_URL) and the primary every write and session needs.
      await knex.raw('select 1');
      await onPrimary(() => knex.raw('select 1'));
      const [version, pending, asOf] = await Promise.all([schemaVersion(knex), pendingMigrations(knex), latestBusinessDate(knex)]);
      const health: Health = {
        status: pending.length === 0 ? 'ok' : 'degraded',
        database: { status: 'ok', latencyMs: Date.now() - started },
        schema: { version, pending },
        // The clock's business date and the data's (数据截至), so a deployment shows what it runs as of.
        today: today(),
        dataAsOf: asOf ?? null,
      };
      res.json(health);
    } catch (err) {
      res.status(503).json({
        status: 'error',
        database: { status: 'unreachable', message: (err as Error).message },
      });
    }
  });
  return router;
}
