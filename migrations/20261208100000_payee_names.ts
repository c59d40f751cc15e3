import type { Knex } from 'knex';

// The payee search (收款人 …) moves its gram index from the vouchers to the names. A region pays
// thousands of distinct payees, not millions: `payee_names` holds each region's distinct
// payee names with the GIN index of 20261207300000's text_grams on it, and the vouchers get a
// plain B-tree on payee_name to go from the matching names to their vouchers. The GIN over every
// voucher cost ≈ 11 s per million rows on a region's first delivery (the loader's throughput
// halved). Side by side on 1M vouchers of one region (a shared machine at load ≈ 16): the GIN
// 42.1 s; the B-tree 3.7–4.2 s plus the partition's distinct names into payee_names 2.3–2.9 s,
// about a sixth of it.
//
// payee_names is derived data, like an index: filling it from the vouchers is part of this
// schema change, not a data migration of its own. It is kept by
//   - the statement-level AFTER INSERT and AFTER UPDATE triggers below, on the partitioned
//     parent, with a transition table: every statement that writes payment_vouchers through the
//     parent (the loader's merge, a correction, tests' and benches' inserts, COPY into the
//     parent). PostgreSQL 15 and 18 alike allow transition tables only on statement-level
//     triggers of a partitioned table (a row-level one may not have them on a partition), one
//     event per trigger, and such a trigger sees the rows routed to every partition — but it
//     does not fire for a statement that names a partition itself, nor for ATTACH PARTITION;
//   - the loader, for a region's first delivery, which COPYs into a fresh table and attaches it
//     (etl/src/load/payee-names.ts inserts that partition's names itself).
// A name no longer used by any voucher (corrected, removed) stays: harmless, because a search
// goes from the names that match to the vouchers that carry them, and a name without vouchers
// selects none — the answer stays exactly the substring match's.

const OLD_GIN = 'payment_vouchers_payee_grams_idx';
const VOUCHER_INDEX = 'payment_vouchers_payee_idx';

export async function up(knex: Knex): Promise<void> {
  // payee_name keeps the database's collation: text_grams lower-cases by its argument's
  // collation, and the needle's grams (text_gram_query) are made under the default one — a "C"
  // column would lower-case only ASCII and miss e.g. full-width Latin names.
  await knex.raw(`
    create table payee_names (
      region_code text not null,
      payee_name text not null,
      primary key (region_code, payee_name)
    )`);
  await knex.raw(`
    create function payee_names_add() returns trigger language plpgsql as $$
    begin
      insert into payee_names (region_code, payee_name)
      select distinct region_code, payee_name from new_vouchers
      on conflict do nothing;
      return null;
    end $$`);
  for (const event of ['insert', 'update']) {
    await knex.raw(`
      create trigger payment_vouchers_payee_names_${event} after ${event} on payment_vouchers
        referencing new table as new_vouchers for each statement execute function payee_names_add()`);
  }
  await knex.raw('insert into payee_names (region_code, payee_name) select distinct region_code, payee_name from payment_vouchers');
  await knex.raw('create index payee_names_grams_idx on payee_names using gin (text_grams(payee_name))');
  // "C": byte order sorts with memcmp and abbreviated keys, several times faster to build than
  // the C.UTF-8 locale's strcoll, and equality is the same under any deterministic collation.
  // A query uses it only when it compares in "C" (`v.payee_name collate "C" in (…)`).
  // region_code is left out like the other secondary indexes (constant within a partition).
  await knex.raw(`create index ${VOUCHER_INDEX} on payment_vouchers (payee_name collate "C")`);
  await knex.raw(`drop index ${OLD_GIN}`);
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw(`create index ${OLD_GIN} on payment_vouchers using gin (text_grams(payee_name))`);
  await knex.raw(`drop index ${VOUCHER_INDEX}`);
  for (const event of ['insert', 'update']) await knex.raw(`drop trigger payment_vouchers_payee_names_${event} on payment_vouchers`);
  await knex.raw('drop function payee_names_add()');
  await knex.raw('drop table payee_names');
}
