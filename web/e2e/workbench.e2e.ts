import fs from 'node:fs';
import type { Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiGet, CHROMIUM, DESKTOP, hasHorizontalScroll, launchContext, login, PHONE, screenshot, settled, startServer, type RunningServer } from './helpers';

// The committee's workbench (issue 14): user administration and the first-login password change.

type Ctx = Awaited<ReturnType<typeof launchContext>>;
const textOf = async (l: Locator) => ((await l.first().textContent()) ?? '').replace(/\s+/g, ' ').trim();

/** Pick `label` in the Element Plus select `selectTest` (its options are teleported to the body). */
async function choose(page: Page, selectTest: string, label: string): Promise<void> {
  await page.locator(`[data-test="${selectTest}"]`).click();
  await page.locator('.el-select-dropdown:visible .el-select-dropdown__item', { hasText: label }).first().click();
}

describe('workbench in a real browser: users, first-login password change, access log', () => {
  let server: RunningServer;
  let base: string;
  let admin: Ctx;
  const opened: Ctx[] = [];
  const open = async (vw = DESKTOP) => {
    const c = await launchContext(vw);
    opened.push(c);
    return c;
  };

  beforeAll(async () => {
    if (!fs.existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} not found: install Debian's chromium (apt-get install chromium), as .ci/run does`);
    server = await startServer();
    base = server.url;
    admin = await open();
    await login(admin.page, base, 'admin');
  });
  afterAll(async () => {
    for (const c of opened) await c.close();
    await server?.stop();
  });

  it('the admin menu has 用户管理 and 登录日志; staff see neither and /users is not found for them', async () => {
    await admin.page.goto(`${base}/overview`);
    await settled(admin.page);
    expect(await admin.page.locator('.sider [data-menu="users"]').count()).toBe(1);
    expect(await admin.page.locator('.sider [data-menu="access-log"]').count()).toBe(1);
    const staff = await open();
    await login(staff.page, base, 'staff');
    await settled(staff.page);
    expect(await staff.page.locator('.sider [data-menu="users"]').count()).toBe(0);
    expect(await staff.page.locator('.sider [data-menu="access-log"]').count()).toBe(0);
    await staff.page.goto(`${base}/users`);
    await settled(staff.page);
    expect(await textOf(staff.page.locator('.content'))).toContain('页面不存在');
    expect((await staff.page.request.get(`${base}/api/v1/users`)).status()).toBe(403);
  });

  it('admin creates a user; the user must change the password at first login, then works normally', async () => {
    const page = admin.page;
    await page.goto(`${base}/users`);
    await settled(page);
    await page.locator('[data-test="user-create"]').click();
    await page.fill('input[name="new-username"]', 'wang_e2e');
    await page.fill('input[name="display-name"]', '预工委 王测试');
    await page.fill('input[name="initial-password"]', 'Initial2026');
    await choose(page, 'user-role', '财经委/预工委');
    await choose(page, 'user-region', '漯河市');
    await page.locator('[data-test="user-save"]').click();
    const row = page.locator('[data-test="users"] .el-table__row', { hasText: 'wang_e2e' });
    await expect.poll(() => textOf(row)).toContain('待改初始密码');
    await expect.poll(() => page.locator('.el-overlay-dialog:visible').count()).toBe(0);
    await screenshot(page, 'workbench-1440-users');
    expect(await hasHorizontalScroll(page)).toBe(false);

    const user = await open(PHONE);
    await login(user.page, base, { username: 'wang_e2e', password: 'Initial2026' });
    await user.page.waitForURL(/\/account\/password$/);
    expect(await user.page.locator('[data-test="must-change"]').count()).toBe(1);
    // Nothing else opens until the password is changed: the router sends back, the server refuses.
    await user.page.goto(`${base}/alerts`);
    await user.page.waitForURL(/\/account\/password$/);
    const refused = await user.page.request.get(`${base}/api/v1/alerts`);
    expect([refused.status(), (await refused.json()).error.code]).toEqual([403, 'PASSWORD_CHANGE_REQUIRED']);
    await settled(user.page);
    await screenshot(user.page, 'workbench-390-must-change-password');
    expect(await hasHorizontalScroll(user.page)).toBe(false);
    await user.page.fill('input[name="old-password"]', 'Initial2026');
    await user.page.fill('input[name="new-password"]', 'MyOwn2026x');
    await user.page.fill('input[name="confirm-password"]', 'MyOwn2026x');
    await user.page.locator('[data-test="password-submit"]').click();
    await user.page.waitForURL(/\/overview$/);
    expect((await user.page.request.get(`${base}/api/v1/alerts`)).status()).toBe(200);

    await page.reload();
    await settled(page);
    await expect.poll(() => textOf(row)).toContain('正常');
  });

  it('admin resets a password (shown once) and disables a user, who can no longer log in', async () => {
    const page = admin.page;
    await page.locator('[data-test="user-reset-wang_e2e"]').click();
    await page.locator('.el-message-box__btns .el-button--primary').click();
    await expect.poll(() => textOf(page.locator('[data-test="temp-password"]'))).toMatch(/^Bw\S{8}9$/);
    const temp = await textOf(page.locator('[data-test="temp-password"]'));
    await page.getByRole('button', { name: '我已记下' }).click();
    await page.locator('[data-test="user-toggle-wang_e2e"]').click();
    await page.locator('.el-message-box__btns .el-button--primary').click();
    const row = page.locator('[data-test="users"] .el-table__row', { hasText: 'wang_e2e' });
    await expect.poll(() => textOf(row)).toContain('已停用');
    const res = await page.request.fetch(`${base}/api/v1/auth/login`, { method: 'POST', data: { username: 'wang_e2e', password: temp }, headers: { cookie: '' } });
    expect(res.status()).toBe(401);
  });

  it('the access log shows logins and the failed attempt, at 1440 px and 390 px', async () => {
    const page = admin.page;
    await page.goto(`${base}/access-log`);
    await settled(page);
    const table = page.locator('[data-test="access-log"]');
    await expect.poll(() => textOf(table)).toContain('wang_e2e');
    expect(await textOf(table)).toContain('账号已停用');
    expect(await textOf(table)).toContain('登录成功');
    const entries = await apiGet<{ username: string; outcome: string }[]>(page, base, '/api/v1/access-log?username=wang_e2e');
    expect(entries.map((e) => e.outcome)).toEqual(['inactive', 'success']);
    await screenshot(page, 'workbench-1440-access-log');
    expect(await hasHorizontalScroll(page)).toBe(false);
    await page.setViewportSize(PHONE);
    await page.goto(`${base}/users`);
    await settled(page);
    await screenshot(page, 'workbench-390-users');
    expect(await hasHorizontalScroll(page)).toBe(false);
    await page.goto(`${base}/access-log`);
    await settled(page);
    await screenshot(page, 'workbench-390-access-log');
    expect(await hasHorizontalScroll(page)).toBe(false);
    await page.setViewportSize(DESKTOP);
  });
});
