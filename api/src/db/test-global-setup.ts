import path from 'node:path';
import type { TestProject } from 'vitest/node';
import { ROOT_DIR } from '../config.js';
import { createKnex, withDatabase } from './connection.js';
import { startEmbeddedServer, type EmbeddedServer } from './embedded-server.js';
import { migrateLatest } from './migrator.js';
import { TEMPLATE_DB, TEST_DB_PREFIX } from './test-database.js';

declare module 'vitest' {
  export interface ProvidedContext {
    /** Admin connection (database `postgres`) of the server the tests use. */
    dbAdminUrl: string;
  }
}

/**
 * Once per `vitest run`: a real PostgreSQL (DATABASE_URL's server, else an embedded one in
 * .data/pg-test), and a freshly migrated template database every test file clones.
 */
export default async function setup(project: TestProject) {
  let embedded: EmbeddedServer | undefined;
  let adminUrl: string;
  if (process.env.DATABASE_URL) {
    adminUrl = process.env.DATABASE_URL;
  } else {
    embedded = await startEmbeddedServer({ dataDir: path.join(ROOT_DIR, '.data/pg-test'), fast: true });
    adminUrl = embedded.url;
  }
  const admin = createKnex(adminUrl, { min: 0, max: 1 });
  const { rows } = await admin.raw('select datname from pg_database where datname like ?', [`${TEST_DB_PREFIX}%`]);
  for (const { datname } of rows as { datname: string }[]) await admin.raw('drop database if exists ?? with (force)', [datname]);
  await admin.raw('drop database if exists ?? with (force)', [TEMPLATE_DB]);
  await admin.raw('create database ??', [TEMPLATE_DB]);
  await admin.destroy();

  const template = createKnex(withDatabase(adminUrl, TEMPLATE_DB), { min: 0, max: 1 });
  await migrateLatest(template);
  await template.destroy();

  project.provide('dbAdminUrl', adminUrl);
  return async () => {
    await embedded?.stop();
  };
}
