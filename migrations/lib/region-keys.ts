import type { Knex } from 'knex';

/**
 * Re-keying tables by (region_code, id) for Citus (issue 20 item 3, docs/SCALE-OUT.md): what
 * the 2026-12-08 re-keying migrations share. Named constraints keep the names knex gave them
 * (`<table>_pkey`, `<table>_<column>_foreign`), so a later migration or a `down` finds the same
 * names whatever the shape.
 */

export interface ForeignKey {
  table: string;
  name: string;
  columns: string[];
  parent: string;
  parentColumns: string[];
  onDelete?: 'cascade';
}

/**
 * Keys `tables` by (region_code, id) and turns `foreignKeys` (given as they are, by id alone)
 * to go through region_code; `keyById` undoes it for a migration's `down`.
 */
export async function keyByRegion(knex: Knex, tables: string[], foreignKeys: ForeignKey[]): Promise<void> {
  await rekey(knex, tables, ['region_code', 'id'], foreignKeys, foreignKeys.map(throughRegion));
}

export async function keyById(knex: Knex, tables: string[], foreignKeys: ForeignKey[]): Promise<void> {
  await rekey(knex, tables, ['id'], foreignKeys, foreignKeys);
}

/** The foreign keys go first and come back last: a primary key they reference cannot be dropped. */
async function rekey(knex: Knex, tables: string[], key: string[], dropped: ForeignKey[], added: ForeignKey[]): Promise<void> {
  for (const fk of dropped) await knex.raw('alter table ?? drop constraint ??', [fk.table, fk.name]);
  for (const t of tables) {
    await knex.raw('alter table ?? drop constraint ??', [t, `${t}_pkey`]);
    await knex.raw(`alter table ?? add primary key (${key.map(() => '??').join(', ')})`, [t, ...key]);
  }
  for (const fk of added) await addForeignKey(knex, fk);
}

async function addForeignKey(knex: Knex, fk: ForeignKey): Promise<void> {
  const list = (cols: string[]) => cols.map(() => '??').join(', ');
  await knex.raw(
    `alter table ?? add constraint ?? foreign key (${list(fk.columns)}) references ?? (${list(fk.parentColumns)})${fk.onDelete ? ' on delete cascade' : ''}`,
    [fk.table, fk.name, ...fk.columns, fk.parent, ...fk.parentColumns],
  );
}

/** (batch_id) → batches (id) becomes (region_code, batch_id) → batches (region_code, id). */
const throughRegion = (fk: ForeignKey): ForeignKey => ({ ...fk, columns: ['region_code', ...fk.columns], parentColumns: ['region_code', ...fk.parentColumns] });
