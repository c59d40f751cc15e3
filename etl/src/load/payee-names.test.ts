import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AGENCIES_CSV, createTestDatabase, csv, tempInbox, type TestDatabase, VOUCHER_HEADER, voucher, writeBundle } from '../../../api/src/testing/index.js';
import { payeeNamesContaining, voucherTotals } from '../../../api/src/features/drilldown/voucher-queries.js';
import { loadBundle } from './load-bundle.js';

const TODAY = '2026-11-23';

/**
 * payee_names (migrations 20261208100000, 20261209100100) holds every name a voucher of the region carries, on
 * every way a voucher is written: a region's first delivery (COPYed into a fresh table and
 * attached: no trigger fires), a later delivery (stage and merge), a correction that renames a
 * payee (UPDATE), a plain INSERT. A name no voucher carries any more may stay; the search then
 * finds no voucher for it, as the substring match does.
 */
describe('payee_names stays exact on every write path', () => {
  let db: TestDatabase;
  const inbox = tempInbox();
  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterAll(() => db?.drop());

  const voucherNames = async () =>
    (await db.knex.raw(`select distinct region_code || ' ' || payee_name as n from payment_vouchers order by 1`)).rows.map((r: { n: string }) => r.n);
  const knownNames = async () =>
    (await db.knex.raw(`select region_code || ' ' || payee_name as n from payee_names order by 1`)).rows.map((r: { n: string }) => r.n);
  const namesPartitions = async () =>
    (await db.knex.raw(`select distinct tableoid::regclass::text || ' ' || region_code as p from payee_names order by 1`)).rows.map((r: { p: string }) => r.p);
  /** The partition's indexes that are partitions of payee_names' own two. */
  const namesIndexes = async (part: string) =>
    (await db.knex.raw(
      `select c.relname from pg_index x join pg_class c on c.oid = x.indexrelid join pg_inherits h on h.inhrelid = x.indexrelid
        where x.indrelid = ?::regclass and h.inhparent in ('payee_names_pkey'::regclass, 'payee_names_chars_idx'::regclass) order by 1`,
      [part],
    )).rows.map((r: { relname: string }) => r.relname);
  const load = async (date: string, vouchers: string[][], region = '411100') => {
    const files: Record<string, string> = { 'payment_vouchers.csv': csv([VOUCHER_HEADER, ...vouchers]) };
    if (date === '2026-11-20') files['agencies.csv'] = AGENCIES_CSV;
    const r = await loadBundle(db.knex, writeBundle(inbox, region, date, files), { today: TODAY });
    expect(r.outcome).toBe('committed');
    return r.files.find((f) => f.feed === 'payment_vouchers')!;
  };
  /** The search's answer and a plain substring match's, for the region. */
  const search = async (needle: string) => {
    const got = await voucherTotals(db.knex, { regionCode: '411100', fiscalYear: 2026, asOf: '2026-12-31', filters: {}, payee: needle });
    const { rows } = await db.knex.raw(
      `select count(*)::text as count, coalesce(sum(amount), 0)::numeric(38,2)::text as amount from payment_vouchers where region_code = '411100' and strpos(payee_name, ?) > 0`,
      [needle],
    );
    expect(got).toEqual(rows[0]);
    return Number(got.count);
  };

  it('after a first delivery, which is attached as the region\'s partition', async () => {
    const f = await load('2026-11-20', [
      voucher('PZ1', '1.00', { payee_name: '漯河市新华书店' }),
      voucher('PZ2', '2.00', { payee_name: '张三' }),
      voucher('PZ3', '3.00', { payee_name: '张三' }),
    ]);
    expect(f.direct).toBe(true);
    expect(await knownNames()).toEqual(['411100 张三', '411100 漯河市新华书店']);
    // Built as the region's own partition of the names (20261209100100), its indexes adopted by the parent's.
    expect(await namesPartitions()).toEqual(['payee_names_411100 411100']);
    expect(await namesIndexes('payee_names_411100')).toEqual(['payee_names_411100_chars_idx', 'payee_names_411100_pkey']);
    expect(await knownNames()).toEqual(await voucherNames());
    expect(await search('张三')).toBe(2);
  });

  it('after a later delivery, staged and merged', async () => {
    const f = await load('2026-11-21', [voucher('PZ4', '4.00', { payee_name: '李四建筑工程有限公司' }), voucher('PZ5', '5.00', { payee_name: '张三' })]);
    expect(f).toMatchObject({ direct: false, inserted: 2 });
    expect(await knownNames()).toEqual(['411100 张三', '411100 李四建筑工程有限公司', '411100 漯河市新华书店']);
    expect(await knownNames()).toEqual(await voucherNames());
    expect(await search('建筑工程')).toBe(1);
  });

  it('after a correction that renames a payee: the new name is found, the old one finds nothing', async () => {
    const f = await load('2026-11-22', [voucher('PZ4', '4.00', { payee_name: '李四建设工程有限公司' })]);
    expect(f).toMatchObject({ direct: false, updated: 1 });
    // The old name stays (no voucher carries it); every name a voucher carries is there.
    expect(await knownNames()).toEqual(['411100 张三', '411100 李四建筑工程有限公司', '411100 李四建设工程有限公司', '411100 漯河市新华书店']);
    expect(await db.knex.raw(`select region_code, payee_name from payment_vouchers except select region_code, payee_name from payee_names`).then((r) => r.rows)).toEqual([]);
    expect(await search('建筑工程')).toBe(0);
    expect(await search('建设工程')).toBe(1);
    expect(await search('李四')).toBe(1);
  });

  it('after rows written around the loader: an INSERT (into any region\'s partition, or the default one) and an UPDATE', async () => {
    const batch = (await db.knex('batches').first('id')).id;
    const row = (region: string, no: string, payee_name: string) => ({
      region_code: region, batch_id: batch, source_line: 1, voucher_no: no, fiscal_year: 2026, pay_date: '2026-11-20',
      agency_code: '411100101001', dept_code: '411100101', func_code: '2050202', econ_code: '30201', fund_type: '1', payee_name, amount: '9.00',
    });
    await db.knex('payment_vouchers').insert([row('411100', 'PZ9', '王五'), row('411122', 'PZ9', '临颍县王五')]);
    await db.knex('payment_vouchers').where({ region_code: '411100', voucher_no: 'PZ1' }).update({ payee_name: '漯河市新华书店（更正）' });
    expect(await db.knex.raw(`select tableoid::regclass::text as part from payment_vouchers where voucher_no = 'PZ9' order by 1`).then((r) => r.rows.map((x: { part: string }) => x.part)))
      .toEqual(['payment_vouchers_411100', 'payment_vouchers_default']);
    expect(await db.knex.raw(`select region_code, payee_name from payment_vouchers except select region_code, payee_name from payee_names`).then((r) => r.rows)).toEqual([]);
    expect(await knownNames()).toEqual(expect.arrayContaining(['411100 王五', '411122 临颍县王五', '411100 漯河市新华书店（更正）']));
    expect(await search('王五')).toBe(1);
    expect(await search('（更正）')).toBe(1);
  });

  it('after a first delivery that repeats a key and so goes through the stage after all', async () => {
    const f = await load('2026-11-20', [voucher('PZ1', '1.00', { payee_name: '舞阳县甲' }), voucher('PZ1', '2.00', { payee_name: '舞阳县乙' })], '411121');
    expect(f).toMatchObject({ direct: false, inserted: 1, quarantined: 1 });
    expect(await knownNames()).toEqual(expect.arrayContaining(['411121 舞阳县甲']));
    expect(await knownNames()).not.toContain('411121 舞阳县乙');
    // The stage's path gave the region its (then empty) partition of the names, filled through the triggers.
    expect(await namesPartitions()).toContain('payee_names_411121 411121');
  });

  it('after a first delivery of a region whose names sat in the default partition: moved into its own', async () => {
    await db.knex('payee_names').insert({ region_code: '411104', payee_name: '召陵区旧收款人' });
    expect(await namesPartitions()).toContain('payee_names_default 411104');
    const f = await load('2026-11-20', [voucher('PZ1', '1.00', { payee_name: '召陵区甲' })], '411104');
    expect(f.direct).toBe(true);
    expect(await namesPartitions()).toContain('payee_names_411104 411104');
    expect(await namesPartitions()).not.toContain('payee_names_default 411104');
    expect(await knownNames()).toEqual(expect.arrayContaining(['411104 召陵区旧收款人', '411104 召陵区甲']));
    expect(await namesIndexes('payee_names_411104')).toHaveLength(2);
    const names = await payeeNamesContaining(db.knex, '411104', '召陵区');
    expect(names.sort()).toEqual(['召陵区旧收款人', '召陵区甲']);
  });
});
