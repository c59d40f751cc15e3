import type { Knex } from 'knex';
import { upsertCodeTables } from './lib/code-tables.js';

// The fixture generator pays 国有资本经营预算 (fund type 3) through 223 国有资本经营预算支出
// (22302 国有企业资本金注入); those rows were appended to fixtures/code-tables/func_classes.csv.
// Upserting the code tables again adds them and changes nothing else.
export async function up(knex: Knex): Promise<void> {
  await upsertCodeTables(knex);
}

// Data-only and additive: rolling back leaves the codes (earlier migrations' down removes them all).
export async function down(): Promise<void> {}
