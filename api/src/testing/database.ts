import { randomBytes } from 'node:crypto';
import type { Knex } from 'knex';
import { inject } from 'vitest';
import { fromRegionId, toRegionId } from '../contract/common.js';
import { createKnex, withDatabase } from '../db/connection.js';

export const TEST_DB_PREFIX = 'bw_test_';
export const templateName = (runId: string) => `${TEST_DB_PREFIX}${runId}_template`;

export interface TestDatabase {
  knex: Knex;
  url: string;
  name: string;
  drop(): Promise<void>;
}

/**
 * A private, migrated database for one test file, cloned from the template the global
 * setup prepared, so test files run in parallel without seeing each other's rows.
 * `migrated: false` gives an empty database (for migration tests). Call it from a test
 * file's beforeAll and `drop()` it in afterAll.
 */
export async function createTestDatabase(opts: { migrated?: boolean } = {}): Promise<TestDatabase> {
  const adminUrl = inject('dbAdminUrl');
  const runId = inject('dbRunId');
  const name = `${TEST_DB_PREFIX}${runId}_${randomBytes(4).toString('hex')}`;
  const admin = createKnex(adminUrl, { min: 0, max: 1 });
  try {
    for (let attempt = 0; ; attempt++) {
      try {
        if (opts.migrated === false) await admin.raw('create database ??', [name]);
        else await admin.raw('create database ?? template ??', [name, templateName(runId)]);
        break;
      } catch (err) {
        // Two files cloning the template at the same instant: PostgreSQL refuses one; retry.
        if (attempt >= 20 || !/being accessed by other users/.test((err as Error).message)) throw err;
        await new Promise((r) => setTimeout(r, 50 + Math.random() * 200));
      }
    }
  } finally {
    await admin.destroy();
  }
  const url = withDatabase(adminUrl, name);
  const knex = createKnex(url);
  return {
    knex,
    url,
    name,
    async drop() {
      await knex.destroy();
      const a = createKnex(adminUrl, { min: 0, max: 1 });
      try {
        await a.raw('drop database if exists ?? with (force)', [name]);
      } finally {
        await a.destroy();
      }
    },
  };
}

/**
 * Rows of tables keyed by (region_code, id) as the API names them (`411100-42`): the public
 * ids of the rows `query` selects (it must select region_code and id), and the where-clause
 * of one public id.
 */
export async function publicIds(query: Knex.QueryBuilder): Promise<string[]> {
  return ((await query) as { region_code: string; id: string | number }[]).map((r) => toRegionId(r.region_code, r.id));
}
export function byPublicId(publicId: string): { region_code: string; id: string } {
  const { regionCode, id } = fromRegionId(publicId);
  return { region_code: regionCode, id };
}
