import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROOT_DIR } from '../../config.js';
import { createTestDatabase, type TestDatabase, BEHIND_SCHEDULE_ROWS, insertRows } from '../../testing/index.js';
import { evaluateRules } from '../../rules/index.js';
import { getAlert } from '../alerts/queries.js';
import { buildAssignmentLetter, saveLetterhead } from './letter.js';

// The 交办函 as the department receives it: LibreOffice opens the .docx and prints it to PDF,
// pdftoppm renders the page to test-results/letter/ (git-ignored) to be looked at.
const OUT = path.join(ROOT_DIR, 'test-results', 'letter');

describe('交办函 rendered by LibreOffice', () => {
  let db: TestDatabase;
  let pdf: string;
  let profile: string;

  beforeAll(async () => {
    db = await createTestDatabase();
    await insertRows(db.knex, BEHIND_SCHEDULE_ROWS);
    await evaluateRules(db.knex, { regionCode: '411100', asOf: '2025-12-31', trigger: 'test' });
    const { id } = await db.knex('alerts').where({ rule_id: 'R01', subject_key: 'unit:U1' }).first('id');
    const staffId = (await db.knex('users').insert({ username: 's', display_name: 's', password_hash: 'x', role: 'staff', region_code: '411100' }).returning('id'))[0].id;
    await db.knex('alerts').where({ id }).update({ status: 'assigned', assigned_agency_code: 'D1', reply_deadline: '2026-01-31' });
    await db.knex('alert_events').insert({ region_code: '411100', alert_id: id, kind: 'transition', from_status: 'confirmed', to_status: 'assigned', actor_id: staffId, note: '请说明支出进度滞后的原因，提出整改措施和完成时限。' });
    await saveLetterhead(db.knex, { office: '漯河市人大常委会预算工作委员会', signature: '漯河市人大常委会预算工作委员会', contact: '王敏，0395-3000000' }, String(staffId));
    const letter = await buildAssignmentLetter(db.knex, (await getAlert(db.knex, { regionCode: '411100', id: String(id) }))!, '2026-01-06');
    fs.rmSync(OUT, { recursive: true, force: true });
    fs.mkdirSync(OUT, { recursive: true });
    const docx = path.join(OUT, 'letter.docx');
    fs.writeFileSync(docx, letter.buffer);
    profile = fs.mkdtempSync(path.join(os.tmpdir(), 'bw-lo-'));
    execFileSync('libreoffice', [`-env:UserInstallation=file://${profile}`, '--headless', '--convert-to', 'pdf', '--outdir', OUT, docx], { stdio: 'pipe', timeout: 120_000 });
    pdf = path.join(OUT, 'letter.pdf');
    execFileSync('pdftoppm', ['-r', '70', '-png', pdf, path.join(OUT, 'letter-page')], { timeout: 60_000 });
  }, 240_000);

  afterAll(async () => {
    if (profile) fs.rmSync(profile, { recursive: true, force: true });
    await db?.drop();
  });

  it('opens as one A4 page with the letterhead, the department, the finding, the request and the deadline in a CJK font', () => {
    const pages = fs.readdirSync(OUT).filter((f) => f.startsWith('letter-page') && f.endsWith('.png'));
    expect(pages).toHaveLength(1);
    const text = execFileSync('pdftotext', ['-layout', pdf, '-'], { encoding: 'utf8' }).replace(/\s+/g, '');
    for (const s of [
      '漯河市人大常委会预算工作委员会', '交办函', '农业农村局：', '支出进度滞后', '单位农业技术推广中心支出进度60.00%',
      '请说明支出进度滞后的原因', '2026年1月31日前', '联系人：王敏，0395-3000000', '2026年1月6日',
    ]) expect(text).toContain(s);
    expect(execFileSync('pdffonts', [pdf], { encoding: 'utf8' })).toMatch(/CJK|Noto|WenQuanYi|Droid Sans Fallback/i);
    const info = execFileSync('pdfinfo', [pdf], { encoding: 'utf8' });
    expect(info).toMatch(/Page size:.*\(A4\)/);
  });
});
