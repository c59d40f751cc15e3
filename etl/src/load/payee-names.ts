import type { PoolClient } from 'pg';

/**
 * payee_names (migration 20261208100000) holds each region's distinct payee names, which the
 * payee search looks up by their character grams before going to the vouchers. Statement
 * triggers on payment_vouchers keep it for every statement that writes through the parent (the
 * merge, a correction); a region's first delivery is COPYed into a fresh table and attached,
 * which fires no trigger, so the attached partition's names are inserted here. A partition of
 * one region holds a few thousand names per million vouchers: one hashed DISTINCT over it.
 *
 * `part` is the attached partition's name, built from a validated region code.
 */
export async function addPartitionPayeeNames(client: PoolClient, table: string, part: string): Promise<void> {
  if (table !== 'payment_vouchers') return;
  await client.query(
    `insert into payee_names (region_code, payee_name)
     select distinct region_code, payee_name from ${part}
     on conflict do nothing`,
  );
}
