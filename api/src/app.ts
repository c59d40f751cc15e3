import fs from 'node:fs';
import path from 'node:path';
import cookieParser from 'cookie-parser';
import express, { type Express } from 'express';
import helmet from 'helmet';
import type { Knex } from 'knex';
import type { Config } from './config.js';
import { appKnex, routeByMethod } from './db/routing.js';
import { alertRoutes } from './features/alerts/routes.js';
import { askRoutes } from './features/ask/routes.js';
import { assetRoutes } from './features/assets/routes.js';
import { auditRoutes } from './features/audit/routes.js';
import { authRoutes } from './features/auth/routes.js';
import { debtRoutes } from './features/debt/routes.js';
import { deviceLoginRoutes } from './features/device-login/routes.js';
import { drilldownRoutes } from './features/drilldown/routes.js';
import { dataRoutes } from './features/data/routes.js';
import { exportRoutes } from './features/exports/routes.js';
import { healthRoutes } from './features/health/routes.js';
import { liaisonRoutes } from './features/liaison/routes.js';
import { openapiRoutes } from './features/openapi/routes.js';
import { opinionRoutes } from './features/opinions/routes.js';
import { keySupervisionRoutes } from './features/key-supervision/routes.js';
import { phoneRoutes } from './features/phone/routes.js';
import { reportsRoutes } from './features/reports/routes.js';
import { reviewRoutes } from './features/review/routes.js';
import { ruleRoutes } from './features/rules/routes.js';
import { reminderRoutes } from './features/reminders/routes.js';
import { userRoutes } from './features/users/routes.js';
import { errorHandler, notFound } from './middleware/error-handler.js';
import { rejectNul } from './middleware/reject-nul.js';
import { sameOrigin } from './middleware/same-origin.js';
import { checkResponses } from './middleware/check-responses.js';

export interface AppDeps {
  /** The primary: every write, and every read when there is no replica. */
  knex: Knex;
  /** A hot-standby replica (DATABASE_READ_URL) for GET and HEAD requests; see api/src/db/routing.ts. */
  readKnex?: Knex | undefined;
  config: Config;
}

/** Build the express app: routers mounted here, the error handler last. */
export function createApp({ knex: primary, readKnex, config }: AppDeps): Express {
  const app = express();
  // Routers get one handle; with a replica it sends each query where its request belongs.
  const knex = appKnex({ primary, replica: readKnex });
  app.disable('x-powered-by');
  // req.ip and req.secure from X-Forwarded-* only when a proxy is configured as trusted.
  app.set('trust proxy', config.trustProxy);
  // requireAuth reads the handle from here, so routers can use it as bare middleware.
  app.locals.knex = knex;
  app.use(
    helmet({
      contentSecurityPolicy: {
        directives: {
          defaultSrc: ["'self'"],
          scriptSrc: ["'self'"],
          styleSrc: ["'self'", "'unsafe-inline'"], // Element Plus sets inline styles
          imgSrc: ["'self'", 'data:'],
          fontSrc: ["'self'", 'data:'],
          connectSrc: ["'self'"],
          objectSrc: ["'none'"],
          frameAncestors: ["'none'"],
          // Served over plain http on a LAN too: do not force https sub-resources.
          upgradeInsecureRequests: null,
        },
      },
    }),
  );
  app.use(cookieParser());
  app.use(express.json({ limit: '1mb' }));
  app.use(rejectNul);
  app.use('/api', sameOrigin);
  if (readKnex) app.use('/api', routeByMethod);
  if (process.env.BW_CHECK_RESPONSES === '1') app.use('/api', checkResponses);

  app.use('/api', healthRoutes(knex));
  app.use('/api/v1', healthRoutes(knex));
  app.use('/api/v1', authRoutes(knex, { sessionTtlHours: config.sessionTtlHours }));
  app.use('/api/v1', deviceLoginRoutes(knex, config));
  app.use('/api/v1', drilldownRoutes(knex, { cache: config.apiCache }));
  app.use('/api/v1', debtRoutes(knex));
  app.use('/api/v1', assetRoutes(knex));
  app.use('/api/v1', auditRoutes(knex));
  app.use('/api/v1', userRoutes(knex, { region: config.region }));
  app.use('/api/v1', alertRoutes(knex));
  app.use('/api/v1', opinionRoutes(knex));
  app.use('/api/v1', keySupervisionRoutes(knex));
  app.use('/api/v1', phoneRoutes(knex));
  app.use('/api/v1', askRoutes(knex));
  app.use('/api/v1', liaisonRoutes(knex));
  app.use('/api/v1', ruleRoutes(knex));
  app.use('/api/v1', reminderRoutes(knex));
  app.use('/api/v1', reportsRoutes(knex, { timeZone: config.timeZone }));
  app.use('/api/v1', exportRoutes(knex));
  app.use('/api/v1', reviewRoutes(knex));
  app.use('/api/v1', dataRoutes(knex, config));
  app.use('/api/v1', openapiRoutes());
  app.use('/api', notFound);

  // The built single-page app; unknown non-API paths fall back to index.html (client routing).
  if (fs.existsSync(path.join(config.webDist, 'index.html'))) {
    app.use(express.static(config.webDist, { index: false, maxAge: '1h' }));
    app.get(/^(?!\/api\/).*/, (_req, res) => res.sendFile(path.join(config.webDist, 'index.html')));
  }
  app.use(errorHandler);
  return app;
}
