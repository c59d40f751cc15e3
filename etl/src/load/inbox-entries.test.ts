import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase, AGENCIES_CSV, csv, tempInbox, VOUCHER_HEADER, voucher, writeBundle } from '../../../api/src/testing/index.js';
import { visibleRuns } from '../../../api/src/features/data/scope.js';
import type { PostLoadHook } from '../post-load.js';
import { loadInbox } from './inbox.js';
import { rerunDate } from './nightly.js';

const TODAY = '2026-11-23';

/**
 * Every inbox entry is judged on its own: bad ones are listed with their reason, the good
 * bundles load and get their post-load step, and no symlink leads the loader out of the inbox.
 */
describe('inbox entries', () => {
  let db: TestDatabase;
  let inbox: string;
  let outside: string;
  beforeAll(async () => {
    db = await createTestDatabase();
    inbox = tempInbox();
    outside = tempInbox('bw-outside-');
    writeBundle(inbox, '411100', '2026-11-20', { 'agencies.csv': AGENCIES_CSV, 'payment_vouchers.csv': csv([VOUCHER_HEADER, voucher('A1', '1.00')]), 'readme.txt': 'hi' });
    // Bad date folders, each with a loadable file inside.
    for (const d of ['0000-00-00', '2026-13-45', '20250930']) writeBundle(inbox, '411100', d, { 'agencies.csv': AGENCIES_CSV });
    // A region folder that is a dangling symlink, one that leads out of the inbox (to a real bundle), a stray file.
    fs.symlinkSync(path.join(outside, 'gone'), path.join(inbox, '411102'));
    writeBundle(outside, 'x', '2026-11-20', { 'agencies.csv': csv([['agency_code', 'agency_name', 'parent_code', 'agency_type'], ['411103101', '外部', '', '行政']]) });
    fs.symlinkSync(path.join(outside, 'x'), path.join(inbox, '411103'));
    fs.writeFileSync(path.join(inbox, 'notes.txt'), 'x');
    fs.mkdirSync(path.join(inbox, 'incoming'));
    // A date folder linked out of the inbox, and a bundle whose feed file is a link to /etc/passwd.
    fs.mkdirSync(path.join(inbox, '411104'));
    fs.symlinkSync(path.join(outside, 'x', '2026-11-20'), path.join(inbox, '411104', '2026-11-20'));
    const d = writeBundle(inbox, '411121', '2026-11-20', {});
    fs.symlinkSync('/etc/passwd', path.join(d, 'agencies.csv'));
  });
  afterAll(async () => {
    await db.drop();
  });

  it('loads the good bundle, lists every other entry with its reason, and post-loads what committed', async () => {
    const seen: string[] = [];
    const hook: PostLoadHook = async (_k, scope) => {
      seen.push(...scope.regions.keys());
    };
    const r = await loadInbox(db.knex, inbox, { today: TODAY, postLoad: [hook] });
    const outcome = Object.fromEntries(r.results.map((x) => [`${x.regionCode}/${x.businessDate}`, x.outcome]));
    expect(outcome).toEqual({ '411100/2026-11-20': 'committed', '411121/2026-11-20': 'rejected' });
    const linked = r.results.find((x) => x.regionCode === '411121')!;
    expect(linked.code).toBe('LINK_OUTSIDE_INBOX');
    expect(linked.reason).toContain('agencies.csv');
    expect(linked.reason).toContain('/etc/passwd');
    const codes = Object.fromEntries(r.skipped.map((s) => [s.path, s.code]));
    expect(codes).toEqual({
      '411100/0000-00-00': 'NOT_DATE_FOLDER',
      '411100/2026-13-45': 'NOT_DATE_FOLDER',
      '411100/20250930': 'NOT_DATE_FOLDER',
      '411100/2026-11-20/readme.txt': 'UNKNOWN_FILE',
      '411102': 'LINK_BROKEN',
      '411103': 'LINK_OUTSIDE_INBOX',
      '411104/2026-11-20': 'LINK_OUTSIDE_INBOX',
      'incoming': 'NOT_REGION_FOLDER',
      'notes.txt': 'NOT_REGION_FOLDER',
    });
    for (const s of r.skipped) expect(s.reason, s.path).toMatch(/\S/);
    // A compact date folder is told the name it should have.
    expect(r.skipped.find((s) => s.path === '411100/20250930')!.reason).toContain('2025-09-30');
    expect(seen).toEqual(['411100']);
    // Nothing from outside the inbox was read.
    expect(await db.knex('agencies').where({ agency_name: '外部' })).toHaveLength(0);
    const run = await db.knex('etl_runs').where({ id: r.runId }).first();
    expect(run.status).toBe('succeeded');
    expect(run.summary.skipped).toHaveLength(9);
    // A user of one region sees that region's entries of a run over the whole inbox, no others.
    const [seen411100] = await visibleRuns(db.knex, { limit: 1, offset: 0, regionCodes: ['411100'], role: 'staff' });
    expect((seen411100.summary as { skipped: { path: string }[] }).skipped.map((x) => x.path).sort()).toEqual([
      '411100/0000-00-00', '411100/20250930', '411100/2026-11-20/readme.txt', '411100/2026-13-45',
    ]);
  });

  it('re-running a date whose folder leads out of the inbox says so instead of loading it', async () => {
    await expect(rerunDate(db.knex, { inboxDir: inbox }, { regionCode: '411104', businessDate: '2026-11-20', postLoad: [] })).rejects.toThrow(
      /符号链接指向收件目录之外/,
    );
  });
});
