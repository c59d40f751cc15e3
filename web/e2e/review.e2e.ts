import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { draftUnderReviewYear, openingFiscalYear } from '../../api/src/clock';
import { docxParts } from '../../api/src/report/docx-xml';
import { CHROMIUM, DESKTOP, hasHorizontalScroll, launchContext, login, PHONE, ROOT_DIR, screenshot, settled, startServer, type RunningServer } from './helpers';

// 预决算审查 (issue 16) in a real browser: staff open the demo city's draft, accept three
// findings and generate the 初审意见, whose document.xml holds those three with their figures and
// whose first page (LibreOffice → PDF → PNG, test-results/review/) is there to be looked at; a
// deputy leaves an opinion on a line, and a forged accept as deputy is refused with 403.
// No date is assumed: the server's data runs to its clock's yesterday (/api/health's dataAsOf),
// and the draft is next year's from October (under review, opened by default), else the opening
// year's (the workspace then opens on the approved budget, and the test names the draft).

type Ctx = Awaited<ReturnType<typeof launchContext>>;
const OUT = path.join(ROOT_DIR, 'test-results', 'review');
const findingText = async (page: Page, check: string) => ((await page.locator(`[data-check="${check}"] [data-test="finding-text"]`).first().textContent()) ?? '').trim();

