import type { Knex } from 'knex';

// The payee search (收款人 …, the drill-down's payee filter and 问数) is a substring match on
// payment_vouchers.payee_name, a scan of every voucher of the region. pg_trgm cannot serve it
// here: under the C.UTF-8 locale it keeps only "alphanumeric" characters and drops Chinese ones.
// Instead the name's characters and character pairs (bigrams) go into a GIN index: every
// substring of two characters or more contains all of its own bigrams, a one-character one is
// itself a unigram, so `text_grams(payee_name) @> text_gram_query(needle)` selects a superset of
// `payee_name like '%needle%'` and the LIKE, kept beside it, makes the result exact.
// Both sides are lower-cased, so the superset holds for ILIKE as well.
//
// The index is made on the partitioned table: PostgreSQL gives it to every partition, to the
// ones created later (CREATE TABLE … PARTITION OF) and to the ones attached (the loader's
// first delivery of a region) as well.

const INDEX = 'payment_vouchers_payee_grams_idx';

export async function up(knex: Knex): Promise<void> {
  // plpgsql over regexp_split_to_array: ≈ 11 µs for a 20-character name (a set-returning SQL
  // version took 16 µs), which is what building the index on a million vouchers costs.
  await knex.raw(`
    create function text_grams(t text) returns text[] language plpgsql immutable strict parallel safe as $$
    declare c text[]; r text[]; n int := char_length(t);
    begin
      if n = 0 then return '{}'; end if;
      c := regexp_split_to_array(lower(t), '');
      r := c;
      for i in 1 .. n - 1 loop r := r || (c[i] || c[i + 1]); end loop;
      return r;
    end $$`);
  // What a needle must find in the index: its bigrams (its unigrams add nothing but work), or
  // the one character of a one-character needle.
  await knex.raw(`
    create function text_gram_query(t text) returns text[] language plpgsql immutable strict parallel safe as $$
    declare c text[]; r text[] := '{}'; n int := char_length(t);
    begin
      if n = 0 then return '{}'; end if;
      c := regexp_split_to_array(lower(t), '');
      if n = 1 then return c; end if;
      for i in 1 .. n - 1 loop r := r || (c[i] || c[i + 1]); end loop;
      return r;
    end $$`);
  await knex.raw(`create index ${INDEX} on payment_vouchers using gin (text_grams(payee_name))`);
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw(`drop index if exists ${INDEX}`);
  await knex.raw('drop function if exists text_gram_query(text)');
  await knex.raw('drop function if exists text_grams(text)');
}
