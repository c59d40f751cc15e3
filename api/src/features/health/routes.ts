import { Router } from 'express';
import type { Knex } from 'knex';
import { schemaVersion, pendingMigrations } from '../../db/migrator.js';

export function healthRoutes(knex: Knex): Router {
  const router = Router();
  router.get('/health', async (_req, res) => {
    try {
      const started = Date.now();
      await knex.raw('select 1');
      const [version, pending] = await Promise.all([schemaVersion(knex), pendingMigrations(knex)]);
      res.json({
        status: pending.length === 0 ? 'ok' : 'degraded',
        database: { status: 'ok', latencyMs: Date.now() - started },
        schema: { version, pending },
      });
    } catch (err) {
      res.status(503).json({
        status: 'error',
        database: { status: 'unreachable', message: (err as Error).message },
      });
    }
  });
  return router;
}
