import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROOT_DIR } from '../api/src/config.js';
import { createTestDatabase, type TestDatabase, AGENCIES_CSV, csv, tempInbox, VOUCHER_HEADER, voucher, writeBundle } from '../api/src/testing/index.js';
import { BUNDLE_CODES, loadBundle, QUARANTINE_CODES } from '../etl/src/index.js';
import { up } from './20261206800100_backfill_reason_codes.js';

const TODAY = '2026-11-23';
const good = voucher('OK', '1.00');
const vouchers = (...rows: string[][]) => csv([VOUCHER_HEADER, ...rows]);

/** Bundles that each end in one rejection code (region, files). */
const REJECTED: [string, Record<string, string | Buffer>][] = [
  ['511324', { 'agencies.csv': AGENCIES_CSV }],
  ['411100', { 'readme.txt': 'x' }],
  ['411100', { 'agencies.csv': AGENCIES_CSV, 'agencies.xlsx': 'x' }],
  ['411100', { 'agencies.csv': AGENCIES_CSV, '_manifest.json': '{feeds:' }],
  ['411100', { 'agencies.csv': AGENCIES_CSV, '_manifest.json': '{"feeds":{"agencies":{"rows":-1}}}' }],
  ['411100', { 'agencies.csv': AGENCIES_CSV, '_manifest.json': '{"feeds":{"nonsense":{}}}' }],
  ['411100', { 'agencies.csv': AGENCIES_CSV, '_manifest.json': '{"feeds":{"revenues":{"rows":1}}}' }],
  ['411100', { 'payment_vouchers.csv': vouchers(good), '_manifest.json': '{"feeds":{"payment_vouchers":{"rows":2}}}' }],
  ['411100', { 'payment_vouchers.csv': vouchers(good), '_manifest.json': '{"feeds":{"payment_vouchers":{"amount_sum":"2.00"}}}' }],
  ['411100', { 'payment_vouchers.csv': `${vouchers(good)}合计,,,,,,,,,,,,,9.00\n` }],
  ['411100', { 'agencies.xlsx': 'not a zip' }],
  ['411100', { 'payment_vouchers.csv': '' }],
  ['411100', { 'agencies.csv': Buffer.from('agency_code\0,agency_name\n') }],
  ['411100', { 'agencies.csv': Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('agency_code,agency_name\n', 'utf16le')]) }],
  ['411100', { 'agencies.csv': `${vouchers(good)}B,"open\n` }],
  ['411100', { 'payment_vouchers.csv': csv([VOUCHER_HEADER.filter((h) => h !== 'amount'), good.slice(0, -1)]) }],
  ['411100', { 'agencies.csv': 'agency_code,单位代码,agency_name\n1,1,x\n' }],
];

/** One bundle whose vouchers are quarantined for every row-level reason the CSV path can give. */
const QUARANTINED = vouchers(
  [...good, 'extra'],
  voucher('A', '1', { payee_name: '' }),
  voucher('B', '1', { payee_name: '名'.repeat(501) }),
  voucher('C', '1', { func_code: '2050' }),
  voucher('D', '1', { fund_type: '5' }),
  voucher('E', '1', { fiscal_year: 'x' }),
  voucher('F', '1', { fiscal_year: '26' }),
  voucher('G', '1.2e6'),
  voucher('H', '99999999999999.00'),
  voucher('I', '1', { pay_date: '2026-02-30' }),
  voucher('J', '1', { pay_date: '1999-12-31' }),
  voucher('K', '1', { agency_code: '999' }),
  voucher('L', '1'),
  voucher('L', '2'),
  voucher('M', '1', { pay_date: '2026-02-30', amount: 'x' }),
);

