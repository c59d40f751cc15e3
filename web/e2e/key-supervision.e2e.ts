import fs from 'node:fs';
import Decimal from 'decimal.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiGet, CHROMIUM, DESKTOP, hasHorizontalScroll, launchContext, login, PHONE, screenshot, settled, startServer, type RunningServer } from './helpers';

// 重点监督 (issue 15) in a real browser over the demo city: the 绩效监控 and 转移支付 pages at
// 1440 and 390 px in 本级 and 全市, and the overview's 重点监督 block, read by a deputy.

type Ctx = Awaited<ReturnType<typeof launchContext>>;
interface KeyOverview {
  asOf: string;
  performance: { behind: number };
  payments: { large: { count: number }; split: { count: number } };
  worst: unknown[];
}

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
      expect(await page.locator('h1.page-title').textContent()).toBe('绩效监控 · 漯河市本级');
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
      // The project's targets on its drill-down page too.
      await page.getByText('查看支付凭证 →').click();
      await page.locator('[data-test="indicator-targets"]').waitFor();
      await settled(page);
      expect(await page.locator('[data-test="indicator-targets"] tbody tr').count()).toBe(targets);
      expect(await hasHorizontalScroll(page)).toBe(false);
      await screenshot(page, `${name.replace('performance', 'drill-targets')}`);
    }
  });

  it('转移支付: received and passed down by kind, each one\'s way to use (1440 px and 390 px)', async () => {
    const summary = await apiGet<{ received: string; groups: unknown[] }>((await open()).page, base, '/api/v1/transfers/summary');
    expect(summary.groups.length).toBeGreaterThan(0);
    for (const [vw, name] of [[DESKTOP, 'transfers-1440'], [PHONE, 'transfers-390']] as const) {
      const { page } = await open(vw);
      await page.goto(`${base}/transfers`);
      await settled(page);
      expect(await page.locator('h1.page-title').textContent()).toBe('转移支付 · 漯河市本级');
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

  it('the overview\'s 重点监督 block states the API\'s figures and links to the pages (1440 px and 390 px)', async () => {
    for (const [vw, name] of [[DESKTOP, 'overview-key-supervision-1440'], [PHONE, 'overview-key-supervision-390']] as const) {
      const { page } = await open(vw);
      const ov = await apiGet<KeyOverview>(page, base, '/api/v1/key-supervision/overview?region=411100');
      await page.goto(`${base}/overview`);
      await settled(page);
      const block = page.locator('[data-test="key-supervision"]');
      await block.scrollIntoViewIfNeeded();
      await settled(page);
      expect(await block.locator('.el-card__header').textContent()).toContain(`漯河市本级重点监督截至 ${ov.asOf}`);
      expect((await block.locator('[data-test="ks-performance"] .value').textContent())!.trim()).toBe(`${ov.performance.behind} 个`);
      expect((await block.locator('[data-test="ks-payments"] .value').textContent())!.trim()).toBe(`${ov.payments.large.count} 笔 / ${ov.payments.split.count} 组`);
      expect(ov.payments.large.count).toBeGreaterThanOrEqual(1);
      expect(await block.locator('[data-test="ks-rules"] a').count()).toBe(5);
      expect(await block.locator('[data-test="ks-worst"] li').count()).toBe(ov.worst.length);
      expect(await hasHorizontalScroll(page)).toBe(false);
      await block.screenshot({ path: `${await screenshot(page, name)}`.replace(/\.png$/, '-block.png') });
      if (vw === DESKTOP) {
        await block.locator('[data-test="ks-direct"]').click();
        await page.waitForURL((u) => u.pathname === '/transfers');
        await settled(page);
        expect(await page.locator('h1.page-title').textContent()).toBe('转移支付 · 漯河市本级');
      }
    }
  });

  it('全市 (scope=all): the lists sum the city\'s 本级 and its counties, the titles say 全市 (1440 px and 390 px)', async () => {
    const { page: p0 } = await open();
    const me = await apiGet<{ regions: { code: string; parentCode: string | null }[] }>(p0, base, '/api/v1/auth/me');
    const codes = ['411100', ...me.regions.filter((r) => r.parentCode === '411100').map((r) => r.code)];
    expect(codes.length).toBeGreaterThan(1);
    const all = await apiGet<{ received: string; passedDown: string; withinScope: { received: string } | null }>(p0, base, '/api/v1/transfers/summary?region=411100&scope=all');
    const asOf = (await apiGet<{ asOf: string }>(p0, base, '/api/v1/transfers/summary?region=411100&scope=all')).asOf;
    const parts = await Promise.all(codes.map((c) => apiGet<{ received: string }>(p0, base, `/api/v1/transfers/summary?region=${c}&asOf=${asOf}`)));
    expect(all.received).toBe(parts.reduce((a, x) => a.plus(x.received), new Decimal(0)).toFixed(2));
    expect(all.withinScope).not.toBeNull();
    const projectTotal = async (q: string) => (await p0.request.get(`${base}/api/v1/performance/projects?filter=all&pageSize=1&asOf=${asOf}&${q}`).then((r) => r.json())).meta.total as number;
    const selfTotals = await Promise.all(codes.map((c) => projectTotal(`region=${c}`)));
    const allTotal = await projectTotal('region=411100&scope=all');
    expect(allTotal).toBe(selfTotals.reduce((a, b) => a + b, 0));

    for (const [vw, suffix] of [[DESKTOP, '1440'], [PHONE, '390']] as const) {
      const { page } = await open(vw);
      await page.goto(`${base}/transfers?scope=all`);
      await settled(page);
      expect(await page.locator('h1.page-title').textContent()).toBe('转移支付 · 漯河市全市');
      expect(await page.locator('[data-test="within-scope"]').textContent()).toContain('未抵消');
      expect(await page.locator('[data-test="transfers"] tbody tr').count()).toBeGreaterThan(0);
      expect(await hasHorizontalScroll(page)).toBe(false);
      await screenshot(page, `transfers-all-${suffix}`);
      await page.goto(`${base}/performance?scope=all`);
      await settled(page);
      expect(await page.locator('h1.page-title').textContent()).toBe('绩效监控 · 漯河市全市');
      await page.getByText('全部项目', { exact: true }).click();
      await settled(page);
      // The list holds the city's 本级 projects and every county's; rows name their region.
      // The click reloads the list: wait for the new total rather than read the one still shown.
      await expect.poll(() => page.locator('.el-pagination__total').first().textContent()).toContain(String(allTotal));
      expect(await page.locator('[data-test="projects"] .el-table__body-wrapper tbody').textContent()).toMatch(/漯河市 · /);
      expect(await hasHorizontalScroll(page)).toBe(false);
      await screenshot(page, `performance-all-${suffix}`);
    }
  });
});
