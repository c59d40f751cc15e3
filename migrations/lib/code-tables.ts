import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'csv-parse/sync';
import type { Knex } from 'knex';

// Code tables ship as data files in fixtures/code-tables (the fixture generator writes
// deliveries from the same files). Migrations upsert them, so a later migration that adds
// codes calls upsertCodeTables again; nothing is ever deleted here.
const DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../fixtures/code-tables');

function readCsv(file: string): Record<string, string>[] {
  return parse(fs.readFileSync(path.join(DIR, file), 'utf8'), { columns: true, skip_empty_lines: true, trim: true });
}

/** Hierarchical codes: level and parent follow from the code's length. */
function hierarchy(rows: Record<string, string>[], lengths: number[]) {
  return rows.map((r) => {
    const level = lengths.indexOf(r.code.length) + 1;
    if (level === 0) throw new Error(`code table: unexpected code length "${r.code}"`);
    return { code: r.code, name: r.name, level, parent_code: level > 1 ? r.code.slice(0, lengths[level - 2]) : null };
  });
}

/** Region codes the code tables ship (the demo's province, city and counties). */
export function codeTableRegionCodes(): string[] {
  return readCsv('regions.csv').map((r) => r.code);
}

export async function upsertCodeTables(knex: Knex): Promise<void> {
  const regions = readCsv('regions.csv').map((r) => ({ code: r.code, name: r.name, level: r.level, parent_code: r.parent_code || null }));
  // Parents first, so the self-references resolve.
  const order = { province: 0, city: 1, county: 2 } as Record<string, number>;
  regions.sort((a, b) => order[a.level] - order[b.level]);
  await knex('regions').insert(regions).onConflict('code').merge();
  await knex('fund_types').insert(readCsv('fund_types.csv')).onConflict('code').merge();
  await knex('func_classes').insert(hierarchy(readCsv('func_classes.csv'), [3, 5, 7])).onConflict('code').merge();
  await knex('econ_classes').insert(hierarchy(readCsv('econ_classes.csv'), [3, 5])).onConflict('code').merge();
  await knex('revenue_classes').insert(hierarchy(readCsv('revenue_classes.csv'), [3, 5, 7])).onConflict('code').merge();
}
