/**
 * What migration 20261123070000 needs to give each existing region its partition of a
 * LIST-partitioned table, copied from the loader (etl/src/load/region-partition.ts) as it was
 * then: a migration must not change when the loader does, so it never imports loader code.
 *
 * Region codes reach here from the table itself (6 digits), so they are safe inside identifiers.
 */
export type Sql = (text: string) => Promise<{ rows: Record<string, unknown>[] }>;

const partitionName = (table: string, regionCode: string) => `${table}_${regionCode}`;

export async function isPartitioned(sql: Sql, table: string): Promise<boolean> {
  const { rows } = await sql(`select relkind from pg_class where oid = '${table}'::regclass`);
  return rows[0]?.relkind === 'p';
}

/** The region's partition, created empty when it does not exist yet (rows then route to it, not to the default). */
export async function ensureRegionPartition(sql: Sql, table: string, regionCode: string): Promise<void> {
  const part = partitionName(table, regionCode);
  const { rows } = await sql(`select to_regclass('${part}') is not null as present`);
  if (rows[0].present) return;
  await sql(`create table ${part} partition of ${table} for values in ('${regionCode}')`);
  await copyExtendedStatistics(sql, table, part);
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
