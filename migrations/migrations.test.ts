import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../api/src/testing/index.js';
import { migrateLatest, rollbackAll, schemaVersion } from '../api/src/db/migrator.js';
import { ROOT_DIR } from '../api/src/config.js';
import { codeTableRegionCodes } from './lib/code-tables.js';
import { DIVISIONS_PACKAGE } from './lib/divisions.js';

const FEED_TABLES = [
  'agencies', 'budget_indicators', 'payment_vouchers', 'revenues', 'audit_findings',
  'debt_bonds', 'debt_repayments', 'debt_limits', 'state_asset_reports', 'asset_cards',
  'performance_targets', 'transfer_payments',
  'budget_drafts',
];

async function userTables(db: TestDatabase): Promise<string[]> {
  const { rows } = await db.knex.raw(
    "select table_name from information_schema.tables where table_schema = 'public' and table_name not like 'knex_%' order by 1",
  );
  return rows.map((r: { table_name: string }) => r.table_name);
}

describe('migrations', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase({ migrated: false });
  });
  afterAll(() => db.drop());

  it('run forward from an empty database', async () => {
    expect(await userTables(db)).toEqual([]);
    const applied = await migrateLatest(db.knex);
    expect(applied.length).toBeGreaterThan(0);
    const tables = await userTables(db);
    for (const t of [...FEED_TABLES, 'regions', 'func_classes', 'econ_classes', 'fund_types', 'batches', 'quarantine',
      'superseded_rows', 'etl_runs', 'users', 'roles', 'alerts', 'alert_events', 'rule_settings', 'rule_setting_history', 'reports']) {
      expect(tables).toContain(t);
    }
    expect(await schemaVersion(db.knex)).toBe(applied[applied.length - 1].replace(/\.ts$/, ''));
  });

  it('store every amount as numeric(18,2) and every code as text', async () => {
    const { rows } = await db.knex.raw(
      `select table_name, column_name, data_type, numeric_precision, numeric_scale
         from information_schema.columns
        where table_schema = 'public' and table_name = any(?)`,
      [FEED_TABLES],
    );
    const money = rows.filter((r: { table_name: string; column_name: string }) =>
      /amount|principal|interest|limit|balance|capacity|assets|liabilities|revenue|profit|value/.test(r.column_name) &&
      !/_code$|_name$/.test(r.column_name) &&
      // A performance target's value is a decimal or, for 定性, words: text as delivered.
      !(r.table_name === 'performance_targets' && /^(target|actual)_value$/.test(r.column_name)),
    );
    expect(money.length).toBeGreaterThan(15);
    for (const c of money) expect([c.table_name, c.column_name, c.data_type, c.numeric_precision, c.numeric_scale]).toEqual([c.table_name, c.column_name, 'numeric', 18, 2]);
    const codes = rows.filter((r: { column_name: string }) => /_code$|_no$/.test(r.column_name));
    for (const c of codes) expect([c.table_name, c.column_name, c.data_type]).toEqual([c.table_name, c.column_name, 'text']);
  });

  it('load the code tables with real names and the region hierarchy', async () => {
    const f = await db.knex('func_classes').where({ code: '2050202' }).first();
    expect(f).toMatchObject({ name: '小学教育', level: 3, parent_code: '20502' });
    const e = await db.knex('econ_classes').where({ code: '30217' }).first();
    expect(e).toMatchObject({ name: '公务接待费', level: 2, parent_code: '302' });
    const county = await db.knex('regions').where({ code: '411121' }).first();
    expect(county).toMatchObject({ name: '舞阳县', level: 'county', parent_code: '411100' });
    expect(await db.knex('fund_types').orderBy('code').pluck('name')).toEqual(['一般公共预算', '政府性基金预算', '国有资本经营预算', '社会保险基金预算']);
  });

  it('hold every division of China from the pinned package, the demo regions unchanged, with the load recorded', async () => {
    const { n } = (await db.knex('regions').count({ n: '*' }).first()) as { n: string };
    expect(Number(n)).toBeGreaterThan(3000);
    const rows = await db.knex('regions').whereIn('code', ['510000', '511300', '511324', '410102', '110101', '440300']).orderBy('code');
    expect(rows.map((r) => [r.code, r.name, r.level, r.parent_code])).toEqual([
      ['110101', '东城区', 'county', '110000'],
      ['410102', '中原区', 'county', '410100'],
      ['440300', '深圳市', 'city', '440000'],
      ['510000', '四川省', 'province', null],
      ['511300', '南充市', 'city', '510000'],
      ['511324', '仪陇县', 'county', '511300'],
    ]);
    const demo = await db.knex('regions').whereIn('code', codeTableRegionCodes()).orderBy('code');
    expect(demo.map((r) => `${r.code} ${r.name} ${r.level} ${r.parent_code ?? ''}`)).toEqual([
      '410000 河南省 province ', '411100 漯河市 city 410000', '411102 源汇区 county 411100', '411103 郾城区 county 411100',
      '411104 召陵区 county 411100', '411121 舞阳县 county 411100', '411122 临颍县 county 411100',
    ]);
    // Every parent exists and is one level up or the province itself.
    const { rows: orphans } = await db.knex.raw(
      `select c.code from regions c left join regions p on p.code = c.parent_code
        where (c.parent_code is null) <> (c.level = 'province') or (c.parent_code is not null and p.code is null)`,
    );
    expect(orphans).toEqual([]);
    const pkg = JSON.parse(fs.readFileSync(path.join(ROOT_DIR, 'package.json'), 'utf8')) as { dependencies: Record<string, string> };
    expect(await db.knex('code_table_loads').select('code_table', 'package', 'version', 'rows')).toEqual([
      { code_table: 'regions', package: DIVISIONS_PACKAGE, version: pkg.dependencies[DIVISIONS_PACKAGE], rows: Number(n) },
    ]);
  });

  it('keep amounts exact and dates as plain strings through node-postgres', async () => {
    const { rows } = await db.knex.raw("select 12345678901234.56::numeric(18,2) as amount, date '2025-09-30' as d");
    expect(rows[0]).toEqual({ amount: '12345678901234.56', d: '2025-09-30' });
  });

  it('roll back cleanly to empty and forward again', async () => {
    await rollbackAll(db.knex);
    expect(await userTables(db)).toEqual([]);
    await migrateLatest(db.knex);
    expect(await userTables(db)).toContain('payment_vouchers');
    expect(await db.knex('func_classes').count({ n: '*' }).first()).not.toEqual({ n: '0' });
  });
});
