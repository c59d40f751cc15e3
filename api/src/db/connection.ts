import knexFactory, { type Knex } from 'knex';
import pg from 'pg';
import type { Config } from '../config.js';
import { runningEmbeddedUrl, startEmbeddedServer, type EmbeddedServer } from './embedded-server.js';

// `date` columns stay 'YYYY-MM-DD' strings: a JS Date would shift them by the time zone.
pg.types.setTypeParser(1082, (v) => v);
// NUMERIC (1700) deliberately keeps node-postgres's default: a decimal string.

export interface Database {
  knex: Knex;
  /** Connection string of the database in use (embedded or external). */
  url: string;
  embedded: EmbeddedServer | undefined;
  /**
   * The hot-standby replica's handle (DATABASE_READ_URL), for the API's reads only: pass it to
   * createApp as `readKnex`; everything else (ETL, migrations, start-up) uses `knex`, the primary.
   */
  read?: Knex | undefined;
  close(): Promise<void>;
}

export function createKnex(url: string, pool: Knex.PoolConfig = { min: 0, max: 10 }): Knex {
  return knexFactory({ client: 'pg', connection: url, pool });
}

/** Replace the database name of a postgres:// URL. */
export function withDatabase(url: string, database: string): string {
  const u = new URL(url);
  u.pathname = `/${database}`;
  return u.toString();
}

/**
 * The one way api, etl and tests obtain a database: DATABASE_URL when set, otherwise an
 * embedded PostgreSQL in the configured data folder, with the `budget_watch` database.
 */
export async function openDatabase(
  config: Pick<Config, 'databaseUrl' | 'dataDir' | 'embeddedPort'> & Partial<Pick<Config, 'databaseReadUrl'>>,
  log: (line: string) => void = () => {},
): Promise<Database> {
  let embedded: EmbeddedServer | undefined;
  let url: string;
  if (config.databaseUrl) {
    url = config.databaseUrl;
  } else {
    embedded = await startEmbeddedServer({ dataDir: config.dataDir, port: config.embeddedPort, log });
    url = withDatabase(embedded.url, 'budget_watch');
    await ensureDatabase(embedded.url, 'budget_watch');
  }
  const knex = createKnex(url);
  const read = config.databaseReadUrl ? createKnex(config.databaseReadUrl) : undefined;
  return {
    knex,
    url,
    embedded,
    read,
    async close() {
      await read?.destroy();
      await knex.destroy();
      await embedded?.stop();
    },
  };
}

/**
 * For command-line tools (`npm run etl`, `report`, `migrate`): when `npm start`'s embedded
 * server is running on the data folder, connect to it — starting a second postmaster there
 * would stop the first — and leave it running on close; otherwise open as usual.
 */
export async function openDatabaseForTool(config: Pick<Config, 'databaseUrl' | 'dataDir' | 'embeddedPort'>): Promise<Database> {
  const running = config.databaseUrl ? undefined : runningEmbeddedUrl(config.dataDir);
  if (!running) return openDatabase(config);
  const url = withDatabase(running, 'budget_watch');
  await ensureDatabase(running, 'budget_watch');
  const knex = createKnex(url);
  return { knex, url, embedded: undefined, close: () => knex.destroy() };
}

export async function ensureDatabase(adminUrl: string, name: string, template?: string): Promise<void> {
  const admin = createKnex(adminUrl, { min: 0, max: 1 });
  try {
    const { rows } = await admin.raw('select 1 from pg_database where datname = ?', [name]);
    if (rows.length === 0) {
      await admin.raw(template ? 'create database ?? template ??' : 'create database ??', template ? [name, template] : [name]);
    }
  } finally {
    await admin.destroy();
  }
}
