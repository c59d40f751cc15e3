import type { PoolClient } from 'pg';
import { lockPartitionAttach } from './lock.js';
import { addPartitionPayeeNames, ensurePayeeNamesPartition } from './payee-names.js';

/**
 * payment_vouchers is LIST-partitioned by region (migration 20261123070000): one partition per
 * region that has had a delivery, a default partition for rows written any other way. Its
 * secondary indexes leave region_code out (constant within a partition), which makes building
 * them ~40 % cheaper, and a region's first delivery builds only its own partition's indexes
 * instead of re-sorting every other region's rows.
 *
 * Region codes reach here validated (6 digits), so they are safe inside identifiers.
 */
export const partitionName = (table: string, regionCode: string) => `${table}_${regionCode}`;

/** A pg client's or knex's way to run one statement (no bindings: every value here is a validated code). */
export type Sql = (text: string) => Promise<{ rows: Record<string, unknown>[] }>;
export const sqlOf = (client: PoolClient): Sql => (text) => client.query(text);

export async function tableExists(sql: Sql, table: string): Promise<boolean> {
  const { rows } = await sql(`select to_regclass('${table}') is not null as present`);
  return rows[0]?.present === true;
}

/**
 * A standalone table shaped like `table` for one region, to be filled, indexed and attached as
 * its partition: any earlier one is dropped (the callers know it holds none of the region's
 * rows), and the CHECK constraint spares ATTACH a scan.
 */
export async function detachedPartition(sql: Sql, table: string, regionCode: string): Promise<string> {
  const part = partitionName(table, regionCode);
  await sql(`drop table if exists ${part}`);
  await sql(`create table ${part} (like ${table} including defaults, check (region_code = '${regionCode}'))`);
  return part;
}

export async function isPartitioned(sql: Sql, table: string): Promise<boolean> {
  const { rows } = await sql(`select relkind from pg_class where oid = '${table}'::regclass`);
  return rows[0]?.relkind === 'p';
}

/**
 * A fresh, index-less table for a region's first delivery, to be COPYed into and then attached.
 * The region holds no row of the table (the caller checked), so an existing partition of it is
 * empty and can go. attach() first builds the partition's indexes (the primary key included)
 * on the standalone table, from the parent's definitions, in one sorted pass each — with one
 * parallel worker beside the leader, two processes for two cores — and only then takes the
 * attach lock (lock.ts) and attaches: ATTACH adopts the matching indexes instead of building
 * them, and the CHECK constraint spares it a scan of the new rows, so the lock is held for
 * moments while the builds run beside the other regions' bundles.
 * ATTACH fires none of the parent's triggers: what they keep from new rows is done here.
 */
export async function freshRegionPartition(client: PoolClient, table: string, regionCode: string): Promise<{ table: string; attach: () => Promise<void> }> {
  const part = await detachedPartition(sqlOf(client), table, regionCode);
  return {
    table: part,
    attach: async () => {
      await client.query(`set local maintenance_work_mem = '256MB'`);
      await client.query('set local max_parallel_maintenance_workers = 1');
      await buildParentIndexes(sqlOf(client), table, part);
      await attachPartition(sqlOf(client), table, part, regionCode);
      await addPartitionPayeeNames(client, table, regionCode, part);
    },
  };
}

/**
 * The parent's indexes built on a standalone table about to become its partition, shaped as
 * ATTACH looks for them: the primary key (and any unique constraint) as a constraint, the
 * others as plain indexes named by PostgreSQL as ATTACH would name them.
 */
export async function buildParentIndexes(sql: Sql, table: string, part: string): Promise<void> {
  const { rows } = await sql(
    `select pg_get_indexdef(i.indexrelid) as def, c.contype, pg_get_constraintdef(c.oid) as condef
       from pg_index i left join pg_constraint c on c.conindid = i.indexrelid and c.conrelid = i.indrelid
      where i.indrelid = '${table}'::regclass order by i.indexrelid`,
  );
  for (const r of rows as { def: string; contype: string | null; condef: string | null }[]) {
    if (r.contype === 'p' || r.contype === 'u') {
      await sql(`alter table ${part} add ${r.condef}`);
      continue;
    }
    const onPart = r.def.replace(new RegExp(`^CREATE (UNIQUE )?INDEX \\S+ ON ONLY (\\S+\\.)?${table} `), `CREATE $1INDEX ON ${part} `);
    if (onPart === r.def) throw new Error(`unexpected index definition on ${table}: ${r.def}`);
    await sql(onPart);
  }
}

/** ATTACH under the attach lock (lock.ts), and the parent's extended statistics for the new partition. */
async function attachPartition(sql: Sql, table: string, part: string, regionCode: string): Promise<void> {
  await lockPartitionAttach(sql);
  await sql(`alter table ${table} attach partition ${part} for values in ('${regionCode}')`);
  await copyExtendedStatistics(sql, table, part);
}

/**
 * The region's partition, created empty when it does not exist yet (rows then route to it, not
 * to the default); for payment_vouchers, its payee names' partition as well. Created standalone
 * and attached, not CREATE … PARTITION OF: that takes ACCESS EXCLUSIVE on the parent, which
 * would wait for a first delivery loading beside this one (it holds ACCESS SHARE on the parent
 * from its CREATE TABLE … LIKE) while that one waits for the attach lock held here.
 */
export async function ensureRegionPartition(sql: Sql, table: string, regionCode: string): Promise<void> {
  await lockPartitionAttach(sql);
  if (!(await tableExists(sql, partitionName(table, regionCode)))) {
    const part = await detachedPartition(sql, table, regionCode);
    await attachPartition(sql, table, part, regionCode);
  }
  if (table === 'payment_vouchers') await ensurePayeeNamesPartition(sql, regionCode);
}

/**
 * Extended statistics are not inherited by partitions, and a query for one region is planned
 * on its partition alone: give the partition the parent's (see 20261123030100_voucher_statistics).
 */
async function copyExtendedStatistics(sql: Sql, table: string, part: string): Promise<void> {
  const { rows } = await sql(
    `select s.stxname as name, pg_get_statisticsobjdef(s.oid) as def
       from pg_statistic_ext s where s.stxrelid = '${table}'::regclass`,
  );
  for (const r of rows as { name: string; def: string }[]) {
    const def = r.def.replace(/^CREATE STATISTICS (\S+\.)?(\S+)/, `CREATE STATISTICS ${part}_${r.name.replace(`${table}_`, '')}`)
      .replace(new RegExp(` FROM (\\S+\\.)?${table}$`), ` FROM ${part}`);
    await sql(def);
  }
}
