import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROOT_DIR } from '../api/src/config.js';
import { createTestDatabase, type TestDatabase } from '../api/src/testing/index.js';

/**
 * Issue 20 item 3: a schema ready to be distributed by region on Citus (docs/SCALE-OUT.md).
 * Every table is one of three kinds, and a table added later must say which:
 *   - distributed by `region_code`: it holds a region's rows, `region_code` is in its primary key
 *     (Citus requires the distribution column in every primary key and unique constraint);
 *   - a reference table (small, read across regions, copied to every node), named here and in
 *     docs/ARCHITECTURE.md's list;
 *   - the migrator's own bookkeeping, which stays on the coordinator.
 * KNOWN_EXCEPTIONS hold a region's rows but are still keyed by a global id that URLs and other
 * tables use; each says why it is not re-keyed yet. The list may only shrink.
 */
export const REFERENCE_TABLES = [
  // Code tables and the division tree: read by every region's queries.
  'regions', 'func_classes', 'econ_classes', 'fund_types', 'revenue_classes', 'code_table_loads',
  // Accounts: a user's region is a column; a session is found by its token alone.
  'roles', 'users', 'sessions', 'login_codes', 'access_log',
  // Settings, read along the region tree (a region's own, else its parents', else the defaults).
  'app_settings', 'rule_settings', 'rule_setting_history', 'region_settings', 'region_setting_history',
  // The loader's configuration and runs: a nightly run spans every region.
  'data_sources', 'etl_runs',
];
const COORDINATOR_ONLY = ['knex_migrations', 'knex_migrations_lock'];

// Empty: every table that holds a region's rows is keyed by region (20261208500000–500300,
// 20261209200000). A new entry needs a reason and a change that removes it.
export const KNOWN_EXCEPTIONS: Record<string, string> = {};

interface TableKeys {
  table: string;
  pk: string[];
  regionColumn: { nullable: boolean } | null;
}

interface ForeignKey {
  name: string;
  table: string;
  columns: string[];
  refTable: string;
  refColumns: string[];
}

/** The tables named in docs/ARCHITECTURE.md's reference-table line (between backticks). */
function documentedReferenceTables(): string[] {
  const doc = fs.readFileSync(path.join(ROOT_DIR, 'docs/ARCHITECTURE.md'), 'utf8');
  const line = doc.split('\n').find((l) => l.startsWith('**Reference tables**'));
  if (!line) throw new Error('docs/ARCHITECTURE.md has no "**Reference tables**" line');
  // The names after the line's lead-in, which may name a Citus function in backticks itself.
  return [...line.slice(line.indexOf('):') + 2).matchAll(/`([a-z_]+)`/g)].map((m) => m[1]!);
}

