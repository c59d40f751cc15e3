import type { Knex } from 'knex';
import type { RegionKey } from '../../contract/common.js';

// The `reports` archive: one row per generation (who, when, from which batches, the bytes).

/** An archived report's row without its bytes (the API answers it camelCase, its id with the region: ./wire.ts). */
export interface ReportMeta {
  id: string;
  region_code: string;
  region_name: string | null;
  /** self = 本级, all = 全辖. */
  scope: 'self' | 'all';
  quarter: string;
  as_of: string;
  batch_ids: string[];
  file_name: string;
  content_hash: string;
  size_bytes: number;
  generated_by: string | null;
  generated_by_name: string | null;
  generated_at: string;
}

export interface NewReport {
  region_code: string;
  scope: 'self' | 'all';
  quarter: string;
  as_of: string;
  batch_ids: string[];
  file_name: string;
  content: Buffer;
  content_hash: string;
  generated_by: string | null;
}

const META_COLUMNS = [
  'r.id', 'r.region_code', 'g.name as region_name', 'r.scope', 'r.quarter', 'r.as_of', 'r.batch_ids', 'r.file_name', 'r.content_hash',
  'r.size_bytes', 'r.generated_by', 'u.display_name as generated_by_name', 'r.generated_at',
];

const metaQuery = (knex: Knex) =>
  knex('reports as r')
    .leftJoin('regions as g', 'g.code', 'r.region_code')
    .leftJoin('users as u', 'u.id', 'r.generated_by')
    .select(META_COLUMNS);

function normalise(row: Record<string, unknown>): ReportMeta {
  return {
    ...(row as unknown as ReportMeta),
    id: String(row.id),
    generated_by: row.generated_by === null ? null : String(row.generated_by),
    batch_ids: row.batch_ids as string[],
    generated_at: new Date(row.generated_at as string | Date).toISOString(),
  };
}

export async function insertReport(knex: Knex, r: NewReport): Promise<ReportMeta> {
  const [{ id }] = await knex('reports')
    .insert({ ...r, size_bytes: r.content.length })
    .returning('id');
  return (await findReport(knex, { regionCode: r.region_code, id: String(id) }))!;
}

/** Reports are keyed by (region_code, id): a lookup names both. */
export async function findReport(knex: Knex, key: RegionKey): Promise<ReportMeta | undefined> {
  const row = await metaQuery(knex).where({ 'r.region_code': key.regionCode, 'r.id': key.id }).first();
  return row ? normalise(row) : undefined;
}

export async function reportContent(knex: Knex, key: RegionKey): Promise<{ region_code: string; file_name: string; content: Buffer } | undefined> {
  return knex('reports').where({ region_code: key.regionCode, id: key.id }).first('region_code', 'file_name', 'content');
}

/** The newest first, within the regions given. */
export async function listReports(knex: Knex, regions: string[], f: { region?: string; quarter?: string; limit: number }): Promise<ReportMeta[]> {
  const q = metaQuery(knex).whereIn('r.region_code', regions).orderBy([{ column: 'r.generated_at', order: 'desc' }, { column: 'r.id', order: 'desc' }]).limit(f.limit);
  if (f.region) q.andWhere('r.region_code', f.region);
  if (f.quarter) q.andWhere('r.quarter', f.quarter);
  return (await q).map(normalise);
}

/** An earlier archived report of the same region and quarter with the same content. */
export async function earlierWithSameContent(knex: Knex, r: { region_code: string; scope: string; quarter: string; content_hash: string; before: string }): Promise<string | undefined> {
  const row = await knex('reports')
    .where({ region_code: r.region_code, scope: r.scope, quarter: r.quarter, content_hash: r.content_hash })
    .andWhere('id', '<', r.before)
    .orderBy('id', 'desc')
    .first('id');
  return row ? String(row.id) : undefined;
}
