import type { Knex } from 'knex';
import { codeTableRegionCodes } from './lib/code-tables.js';
import { loadDivisions } from './lib/divisions.js';

// Every administrative division of China in `regions` (until now only the demo's 河南省,
// 漯河市 and its five counties), so a bundle from any real region code can be recorded and
// BW_REGION can name any of them. code_table_loads says which list (package + version)
// the table holds; a later list is loaded by a new migration (see lib/divisions.ts).
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('code_table_loads', (t) => {
    t.increments('id');
    t.text('code_table').notNullable();
    t.text('package').notNullable();
    t.text('version').notNullable();
    t.integer('rows').notNullable();
    t.timestamp('loaded_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
  });
  await loadDivisions(knex);
}

// Removes the divisions this load added (those no earlier migration had), children first.
export async function down(knex: Knex): Promise<void> {
  const demo = codeTableRegionCodes();
  for (const level of ['county', 'city', 'province']) {
    await knex('regions').where({ level }).whereNotIn('code', demo).del();
  }
  await knex.schema.dropTable('code_table_loads');
}