describe('a schema ready to be distributed by region (Citus)', () => {
  let db: TestDatabase;
  let tables: TableKeys[];
  let fks: ForeignKey[];
  beforeAll(async () => {
    db = await createTestDatabase();
    // Every base table of the schema (information_schema), less the partitions: they follow their parent.
    const partitions = new Set((await db.knex.raw<{ rows: { name: string }[] }>('select inhrelid::regclass::text as name from pg_inherits')).rows.map((r) => r.name));
    const names: string[] = (await db.knex('information_schema.tables').where({ table_schema: 'public', table_type: 'BASE TABLE' }).orderBy('table_name').pluck('table_name'))
      .filter((t: string) => !partitions.has(t));
    const pkColumns: { table_name: string; column_name: string }[] = await db.knex('information_schema.table_constraints as c')
      .join('information_schema.key_column_usage as k', (j) => j.on('k.constraint_name', 'c.constraint_name').andOn('k.table_schema', 'c.table_schema').andOn('k.table_name', 'c.table_name'))
      .where({ 'c.table_schema': 'public', 'c.constraint_type': 'PRIMARY KEY' })
      .orderBy(['k.table_name', 'k.ordinal_position'])
      .select('k.table_name', 'k.column_name');
    const regionColumns: { table_name: string; is_nullable: string }[] = await db.knex('information_schema.columns')
      .where({ table_schema: 'public', column_name: 'region_code' })
      .select('table_name', 'is_nullable');
    tables = names.map((table) => {
      const col = regionColumns.find((c) => c.table_name === table);
      return { table, pk: pkColumns.filter((c) => c.table_name === table).map((c) => c.column_name), regionColumn: col ? { nullable: col.is_nullable === 'YES' } : null };
    });
    const fk = await db.knex.raw<{ rows: ForeignKey[] }>(`
      select con.conname as name, src.relname as table, dst.relname as "refTable",
             array(select attname::text from unnest(con.conkey) with ordinality k(n, o) join pg_attribute a on a.attrelid = con.conrelid and a.attnum = k.n order by k.o) as columns,
             array(select attname::text from unnest(con.confkey) with ordinality k(n, o) join pg_attribute a on a.attrelid = con.confrelid and a.attnum = k.n order by k.o) as "refColumns"
        from pg_constraint con
        join pg_class src on src.oid = con.conrelid
        join pg_class dst on dst.oid = con.confrelid
        join pg_namespace n on n.oid = src.relnamespace
       where con.contype = 'f' and n.nspname = 'public' and not src.relispartition and con.conparentid = 0
       order by 2, 1`);
    fks = fk.rows;
  });
  afterAll(() => db?.drop());

  const kind = (t: string) =>
    REFERENCE_TABLES.includes(t) ? 'reference' : COORDINATOR_ONLY.includes(t) ? 'coordinator' : t in KNOWN_EXCEPTIONS ? 'exception' : 'distributed';

  it('keys every table that holds a region\'s rows by region_code (a new table: add it to its key, or name it a reference table)', () => {
    expect(tables.length).toBeGreaterThan(40);
    const wrong = tables
      .filter((t) => kind(t.table) === 'distributed')
      .filter((t) => !t.regionColumn || t.regionColumn.nullable || !t.pk.includes('region_code'))
      .map((t) => `${t.table} (primary key ${t.pk.join(', ') || 'none'}${t.regionColumn ? '' : ', no region_code'})`);
    expect(wrong).toEqual([]);
    // The tables this issue re-keyed, and the feeds, lead with the region.
    for (const t of ['alert_events', 'batch_files', 'quarantine', 'alerts', 'rule_evaluations', 'batches', 'superseded_rows', 'reports', 'liaison_replies', 'reply_attachments', 'reply_reminders', 'review_findings', 'review_opinions', 'review_opinion_docs', 'payment_vouchers', 'agencies']) {
      expect(tables.find((x) => x.table === t)?.pk[0], t).toBe('region_code');
    }
  });

  it('has region_code in every unique index of a distributed table (Citus enforces uniqueness shard by shard)', async () => {
    const { rows } = await db.knex.raw<{ rows: { table: string; index: string; cols: string[] }[] }>(`
      select c.relname as table, ic.relname as index,
             array(select a.attname::text from unnest(i.indkey::int2[]) k(n) join pg_attribute a on a.attrelid = i.indrelid and a.attnum = k.n) as cols
        from pg_index i
        join pg_class c on c.oid = i.indrelid
        join pg_class ic on ic.oid = i.indexrelid
        join pg_namespace n on n.oid = c.relnamespace
       where n.nspname = 'public' and i.indisunique and not c.relispartition
       order by 1, 2`);
    const wrong = rows.filter((r) => kind(r.table) === 'distributed' && !r.cols.includes('region_code')).map((r) => `${r.table}: ${r.index}`);
    expect(wrong).toEqual([]);
  });

  it('names only existing tables in its lists, and no exception that is keyed by region already (the list only shrinks)', () => {
    const names = tables.map((t) => t.table);
    expect([...REFERENCE_TABLES, ...COORDINATOR_ONLY, ...Object.keys(KNOWN_EXCEPTIONS)].filter((t) => !names.includes(t))).toEqual([]);
    const fixed = tables.filter((t) => t.table in KNOWN_EXCEPTIONS && t.pk.includes('region_code')).map((t) => t.table);
    expect(fixed, 'keyed by region now: move it out of KNOWN_EXCEPTIONS').toEqual([]);
    // Each exception at least carries the column it will be distributed by.
    const without = tables.filter((t) => t.table in KNOWN_EXCEPTIONS && (!t.regionColumn || t.regionColumn.nullable)).map((t) => t.table);
    expect(without).toEqual([]);
  });

  it('lists the same reference tables as docs/ARCHITECTURE.md', () => {
    expect(documentedReferenceTables().sort()).toEqual([...REFERENCE_TABLES].sort());
  });

  it('has foreign keys Citus accepts: between distributed tables through region_code; never from a reference table to a distributed one', () => {
    const problems: string[] = [];
    for (const f of fks) {
      const [from, to] = [kind(f.table), kind(f.refTable)];
      if (from === 'reference' && to !== 'reference') problems.push(`${f.table} → ${f.refTable}: a reference table cannot refer to a distributed one`);
      // To a known exception the key is its id by construction; those go when the exception does.
      if (from === 'distributed' && to === 'distributed') {
        const i = f.columns.indexOf('region_code');
        if (i < 0 || f.refColumns[i] !== 'region_code') problems.push(`${f.table}(${f.columns.join(', ')}) → ${f.refTable}(${f.refColumns.join(', ')}): not through region_code`);
      }
    }
    expect(problems).toEqual([]);
  });
});
