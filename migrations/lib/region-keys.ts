import type { Knex } from 'knex';

/**
 * Re-keying a table by (region_code, id) for Citus (issue 20 item 3, docs/SCALE-OUT.md): the
 * primary key and foreign key statements the 2026-12-08 re-keying migrations share. Named
 * constraints keep the names knex gave them (`<table>_pkey`, `<table>_<column>_foreign`), so a
 * later migration or a `down` finds the same names whatever the shape.
 */

/** Replaces `table`'s primary key by one on `columns`. */
export async function setPrimaryKey(knex: Knex, table: string, columns: string[]): Promise<void> {
  await knex.raw('alter table ?? drop constraint ??', [table, `${table}_pkey`]);
  await knex.raw(`alter table ?? add primary key (${columns.map(() => '??').join(', ')})`, [table, ...columns]);
}

export interface ForeignKey {
  table: string;
  name: string;
  columns: string[];
  parent: string;
  parentColumns: string[];
  onDelete?: 'cascade';
}

export async function addForeignKey(knex: Knex, fk: ForeignKey): Promise<void> {
  const list = (cols: string[]) => cols.map(() => '??').join(', ');
  await knex.raw(
    `alter table ?? add constraint ?? foreign key (${list(fk.columns)}) references ?? (${list(fk.parentColumns)})${fk.onDelete ? ' on delete cascade' : ''}`,
    [fk.table, fk.name, ...fk.columns, fk.parent, ...fk.parentColumns],
  );
}

export async function dropConstraint(knex: Knex, table: string, name: string): Promise<void> {
  await knex.raw('alter table ?? drop constraint ??', [table, name]);
}

/**
 * The foreign key `fk` as it was (by id alone) and as it becomes (through region_code first):
 * `through region` turns (batch_id) → batches (id) into (region_code, batch_id) → batches (region_code, id).
 */
export const throughRegion = (fk: ForeignKey): ForeignKey => ({ ...fk, columns: ['region_code', ...fk.columns], parentColumns: ['region_code', ...fk.parentColumns] });