describe('budget review workspace in a real browser', () => {
  let server: RunningServer;
  let base: string;
  const opened: Ctx[] = [];
  const open = async (vw = DESKTOP) => {
    const c = await launchContext(vw);
    opened.push(c);
    return c;
  };
  const accepted: string[] = [];
  /** The demo city's draft with its planted findings, and the document the workspace opens on. */
  let draftYear: number;
  let openingLabel: string;
  const draftUrl = (tab?: string) => `${base}/review?region=411100&fy=${draftYear}&stage=${encodeURIComponent('草案')}${tab ? `&tab=${tab}` : ''}`;

  beforeAll(async () => {
    if (!fs.existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} not found: install Debian's chromium (apt-get install chromium), as .ci/run does`);
    server = await startServer();
    base = server.url;
    const { dataAsOf } = (await (await fetch(`${base}/api/health`)).json()) as { dataAsOf: string };
    const next = draftUnderReviewYear(dataAsOf);
    draftYear = next ?? openingFiscalYear(dataAsOf);
    openingLabel = next ? `${next} 年预算草案·审查中` : `${openingFiscalYear(dataAsOf)} 年批准预算`;
  });
  afterAll(async () => {
    for (const c of opened) await c.close();
    await server?.stop();
  });

  it('staff open 411100\'s draft, accept three findings and generate the 初审意见 holding exactly those, with their figures', async () => {
    const { page } = await open();
    await login(page, base, 'staff');
    // With no document named, the workspace opens on the draft under review, else the approved budget.
    await page.goto(`${base}/review?region=411100`);
    await settled(page);
    await expect.poll(async () => (await page.locator('[data-test="review-doc"]').textContent()) ?? '', { timeout: 15_000 }).toContain(openingLabel);
    await page.goto(draftUrl());
    await settled(page);
    await page.locator('[data-test="finding"]').first().waitFor();
    await screenshot(page, 'review-findings-1440');
    for (const check of ['D01', 'D05', 'D07']) {
      const card = page.locator(`[data-check="${check}"]`).first();
      accepted.push(await findingText(page, check));
      await card.locator('[data-test="finding-accept"]').click();
      await card.locator('[data-test="finding-decision"]').waitFor();
    }
    expect(accepted.every((t) => /\d/.test(t))).toBe(true);
    await page.locator('[data-test="review-generate"]').click();
    const link = page.locator('[data-test="review-doc-download"]').first();
    await link.waitFor();
    const href = (await link.getAttribute('href'))!;
    // The archived document is named by region and id (the database's key, docs/SCALE-OUT.md).
    expect(href).toMatch(/\/review\/opinion-docs\/411100-\d+\/file$/);
    const res = await page.request.get(`${base}${href}`);
    expect(res.status()).toBe(200);
    const docx = Buffer.from(await res.body());
    const text = docxParts(docx).documentXml.replace(/<[^>]+>/g, '');
    for (const t of accepted) expect(text).toContain(t);
    expect(text).toContain('预算法第四十条');
    const notAccepted = await findingText(page, 'D09');
    expect(text).not.toContain(notAccepted);

    // The document as a person sees it: PDF by LibreOffice, the first page as PNG.
    fs.mkdirSync(OUT, { recursive: true });
    const file = path.join(OUT, 'opinion-411100.docx');
    fs.writeFileSync(file, docx);
    const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'bw-lo-'));
    try {
      execFileSync('libreoffice', [`-env:UserInstallation=file://${profile}`, '--headless', '--convert-to', 'pdf', '--outdir', OUT, file], { stdio: 'pipe', timeout: 120_000 });
    } finally {
      fs.rmSync(profile, { recursive: true, force: true });
    }
    execFileSync('pdftoppm', ['-r', '70', '-png', '-f', '1', '-l', '2', file.replace(/\.docx$/, '.pdf'), path.join(OUT, 'opinion-411100-page')], { timeout: 60_000 });
    const pdfText = execFileSync('pdftotext', [file.replace(/\.docx$/, '.pdf'), '-'], { timeout: 60_000 }).toString();
    expect(pdfText).toContain('初步审查意见');
    expect(fs.readdirSync(OUT).filter((f) => f.startsWith('opinion-411100-page') && f.endsWith('.png')).length).toBeGreaterThanOrEqual(1);
  });

  it('shows the draft by function class and by line beside last year, findings inline', async () => {
    const { page } = await open();
    await login(page, base, 'staff');
    await page.goto(draftUrl('functions'));
    await settled(page);
    await page.locator('[data-test="group-functions"] .el-table__row').first().waitFor();
    await screenshot(page, 'review-functions-1440');
    await page.goto(draftUrl('lines'));
    await settled(page);
    await page.locator('[data-test="line-with-findings"]').click();
    await page.locator('[data-test="line-finding"]').first().waitFor();
    await screenshot(page, 'review-lines-1440');
    await page.locator('[data-test="line-finding"]').first().click();
    await page.locator('[data-test="finding"]').first().waitFor();
    expect(page.url()).toContain('tab=findings');
    await page.goto(draftUrl('lists'));
    await page.locator('[data-test="review-list-table"] .el-table__row').first().waitFor();
    await page.locator('[data-test="list-standards"]').click();
    await page.locator('[data-test="review-list-table"] .el-table__row', { hasText: '元/人' }).first().waitFor();
    await screenshot(page, 'review-lists-1440');
  });

  it('a deputy leaves an opinion on a line on a phone; a forged accept as deputy gets 403', async () => {
    const { page } = await open(PHONE);
    await login(page, base, 'deputy');
    await page.goto(draftUrl('lines'));
    await settled(page);
    await page.locator('[data-test="line-opinion"]').first().waitFor();
    expect(await page.locator('[data-test="finding-accept"]').count()).toBe(0);
    await page.locator('[data-test="line-opinion"]').first().click();
    await page.locator('.el-drawer [data-test="opinion-input"]').fill('这一行增长较快，请财政部门说明编制依据');
    await page.locator('.el-drawer [data-test="opinion-submit"]').click();
    await page.locator('.el-drawer [data-test="opinion-body"]', { hasText: '请财政部门说明编制依据' }).waitFor();
    await screenshot(page, 'review-opinion-390');
    await page.keyboard.press('Escape');
    await page.goto(draftUrl());
    await settled(page);
    await page.locator('[data-test="finding"]').first().waitFor();
    expect(await hasHorizontalScroll(page)).toBe(false);
    await screenshot(page, 'review-findings-390');
    const id = await page.locator('[data-test="finding"]').first().getAttribute('data-finding');
    expect(id).toMatch(/^411100-\d+$/);
    const forged = await page.request.post(`${base}/api/v1/review/findings/${id}/decision`, { data: { decision: 'accepted', note: '' }, headers: { origin: base } });
    expect(forged.status()).toBe(403);
    expect((await forged.json()).error.code).toBe('FORBIDDEN');
  });
});
