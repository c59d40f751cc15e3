import fs from 'node:fs';
import path from 'node:path';
import type { TestProject } from 'vitest/node';
import { ROOT_DIR } from '../config.js';
import { createKnex, withDatabase } from '../db/connection.js';
import { startEmbeddedServer, type EmbeddedServer } from '../db/embedded-server.js';
import { migrateLatest } from '../db/migrator.js';
import { TEST_DB_PREFIX, templateName } from './database.js';

declare module 'vitest' {
  export interface ProvidedContext {
    /** Admin connection (database `postgres`) of the server the tests use. */
    dbAdminUrl: string;
    /** Distinguishes this run's databases from those of runs going on at the same time. */
    dbRunId: string;
  }
}

/**
 * Once per `vitest run`: a real PostgreSQL (DATABASE_URL's server, else a throw-away
 * embedded one under .data/pg-test/<run>), and a freshly migrated template database that
 * every test file clones. Runs going on at once (several developers, CI) never share a
 * cluster folder or a database name.
 */
export default async function setup(project: TestProject) {
  const runId = `${process.pid.toString(36)}${Date.now().toString(36)}`;
  let embedded: EmbeddedServer | undefined;
  let adminUrl: string;
  const dataDir = path.join(ROOT_DIR, '.data/pg-test', runId);
  if (process.env.DATABASE_URL) {
    adminUrl = process.env.DATABASE_URL;
  } else {
    embedded = await startEmbeddedServer({ dataDir, fast: true });
    adminUrl = embedded.url;
  }
  const template = templateName(runId);
  const admin = createKnex(adminUrl, { min: 0, max: 1 });
  await admin.raw('create database ??', [template]);
  await admin.destroy();

  const templateDb = createKnex(withDatabase(adminUrl, template), { min: 0, max: 1 });
  await migrateLatest(templateDb);
  await templateDb.destroy();

  project.provide('dbAdminUrl', adminUrl);
  project.provide('dbRunId', runId);
  return async () => {
    if (embedded) {
      await embedded.stop();
      fs.rmSync(dataDir, { recursive: true, force: true });
      return;
    }
    const a = createKnex(adminUrl, { min: 0, max: 1 });
    const { rows } = await a.raw('select datname from pg_database where datname like ?', [`${TEST_DB_PREFIX}${runId}%`]);
    for (const { datname } of rows as { datname: string }[]) await a.raw('drop database if exists ?? with (force)', [datname]);
    await a.destroy();
  };
}
