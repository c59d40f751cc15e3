import fs from 'node:fs';
import path from 'node:path';
import express, { type Express } from 'express';
import type { Knex } from 'knex';
import type { Config } from './config.js';
import { healthRoutes } from './features/health/routes.js';
import { errorHandler, notFound } from './middleware/error-handler.js';

export interface AppDeps {
  knex: Knex;
  config: Config;
}

/** Build the express app: routers mounted here, the error handler last. */
export function createApp({ knex, config }: AppDeps): Express {
  const app = express();
  app.disable('x-powered-by');
  app.use(express.json({ limit: '1mb' }));

  app.use('/api', healthRoutes(knex));
  app.use('/api', notFound);

  // The built single-page app; unknown non-API paths fall back to index.html (client routing).
  if (fs.existsSync(path.join(config.webDist, 'index.html'))) {
    app.use(express.static(config.webDist, { index: false, maxAge: '1h' }));
    app.get(/^(?!\/api\/).*/, (_req, res) => res.sendFile(path.join(config.webDist, 'index.html')));
  }
  app.use(errorHandler);
  return app;
}
