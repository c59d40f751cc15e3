import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, seedSmallCity, type TestDatabase } from '../../testing/index.js';
import { payeeIn, payeeNamesContaining, voucherTotals } from './voucher-queries.js';

/**
 * The payee search — the region's matching names through the characters' index on payee_names,
 * then their vouchers through the B-tree on payment_vouchers.payee_name (migrations 20261208100000,
 * 20261209100000) — answers exactly what a plain substring match answers: Chinese names,
 * one-character needles, Latin names in either case, LIKE's own wildcards typed as text. The
 * B-tree is on every partition, later ones too.
 */
const NAMES = [
  '张三', '张三丰', '李四', '王五', '张', '三', '河南省漯河市建筑工程有限公司', '漯河市第一建筑工程有限公司', '建设银行漯河分行',
  '漯河ABC科技有限公司', '漯河abc科技有限公司', 'Abc Trading', '百分之50%折扣店', '下划线_公司', '反斜杠\\公司', '哈哈哈哈', '哈',
  '临颍县张三', '张三张三', '（个人）张三', '  空格 张三 ', 'ＡＢＣ全角',
];
const NEEDLES = [
  '张', '三', '哈', '张三', '三丰', '哈哈', '哈哈哈', '漯河', '建筑工程', '有限公司', '漯河市第一', 'ABC', 'abc', 'Abc', 'a', 'B', '%', '50%', '_', '下划线_',
  '\\', '斜杠\\', ' ', '空格 张', '（', '个人）', '不存在的名字', '张四', '三张', 'ＡＢＣ', '全角',
];

