import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiGet, CHROMIUM, DESKTOP, hasHorizontalScroll, launchContext, login, PHONE, screenshot, settled, startServer, type RunningServer } from './helpers';

// 重点监督 (issue 15) in a real browser over the demo city: the 绩效监控 and 转移支付 pages at
// 1440 and 390 px, read by a deputy.

type Ctx = Awaited<ReturnType<typeof launchContext>>;

describe('key supervision pages in a real browser', () => {
  let server: RunningServer;
  let base: string;
  const opened: Ctx[] = [];
  const open = async (vw = DESKTOP) => {
    const c = await launchContext(vw);
    opened.push(c);
    await login(c.page, base, 'deputy');
    return c;
  };

  beforeAll(async () => {
    if (!fs.existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} not found: install Debian's chromium (apt-get install chromium), as .ci/run does`);
    server = await startServer();
    base = server.url;
  });
  afterAll(async () => {
    for (const c of opened) await c.close();
    await server?.stop();
  });

  it('绩效监控: projects by gap, a project\'s spending curve beside its targets (1440 px and 390 px)', async () => {
    for (const [vw, name] of [[DESKTOP, 'performance-1440'], [PHONE, 'performance-390']] as const) {
      const { page } = await open(vw);
      await page.goto(`${base}/performance`);
      await settled(page);
      expect(await page.locator('h1.page-title').textContent()).toBe('绩效监控');
      const rows = page.locator('[data-test="projects"] .el-table__body-wrapper tbody tr');
      expect(await rows.count()).toBeGreaterThan(0);
      await rows.first().click();
      await page.locator('[data-test="project-detail"] [data-test="targets"]').waitFor();
      await settled(page);
      const targets = await page.locator('[data-test="targets"] tbody tr').count();
      expect(targets).toBeGreaterThan(0);
      expect(await page.locator('[data-test="project-detail"] canvas, [data-test="project-detail"] svg').count()).toBeGreaterThan(0);
      expect(await page.locator('[data-test="project-detail"]').textContent()).toMatch(/支出进度 \d+\.\d{2}%/);
      expect(await hasHorizontalScroll(page)).toBe(false);
      await screenshot(page, name);
    }
  });

  it('转移支付: received and passed down by kind, each one\'s way to use (1440 px and 390 px)', async () => {
    const summary = await apiGet<{ received: string; groups: unknown[] }>((await open()).page, base, '/api/v1/transfers/summary');
    expect(summary.groups.length).toBeGreaterThan(0);
    for (const [vw, name] of [[DESKTOP, 'transfers-1440'], [PHONE, 'transfers-390']] as const) {
      const { page } = await open(vw);
      await page.goto(`${base}/transfers`);
      await settled(page);
      expect(await page.locator('h1.page-title').textContent()).toBe('转移支付');
      expect(await page.locator('[data-test="groups"] tbody tr').count()).toBeGreaterThan(0);
      expect(await page.locator('[data-test="transfers"] tbody tr').count()).toBeGreaterThan(0);
      // Money with separators and two decimals in the unit chosen (default 万元).
      expect(await page.locator('.stat-card, .grid').first().textContent()).toMatch(/\d{1,3}(,\d{3})*\.\d{2}/);
      expect(await hasHorizontalScroll(page)).toBe(false);
      await screenshot(page, name);
      if (vw === DESKTOP) {
        await page.getByText('下达下级', { exact: true }).first().click();
        await settled(page);
        expect(await page.locator('[data-test="transfers"] tbody tr').count()).toBeGreaterThan(0);
        await screenshot(page, 'transfers-down-1440');
      }
    }
  });

  it('the demo\'s large payments to single named people are flagged (R19)', async () => {
    const { page } = await open();
    const ov = await apiGet<{ rules: { ruleId: string; red: number }[] }>(page, base, '/api/v1/key-supervision/overview?region=411100');
    expect(ov.rules.find((r) => r.ruleId === 'R19')!.red).toBeGreaterThanOrEqual(1);
  });
});
