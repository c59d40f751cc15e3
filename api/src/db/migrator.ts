import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Knex } from 'knex';
import { ROOT_DIR } from '../config.js';

export const MIGRATIONS_DIR = path.join(ROOT_DIR, 'migrations');

interface MigrationModule {
  up(knex: Knex): Promise<void>;
  down(knex: Knex): Promise<void>;
}

/**
 * Loads the TypeScript migrations through our own dynamic import, so they run the same
 * under tsx (app, CLI) and vitest (tests) without a compile step.
 */
class FolderSource implements Knex.MigrationSource<string> {
  async getMigrations(): Promise<string[]> {
    return fs
      .readdirSync(MIGRATIONS_DIR)
      .filter((f) => /^\d{14}_[a-z0-9_]+\.ts$/.test(f))
      .sort();
  }
  getMigrationName(file: string): string {
    return file.replace(/\.ts$/, '');
  }
  async getMigration(file: string): Promise<Knex.Migration> {
    const mod = (await import(pathToFileURL(path.join(MIGRATIONS_DIR, file)).href)) as MigrationModule;
    return { up: mod.up, down: mod.down };
  }
}

const migratorConfig = (): Knex.MigratorConfig => ({
  migrationSource: new FolderSource(),
  tableName: 'knex_migrations',
});

export async function migrateLatest(knex: Knex): Promise<string[]> {
  const [, applied] = (await knex.migrate.latest(migratorConfig())) as [number, string[]];
  return applied;
}

export async function rollbackAll(knex: Knex): Promise<string[]> {
  const [, undone] = (await knex.migrate.rollback(migratorConfig(), true)) as [number, string[]];
  return undone;
}

/** Name of the newest applied migration: the schema version reported by /api/health. */
export async function schemaVersion(knex: Knex): Promise<string | null> {
  const exists = await knex.schema.hasTable('knex_migrations');
  if (!exists) return null;
  const row = await knex('knex_migrations').orderBy('id', 'desc').first('name');
  return row?.name ?? null;
}

export async function pendingMigrations(knex: Knex): Promise<string[]> {
  const [, pending] = (await knex.migrate.list(migratorConfig())) as [unknown[], { file: string }[]];
  return pending.map((p) => p.file.replace(/\.ts$/, ''));
}