describe('payee search (收款人) through the names\' characters index', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase();
    await seedSmallCity(db.knex, '2025-10-01');
    const regions = ['411100', '411122'];
    for (const region of regions) {
      const batch = await db.knex('batches').where({ region_code: '411100' }).first('id');
      await db.knex('payment_vouchers').insert(NAMES.map((payee_name, i) => ({
        region_code: region, batch_id: batch.id, source_line: 8000 + i, voucher_no: `PZPAYEE${String(i).padStart(3, '0')}`, fiscal_year: 2025,
        pay_date: '2025-08-01', agency_code: '411100101001', dept_code: '411100101', indicator_no: null, func_code: '2050202', econ_code: '30201',
        fund_type: '1', payee_name, amount: `${100 + i}.01`,
      })));
    }
    await db.knex.raw('analyze payment_vouchers');
  }, 120_000);
  afterAll(() => db?.drop());

  // Region by region, as every caller searches.
  const viaIndex = async (needle: string) => {
    const regions: string[] = await db.knex('payment_vouchers').distinct('region_code').orderBy('region_code').pluck('region_code');
    const found: { region_code: string; voucher_no: string }[] = [];
    for (const region of regions) {
      const names = await payeeNamesContaining(db.knex, region, needle);
      found.push(...(await payeeIn(db.knex('payment_vouchers as v').where('v.region_code', region), names).orderBy('v.voucher_no').select('v.region_code', 'v.voucher_no')));
    }
    return found;
  };
  const plain = async (op: 'like' | 'ilike', needle: string) =>
    (await db.knex.raw(
      `select region_code, voucher_no from payment_vouchers where payee_name ${op} '%' || replace(replace(replace(?, '\\', '\\\\'), '%', '\\%'), '_', '\\_') || '%' order by region_code, voucher_no`,
      [needle],
    )).rows as { region_code: string; voucher_no: string }[];

  it('selects the same vouchers as a substring match (LIKE), one-character needles included', async () => {
    let hits = 0;
    for (const needle of NEEDLES) {
      const want = await plain('like', needle);
      expect([needle, await viaIndex(needle)]).toEqual([needle, want]);
      hits += want.length;
    }
    // The needles do find vouchers (a test of two empty lists would prove nothing).
    expect(hits).toBeGreaterThan(100);
    expect((await viaIndex('张')).length).toBeGreaterThanOrEqual(2 * 7);
  });

  it('selects the same as ILIKE for Chinese needles, and the names\' index condition is a superset of ILIKE for any needle', async () => {
    for (const needle of NEEDLES.filter((n) => !/[A-Za-z]/.test(n))) expect([needle, await viaIndex(needle)]).toEqual([needle, await plain('ilike', needle)]);
    for (const needle of NEEDLES) {
      const { rows } = await db.knex.raw(
        `select count(*)::int as n from payee_names where payee_name ilike '%' || replace(replace(replace(?, '\\', '\\\\'), '%', '\\%'), '_', '\\_') || '%'
            and not (string_to_array(lower(payee_name), null) @> string_to_array(lower(?), null))`,
        [needle, needle],
      );
      expect([needle, rows[0].n]).toEqual([needle, 0]);
    }
  });

  it('gives the list footer the same count and sum as the plain match, per region', async () => {
    for (const needle of ['张三', '张', '有限公司', '%']) {
      const got = await voucherTotals(db.knex, { regionCode: '411122', fiscalYear: 2025, asOf: '2025-09-30', filters: {}, payee: needle });
      const { rows } = await db.knex.raw(
        `select count(*)::text as count, coalesce(sum(amount), 0)::numeric(38,2)::text as amount from payment_vouchers
          where region_code = '411122' and fiscal_year = 2025 and pay_date <= '2025-09-30' and strpos(payee_name, ?) > 0`,
        [needle],
      );
      expect([needle, got]).toEqual([needle, rows[0]]);
    }
  });

  it('is answered from the two indexes when scanning is dearer', async () => {
    const plan = async (trx: typeof db.knex, q: ReturnType<typeof db.knex>) => {
      const sql = q.toSQL().toNative();
      const { rows } = await trx.raw(`explain ${sql.sql.replace(/\$\d+/g, '?')}`, sql.bindings as string[]);
      return rows.map((r: { 'QUERY PLAN': string }) => r['QUERY PLAN']).join('\n');
    };
    // A region pays thousands of payees: with a few dozen, reading them all by the primary key
    // is cheaper than the characters' index and rightly chosen. Unused names are harmless (no voucher
    // carries them) and go again below.
    await db.knex.raw(`insert into payee_names (region_code, payee_name) select '411122', '合成收款人' || i from generate_series(1, 5000) i`);
    // VACUUM as autovacuum would: it moves the insert's names from the GIN's pending list into
    // the index proper (a pending list the planner rightly counts as a scan of its own).
    await db.knex.raw('vacuum analyze payee_names');
    await db.knex.transaction(async (trx) => {
      await trx.raw('set local enable_seqscan = off');
      const names = await payeeNamesContaining(trx, '411122', '张三');
      expect(names.length).toBeGreaterThan(3);
      const namesPlan = await plan(trx, trx('payee_names as n').where('n.region_code', '411122').andWhereRaw('string_to_array(lower(n.payee_name), null) @> string_to_array(lower(?), null)', ['张三']).select('n.payee_name'));
      expect(namesPlan).toMatch(/Bitmap Index Scan on payee_names_\w*(chars|string_to_array)_idx/);
      const voucherPlan = await plan(trx, payeeIn(trx('payment_vouchers as v'), names).where('v.region_code', '411122').select('v.voucher_no'));
      expect(voucherPlan).toMatch(/Index (Only )?Scan on payment_vouchers_\w*payee_name\w*idx/);
      // The names reach the planner as values: the filter hashes them rather than compare one by one.
      expect(voucherPlan).not.toMatch(/\$\d/);
    });
    await db.knex('payee_names').where('payee_name', 'like', '合成收款人%').delete();
  });

  it('keeps payee_names exactly the regions\' names (the seed and the test\'s rows went in through the parent\'s triggers)', async () => {
    const { rows } = await db.knex.raw(
      `(select region_code, payee_name from payment_vouchers except select region_code, payee_name from payee_names)
       union all
       (select region_code, payee_name from payee_names except select region_code, payee_name from payment_vouchers)`,
    );
    expect(rows).toEqual([]);
    expect(Number((await db.knex('payee_names').count({ n: '*' }).first())!.n)).toBeGreaterThan(2 * NAMES.length);
  });

  it('puts the vouchers\' B-tree on every partition, those created or attached after the migration too', async () => {
    await db.knex.raw(`create table payment_vouchers_999901 partition of payment_vouchers for values in ('999901')`);
    // The loader's first delivery of a region: a bare copy of the table, filled, then attached.
    await db.knex.raw(`create table payment_vouchers_999902 (like payment_vouchers including defaults, check (region_code = '999902'))`);
    await db.knex.raw(`alter table payment_vouchers attach partition payment_vouchers_999902 for values in ('999902')`);
    const { rows } = await db.knex.raw(
      `select c.relname as part, exists (select 1 from pg_indexes i where i.tablename = c.relname and i.indexdef like '%btree (payee_name COLLATE "C")%') as has
         from pg_inherits h join pg_class c on c.oid = h.inhrelid where h.inhparent = 'payment_vouchers'::regclass order by 1`,
    );
    expect(rows.length).toBeGreaterThanOrEqual(3);
    expect(rows.map((r: { part: string }) => r.part)).toEqual(expect.arrayContaining(['payment_vouchers_999901', 'payment_vouchers_999902', 'payment_vouchers_default']));
    expect(rows.filter((r: { has: boolean }) => !r.has)).toEqual([]);
    // No voucher carries a gram index any more (its build cost the loader ≈ 11 s per million rows),
    // nor do the names (20261209100000: their characters instead).
    const { rows: grams } = await db.knex.raw(`select indexname from pg_indexes where indexdef like '%text_grams%' order by 1`);
    expect(grams).toEqual([]);
    const { rows: chars } = await db.knex.raw(`select indexname from pg_indexes where tablename = 'payee_names' and indexdef like '%gin (string_to_array(lower(payee_name)%' order by 1`);
    expect(chars.map((r: { indexname: string }) => r.indexname)).toEqual(['payee_names_chars_idx']);
  });
});
