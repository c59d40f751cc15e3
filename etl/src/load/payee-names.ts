import type { PoolClient } from 'pg';
import { detachedPartition, partitionName, sqlOf, tableExists, type Sql } from './region-partition.js';

/**
 * payee_names (migrations 20261208100000, 20261209100100) holds each region's distinct payee
 * names, which the payee search looks up by their characters before going to the vouchers; it
 * is LIST-partitioned by region like the vouchers. Statement triggers on payment_vouchers keep
 * it for every statement that writes through the parent (the merge, a correction); a region's
 * first delivery is COPYed into a fresh table and attached, which fires no trigger, so the
 * attached partition's names are added here.
 *
 * Region codes and partition names reach here built from validated codes (6 digits).
 */
export async function addPartitionPayeeNames(client: PoolClient, table: string, regionCode: string, part: string): Promise<void> {
  if (table !== 'payment_vouchers') return;
  const sql = sqlOf(client);
  // The region's names already have a partition with rows in it (written around the loader, or
  // kept from vouchers since removed): a few more names, through the parent.
  if (await holdsNames(sql, regionCode)) {
    await sql(
      `insert into payee_names (region_code, payee_name)
       select distinct region_code, payee_name from ${part}
       on conflict do nothing`,
    );
    return;
  }
  await freshPayeeNamesPartition(sql, regionCode, part);
}

/** The region's names partition, created empty when it has none (rows then route to it, not to the default). */
export async function ensurePayeeNamesPartition(sql: Sql, regionCode: string): Promise<void> {
  if (!(await tableExists(sql, partitionName('payee_names', regionCode)))) await freshPayeeNamesPartition(sql, regionCode);
}

async function holdsNames(sql: Sql, regionCode: string): Promise<boolean> {
  const names = partitionName('payee_names', regionCode);
  if (!(await tableExists(sql, names))) return false;
  const { rows: held } = await sql(`select exists (select 1 from ${names}) as any`);
  return held[0].any === true;
}

/**
 * The region's names as a fresh partition: a standalone table filled by one INSERT … SELECT
 * DISTINCT over the vouchers' partition (when given) and whatever names of the region the default
 * partition held, then its primary key and characters index built once each by sorting, then
 * attached — ATTACH finds the parent's two indexes already there and adopts them, and the CHECK
 * constraint spares it a scan. bench:etl (six regions, ~436,000 distinct names in 1M vouchers;
 * shared machine at load ≈ 4, log_min_duration_statement): the names took 9.50 s inserted one by
 * one into the shared table's (pair-gram) index, 2.77 s this way with the characters index.
 */
async function freshPayeeNamesPartition(sql: Sql, regionCode: string, voucherPart?: string): Promise<void> {
  const names = await detachedPartition(sql, 'payee_names', regionCode); // an earlier one was empty (holdsNames), or absent
  const moved = `(delete from payee_names_default where region_code = '${regionCode}' returning region_code, payee_name)`;
  // The UNION's distinct names by hashing, not by sorting every voucher's name in the database's
  // collation: at the default work_mem the planner sorts on disk (310,585 vouchers, 122,946
  // names: 0.43–1.04 s sorted, 0.23–0.26 s hashed). The hash holds one entry per distinct name.
  if (voucherPart) await sql(`set local work_mem = '128MB'`);
  await sql(
    voucherPart
      ? `with moved as ${moved} insert into ${names} (region_code, payee_name)
         select region_code, payee_name from ${voucherPart} union select region_code, payee_name from moved`
      : `with moved as ${moved} insert into ${names} (region_code, payee_name) select region_code, payee_name from moved`,
  );
  if (voucherPart) await sql('reset work_mem');
  await sql(`alter table ${names} add primary key (region_code, payee_name)`);
  await sql(`create index ${names}_chars_idx on ${names} using gin (string_to_array(lower(payee_name), null))`);
  await sql(`alter table payee_names attach partition ${names} for values in ('${regionCode}')`);
}