describe('migration 20261206800100: reason codes for rows recorded before the codes', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase();
    const inbox = tempInbox();
    await loadBundle(db.knex, writeBundle(inbox, '411100', '2026-11-01', { 'agencies.csv': AGENCIES_CSV }), { today: TODAY });
    await loadBundle(db.knex, writeBundle(inbox, '411100', '2026-11-02', { 'payment_vouchers.csv': QUARANTINED }), { today: TODAY });
    await loadBundle(db.knex, writeBundle(inbox, '411100', '2026-11-24', { 'agencies.csv': AGENCIES_CSV }), { today: TODAY });
    for (const [i, [region, files]] of REJECTED.entries()) {
      await loadBundle(db.knex, writeBundle(inbox, region, `2026-10-${String(i + 1).padStart(2, '0')}`, files), { today: TODAY });
    }
    // A symlink out of the inbox and a dangling one.
    const linked = writeBundle(inbox, '411100', '2026-09-01', {});
    fs.symlinkSync('/etc/passwd', path.join(linked, 'agencies.csv'));
    await loadBundle(db.knex, linked, { today: TODAY, inboxRoot: inbox });
    const dangling = writeBundle(inbox, '411100', '2026-09-02', {});
    fs.symlinkSync(path.join(inbox, 'nowhere.csv'), path.join(dangling, 'agencies.csv'));
    await loadBundle(db.knex, dangling, { today: TODAY, inboxRoot: inbox });
    // The committed bad-input set: the fixtures' own rejections and quarantines.
    const bad = path.join(ROOT_DIR, 'fixtures/bad');
    for (const c of fs.readdirSync(bad).sort()) {
      const e = JSON.parse(fs.readFileSync(path.join(bad, c, 'expected.json'), 'utf8')) as { bundle: string };
      await loadBundle(db.knex, path.join(bad, c, e.bundle), { today: TODAY });
    }
  });
  afterAll(() => db?.drop());

  it('gives the rows the code the loader gives them today, read from their Chinese text', async () => {
    const codes = async () => ({
      batches: await db.knex('batches').where({ status: 'rejected' }).orderBy('id').select('id', 'reject_code', 'reject_reason'),
      quarantine: await db.knex('quarantine').orderBy('id').select('id', 'reason_code', 'reason'),
    });
    const loader = await codes();
    // The loads above give every code but these (a bundle without a region of the table is not
    // recorded, a repeat is not a rejection; the rest need a hung, failing or odd file).
    const notHere = ['BAD_REGION_CODE', 'BAD_BUSINESS_DATE', 'UNKNOWN_REGION', 'SAME_DELIVERY', 'FOLDER_UNREADABLE', 'MIXED_ENCODING', 'MERGED_HEADER', 'READ_STALLED', 'DATABASE_REJECTED', 'LOAD_INTERRUPTED', 'LOAD_FAILED'];
    const bundleCodes = new Set(loader.batches.map((b) => b.reject_code));
    const rowCodes = new Set(loader.quarantine.map((q) => q.reason_code));
    expect([...bundleCodes].sort()).toEqual(Object.keys(BUNDLE_CODES).filter((c) => !notHere.includes(c)).sort());
    expect([...rowCodes].sort()).toEqual(Object.keys(QUARANTINE_CODES).filter((c) => !['BAD_RATE', 'BAD_SCORE'].includes(c)).sort());

    await db.knex('batches').update({ reject_code: null });
    await db.knex('quarantine').update({ reason_code: null });
    await up(db.knex);
    expect(await codes()).toEqual(loader);
  });

  it('leaves a text it does not know without a code, and a code already there as it is', async () => {
    const batch = await db.knex('batches').where({ status: 'rejected' }).first('id');
    await db.knex('batches').where({ id: batch.id }).update({ reject_code: null, reject_reason: '某个早已不用的说法' });
    const [{ id: other }] = await db.knex('batches').where({ status: 'rejected' }).whereNot({ id: batch.id }).orderBy('id').limit(1).select('id');
    await db.knex('batches').where({ id: other }).update({ reject_code: 'LOAD_FAILED' });
    await up(db.knex);
    expect(await db.knex('batches').where({ id: batch.id }).first('reject_code')).toEqual({ reject_code: null });
    expect(await db.knex('batches').where({ id: other }).first('reject_code')).toEqual({ reject_code: 'LOAD_FAILED' });
  });
});
