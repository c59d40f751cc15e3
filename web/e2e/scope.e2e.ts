import fs from 'node:fs';
import Decimal from 'decimal.js';
import type { Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatMoney } from '../src/utils/money';
import { apiGet, CHROMIUM, DESKTOP, hasHorizontalScroll, launchContext, login, PHONE, screenshot, settled, startServer, type RunningServer } from './helpers';

// 本级 and 全辖 in a real browser: the admin's province (河南省) has no delivery of its own,
// so its 本级 says 暂无数据 and its 全省 shows the figures of the regions under it; the
// overview's text says the scope it shows and never the other. Every figure is read from the API.

interface Figures { budget: string; paid: string }
interface Summary { total: Figures; scope: { label: string; hasData: boolean; regions: { code: string }[] } }

const yuan = (v: string) => formatMoney(v, 'yuan');
const textOf = async (l: Locator) => ((await l.first().textContent()) ?? '').replace(/\s+/g, ' ').trim();
/** What the page body says (the header's picker aside: it offers both scopes by design). */
const contentText = (page: Page) => page.locator('main.content').innerText();

describe('本级 / 全辖 in the browser', () => {
  let server: RunningServer;
  let base: string;
  let admin: Awaited<ReturnType<typeof launchContext>>;

  beforeAll(async () => {
    if (!fs.existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} not found: install Debian's chromium (apt-get install chromium), as .ci/run does`);
    server = await startServer();
    base = server.url;
    admin = await launchContext(DESKTOP);
    await admin.context.addInitScript(() => localStorage.setItem('bw.moneyUnit', 'yuan'));
  });
  afterAll(async () => {
    await admin?.close();
    await server?.stop();
  });

  it('the admin’s province: 河南省全省 shows the consolidated figures, 河南省本级 says 暂无数据', async () => {
    const page = admin.page;
    await login(page, base, 'admin');
    const all = await apiGet<Summary>(page, base, '/api/v1/drill/summary?region=410000&scope=all');
    const own = await apiGet<Summary>(page, base, '/api/v1/drill/summary?region=410000&scope=self');
    expect(all.scope).toMatchObject({ label: '河南省全省', hasData: true });
    expect(own.scope).toMatchObject({ label: '河南省本级', hasData: false });
    // The province's 全省 is the sum of the regions' 本级 (no transfers in the demo).
    const parts = await Promise.all(all.scope.regions.map((r) => apiGet<Summary>(page, base, `/api/v1/drill/summary?region=${r.code}`)));
    expect(all.total.budget).toBe(parts.reduce((a, p) => a.plus(p.total.budget), new Decimal(0)).toFixed(2));
    expect(new Decimal(all.total.budget).isZero()).toBe(false);

    await page.goto(`${base}/overview?region=410000&scope=all`);
    await settled(page);
    await expect.poll(() => textOf(page.locator('[data-test="scope-label"]'))).toBe('河南省全省');
    await expect.poll(() => textOf(page.locator('[data-test="overview-budget"]'))).toBe(yuan(all.total.budget));
    await expect.poll(() => textOf(page.locator('[data-test="overview-paid"]'))).toBe(yuan(all.total.paid));
    await expect.poll(() => textOf(page.locator('[data-test="region-switcher"] .el-select__placeholder'))).toBe('河南省全省');
    const allText = await contentText(page);
    expect(allText).toContain('河南省全省支出指标总额');
    expect(allText).not.toMatch(/本级/);
    await screenshot(page, 'scope-province-all-1440');

    await page.goto(`${base}/overview?region=410000&scope=self`);
    await settled(page);
    await expect.poll(() => textOf(page.locator('[data-test="no-data"]'))).toContain('暂无数据：该地区尚未收到数据包');
    expect(await page.locator('[data-test="overview-budget"]').count()).toBe(0);
    expect(await page.locator('[data-test="alert-stats"]').count()).toBe(0);
    const ownText = await contentText(page);
    expect(ownText).not.toMatch(/全省|全市/);
    expect(ownText).not.toMatch(/时序进度 \d/);
    await screenshot(page, 'scope-province-self-1440');
  });

  it('漯河市: the overview text says 本级 or 全市, never the other; the picker switches and the URL keeps it', async () => {
    const page = admin.page;
    const self = await apiGet<Summary>(page, base, '/api/v1/drill/summary?region=411100&scope=self');
    const all = await apiGet<Summary>(page, base, '/api/v1/drill/summary?region=411100&scope=all');
    await page.goto(`${base}/overview?region=411100&scope=self`);
    await settled(page);
    await expect.poll(() => textOf(page.locator('[data-test="overview-budget"]'))).toBe(yuan(self.total.budget));
    const selfText = await contentText(page);
    expect(selfText).toContain('漯河市本级');
    expect(selfText).not.toMatch(/全市|全省/);

    // The picker: 漯河市全市.
    await page.locator('[data-test="region-switcher"]').click();
    await page.locator('.el-select-dropdown__item:visible', { hasText: '漯河市全市' }).click();
    await page.waitForURL(/scope=all/);
    await settled(page);
    await expect.poll(() => textOf(page.locator('[data-test="overview-budget"]'))).toBe(yuan(all.total.budget));
    const allText = await contentText(page);
    expect(allText).toContain('漯河市全市');
    expect(allText).not.toMatch(/本级/);
    expect(new Decimal(all.total.budget).greaterThan(self.total.budget)).toBe(true);
    await screenshot(page, 'scope-city-all-1440');

    await page.setViewportSize(PHONE);
    await page.reload();
    await settled(page);
    await expect.poll(() => textOf(page.locator('[data-test="scope-label"]'))).toBe('漯河市全市');
    expect(await hasHorizontalScroll(page)).toBe(false);
    await screenshot(page, 'scope-city-all-390');
    await page.setViewportSize(DESKTOP);
  });
});
