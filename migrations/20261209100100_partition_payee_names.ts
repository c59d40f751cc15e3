import type { Knex } from 'knex';

// payee_names is LIST-partitioned by region, like payment_vouchers (20261123070000): a region's
// first delivery builds its names' partition as a fresh table, filled by one INSERT … SELECT
// DISTINCT, its primary key and characters index (20261209100000) built once by sorting, then
// attached (etl/src/load/payee-names.ts) — instead of inserting each name into the shared
// table's two indexes one by one. Later deliveries, corrections and plain INSERTs still go
// through the statement triggers of 20261208100000 into the parent, which routes them. A region
// without a partition of its own has its names in the default partition, until the loader
// gives it one (and moves them there).
//
// Migrated as it stands: a partition for each region that has a payment_vouchers partition,
// every other name in the default one.

const CHARS = 'string_to_array(lower(payee_name), null)';

async function voucherRegions(knex: Knex): Promise<string[]> {
  const { rows } = await knex.raw<{ rows: { code: string }[] }>(
    `select substr(c.relname, length('payment_vouchers_') + 1) as code
       from pg_inherits h join pg_class c on c.oid = h.inhrelid
      where h.inhparent = 'payment_vouchers'::regclass and c.relname ~ '^payment_vouchers_[0-9]{6}$'
      order by 1`,
  );
  return rows.map((r) => r.code);
}

/** Move payee_names aside as payee_names_<aside> and create it anew, empty, partitioned by region or not. */
async function recreate(knex: Knex, aside: string, partitioned: boolean): Promise<void> {
  await knex.raw(`alter table payee_names rename to payee_names_${aside}`);
  await knex.raw(`alter table payee_names_${aside} rename constraint payee_names_pkey to payee_names_${aside}_pkey`);
  await knex.raw(`alter index payee_names_chars_idx rename to payee_names_${aside}_chars_idx`);
  await knex.raw(`
    create table payee_names (
      region_code text not null,
      payee_name text not null,
      primary key (region_code, payee_name)
    )${partitioned ? ' partition by list (region_code)' : ''}`);
}

export async function up(knex: Knex): Promise<void> {
  await recreate(knex, 'unpartitioned', true);
  await knex.raw('create table payee_names_default partition of payee_names default');
  for (const code of await voucherRegions(knex)) {
    await knex.raw(`create table payee_names_${code} partition of payee_names for values in ('${code}')`);
  }
  await knex.raw('insert into payee_names select region_code, payee_name from payee_names_unpartitioned');
  await knex.raw('drop table payee_names_unpartitioned');
  // After the rows: each partition's GIN built in one pass, not left with a pending list of
  // every name that a search would scan until a VACUUM; and statistics for the planner.
  await knex.raw(`create index payee_names_chars_idx on payee_names using gin (${CHARS})`);
  await knex.raw('analyze payee_names');
}

export async function down(knex: Knex): Promise<void> {
  await recreate(knex, 'partitioned', false);
  await knex.raw('insert into payee_names select region_code, payee_name from payee_names_partitioned');
  await knex.raw('drop table payee_names_partitioned'); // its partitions and indexes with it
  await knex.raw(`create index payee_names_chars_idx on payee_names using gin (${CHARS})`);
}
