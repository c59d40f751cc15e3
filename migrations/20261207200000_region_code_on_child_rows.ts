import type { Knex } from 'knex';

// Issue 20 item 3 (a schema ready to be distributed by region on Citus, docs/SCALE-OUT.md):
// the rows that hang off a batch or an alert carry their region themselves and are keyed by
// (region_code, id), so each sits on its region's shard beside its parent and needs no join
// to find it. The region is copied from the parent row (moving the rows into their new shape
// is part of this schema change, migrations/README.md); writers set it from now on.
const CHILDREN = [
  { table: 'alert_events', parent: 'alerts', via: 'alert_id' },
  { table: 'batch_files', parent: 'batches', via: 'batch_id' },
  { table: 'quarantine', parent: 'batches', via: 'batch_id' },
] as const;

export async function up(knex: Knex): Promise<void> {
  for (const { table, parent, via } of CHILDREN) {
    await knex.schema.alterTable(table, (t) => {
      t.text('region_code');
    });
    await knex.raw('update ?? c set region_code = p.region_code from ?? p where p.id = c.??', [table, parent, via]);
    await knex.raw('alter table ?? alter column region_code set not null', [table]);
    await knex.raw('alter table ?? add foreign key (region_code) references regions (code)', [table]);
    await knex.raw('alter table ?? drop constraint ??', [table, `${table}_pkey`]);
    await knex.raw('alter table ?? add primary key (region_code, id)', [table]);
  }
  // Citus wants the region in every unique constraint too; a batch is in one region, so the
  // constraint allows exactly what it allowed before. Last, so the index still serves the
  // lookups by batch (and feed) that name no region (the voucher page's lineage, the Data page).
  await knex.schema.alterTable('batch_files', (t) => {
    t.dropUnique(['batch_id', 'feed']);
    t.unique(['batch_id', 'feed', 'region_code']);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('batch_files', (t) => {
    t.dropUnique(['batch_id', 'feed', 'region_code']);
    t.unique(['batch_id', 'feed']);
  });
  for (const { table } of [...CHILDREN].reverse()) {
    await knex.raw('alter table ?? drop constraint ??', [table, `${table}_pkey`]);
    await knex.raw('alter table ?? add primary key (id)', [table]);
    await knex.schema.alterTable(table, (t) => {
      t.dropColumn('region_code');
    });
  }
}
