import type { Knex } from 'knex';

// The payee search's index on payee_names keys each name by its characters (unigrams) instead of
// its characters and character pairs (text_grams, 20261207300000). The search stays exact: the
// index picks the names holding every character of the needle, a superset of the names that
// contain it, and the LIKE beside it (voucher-queries.ts) keeps exactly those.
//
// Why: a region's first delivery inserts its distinct payee names, ~40 % of its vouchers in the
// fixture city (411100: 122,989 names, 3 characters on average), and maintaining the pair index
// was most of what the loader spent on them (bench:etl, session 4: 5.9 s of 24–26 s per 1M
// vouchers). Measured on those 122,989 names (shared machine, load ≈ 8): inserting them with the
// pair index 6.4 s, with this one 3.4 s, with the primary key alone 2.2 s; building either index
// in bulk instead of row by row: pairs 2.7–3.5 s (20,738 distinct keys, the plpgsql text_grams
// called per name), characters 0.7 s. The expression is built-in functions only (no plpgsql
// call per name). What the search gives up: a two-character needle reads the names holding both
// characters anywhere, not only side by side (张伟 in that region: 20 names read, 7 kept; a
// longer needle's characters together are nearly as selective as its pairs — 有限公司: 243 and 243).
//
// string_to_array(t, null) splits into characters exactly as text_grams' regexp_split_to_array
// (t, '') did, and lower() runs under the column's (the database's) collation, as before.

const OLD = 'payee_names_grams_idx';
const NEW = 'payee_names_chars_idx';

export async function up(knex: Knex): Promise<void> {
  await knex.raw(`create index ${NEW} on payee_names using gin (string_to_array(lower(payee_name), null))`);
  await knex.raw(`drop index ${OLD}`);
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw(`create index ${OLD} on payee_names using gin (text_grams(payee_name))`);
  await knex.raw(`drop index ${NEW}`);
}
