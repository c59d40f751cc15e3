import fs from 'node:fs';
import type { Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeQrDataUrl } from '../../api/src/features/device-login/decode-qr';
import { formatMoney } from '../src/utils/money';
import { CHROMIUM, DESKTOP, hasHorizontalScroll, launchContext, login, PHONE, screenshot, settled, startServer, type RunningServer } from './helpers';

// Deputies on their phones (issue 17), at 390 × 844: enrolment by a code staff issued, the phone
// home, 问数 with each answer's proving page, a big-screen login confirmed on the phone, and the
// replayed and expired codes refused.

type Ctx = Awaited<ReturnType<typeof launchContext>>;
const textOf = async (l: Locator) => ((await l.first().textContent()) ?? '').replace(/\s+/g, ' ').trim();

/** Nothing on the page reaches past the viewport's right edge. */
async function widestRight(page: Page): Promise<number> {
  return page.evaluate(() => Math.max(...[...document.querySelectorAll('body *')].map((e) => e.getBoundingClientRect().right).filter((r) => Number.isFinite(r))));
}

describe('deputies on their phones (390 × 844)', () => {
  let server: RunningServer;
  let base: string;
  let admin: Ctx;
  let phone: Ctx;
  let enrolUrl: string;
  const opened: Ctx[] = [];
  const open = async (vw = PHONE) => {
    const c = await launchContext(vw);
    opened.push(c);
    return c;
  };
  const qrOf = async (page: Page, testId: string) => decodeQrDataUrl((await page.locator(`[data-test="${testId}"]`).getAttribute('src'))!)!;

  beforeAll(async () => {
    if (!fs.existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} not found: install Debian's chromium (apt-get install chromium), as .ci/run does`);
    server = await startServer();
    base = server.url;
    admin = await open(DESKTOP);
    await login(admin.page, base, 'admin');
  });
  afterAll(async () => {
    for (const c of opened) await c.close();
    await server?.stop();
  });

  it('the admin issues the deputy a login code on the users page; the phone that opens it lands on the home', async () => {
    await admin.page.goto(`${base}/users`);
    await settled(admin.page);
    await admin.page.click('[data-test="user-code-deputy"]');
    await admin.page.locator('[data-test="login-code-qr"]').waitFor();
    enrolUrl = await qrOf(admin.page, 'login-code-qr');
    expect(enrolUrl).toMatch(new RegExp(`^${base}/m/enrol#[A-Za-z0-9_-]{43}$`));
    expect(await textOf(admin.page.locator('[data-test="login-code"]'))).toContain('仅可使用一次');
    await screenshot(admin.page, 'phone-01-login-code-issued');

    phone = await open();
    await phone.page.goto(enrolUrl);
    await phone.page.waitForURL((u) => u.pathname === '/m');
    await settled(phone.page);
    expect(phone.page.url()).not.toContain('#'); // the code left the address bar
    const exec = await textOf(phone.page.locator('[data-test="home-execution"]'));
    expect(exec).toContain('数据截至');
    expect(exec).toMatch(/万元|亿元/);
    for (const block of ['home-alerts', 'home-opinions', 'home-review', 'home-report']) expect(await phone.page.locator(`[data-test="${block}"]`).count()).toBe(1);
    expect(await hasHorizontalScroll(phone.page)).toBe(false);
    expect(await widestRight(phone.page)).toBeLessThanOrEqual(390);
    await screenshot(phone.page, 'phone-02-home-390');
  });

  it('refuses the same code on another phone', async () => {
    const other = await open();
    await other.page.goto(enrolUrl);
    const err = other.page.locator('[data-test="enrol-error"]');
    await err.waitFor();
    expect(await textOf(err)).toContain('只能使用一次');
    expect((await other.page.request.get(`${base}/api/v1/auth/me`)).status()).toBe(401);
    await screenshot(other.page, 'phone-03-code-replayed');
  });

  const ask = async (q: string) => {
    await phone.page.goto(`${base}/m`);
    await settled(phone.page);
    await phone.page.fill('[data-test="ask-input"]', q);
    await phone.page.click('[data-test="ask-submit"]');
    await phone.page.locator('[data-test="ask-answer"], [data-test="ask-not-understood"]').first().waitFor();
    await settled(phone.page);
  };

  it('asks three questions and follows each answer to the page that proves it', async () => {
    // 1. A department's execution rate: the drill-down shows the same percentage.
    await ask('教育局今年支出进度');
    expect(await textOf(phone.page.locator('[data-test="ask-understood"]'))).toMatch(/^理解为：漯河市教育局 \d{4}年 1(–\d{1,2}月|月1日–\d{1,2}月\d{1,2}日) 支出执行率$/);
    const rate = await textOf(phone.page.locator('[data-test="ask-figure"]'));
    expect(rate).toMatch(/^\d+\.\d{2}%$/);
    expect(await hasHorizontalScroll(phone.page)).toBe(false);
    await screenshot(phone.page, 'phone-04-ask-rate');
    await phone.page.click('[data-test="ask-link"]');
    await phone.page.waitForURL((u) => /^\/drill\/411100\/dept\/\d+$/.test(u.pathname));
    await settled(phone.page);
    expect(await textOf(phone.page.locator('.content'))).toContain(rate);
    await screenshot(phone.page, 'phone-05-ask-rate-proof');

    // 2. A county's class of spending in a quarter: the voucher list of those dates sums to it.
    await ask('临颍县三季度农林水支出');
    expect(await textOf(phone.page.locator('[data-test="ask-understood"]'))).toMatch(/^理解为：临颍县本级「农林水支出」 \d{4}年 三季度（7–9月）/);
    const answer = await phone.page.evaluate(async () => {
      const r = await fetch('/api/v1/ask?q=' + encodeURIComponent('临颍县三季度农林水支出') + '&region=411100');
      return (await r.json()).data;
    });
    await screenshot(phone.page, 'phone-06-ask-quarter');
    await phone.page.click('[data-test="ask-link"]');
    await phone.page.waitForURL((u) => u.pathname === '/drill/411122/func/213' && u.searchParams.get('view') === 'vouchers');
    await settled(phone.page);
    const paid = answer.figures.find((f: { label: string }) => f.label === '已支付').value as string;
    const count = answer.figures.find((f: { label: string }) => f.label === '支付笔数').value as string;
    // The voucher list's total line, in the page's unit (万元 by default).
    expect(await textOf(phone.page.locator('.v-total'))).toBe(`合计 ${count} 笔 · ${formatMoney(paid, 'wan')} 万元`);
    await screenshot(phone.page, 'phone-07-ask-quarter-proof');

    // 3. A ranking of departments: each row opens its department, which shows the same rate.
    await ask('执行率最低的3个部门');
    expect(await textOf(phone.page.locator('[data-test="ask-understood"]'))).toMatch(/各部门 支出执行率 从低到高 前3名$/);
    const rows = phone.page.locator('[data-test="ask-rows"] li');
    expect(await rows.count()).toBe(3);
    const lowest = await textOf(rows.first().locator('b'));
    await screenshot(phone.page, 'phone-08-ask-ranking');
    await rows.first().locator('a').click();
    // The region now is the one the last page showed (临颍县): questions are about what one looks at.
    await phone.page.waitForURL((u) => /^\/drill\/\d{6}\/dept\/\d+$/.test(u.pathname));
    await settled(phone.page);
    expect(await textOf(phone.page.locator('.content'))).toContain(lowest);
    await screenshot(phone.page, 'phone-09-ask-ranking-proof');

    // And a question it cannot read: it says which words, and offers questions that work.
    await ask('今天天气怎么样');
    const nope = await textOf(phone.page.locator('[data-test="ask-not-understood"]'));
    expect(nope).toContain('没有看懂');
    await screenshot(phone.page, 'phone-10-ask-not-understood');
  });

  it('big screen: the login page\'s QR, confirmed on the phone naming the device, signs the screen in as the deputy', async () => {
    const screen = await open(DESKTOP);
    await screen.page.goto(`${base}/login`);
    await screen.page.click('[data-test="login-mode-qr"]');
    await screen.page.fill('input[name="screen-name"]', '联网监督室大屏');
    await screen.page.locator('input[name="screen-name"]').blur();
    await screen.page.waitForTimeout(800); // the QR for the new name
    const url = await qrOf(screen.page, 'screen-qr-img');
    expect(url).toMatch(new RegExp(`^${base}/m/confirm#`));
    await screenshot(screen.page, 'phone-11-screen-qr');

    await phone.page.goto(url);
    const question = phone.page.locator('[data-test="confirm-question"]');
    await question.waitFor();
    expect(await textOf(question)).toBe('在 联网监督室大屏 登录？');
    await screenshot(phone.page, 'phone-12-confirm');
    await phone.page.click('[data-test="confirm-yes"]');
    await screen.page.waitForURL((u) => !u.pathname.startsWith('/login'), { timeout: 15_000 });
    const me = await (await screen.page.request.get(`${base}/api/v1/auth/me`)).json();
    expect(me.data.user).toMatchObject({ username: 'deputy', role: 'deputy', regionCode: '411100' });
    await settled(screen.page);
    await screenshot(screen.page, 'phone-13-screen-signed-in');

    // The same QR again (a fresh page, as a camera opens it): refused.
    await phone.page.goto(`${base}/m/me`);
    await phone.page.goto(url);
    const err = phone.page.locator('[data-test="confirm-error"]');
    await err.waitFor();
    expect(await textOf(err)).toContain('只能使用一次');
  });

  it('the phone lists its devices: itself and the screen it let in', async () => {
    await phone.page.goto(`${base}/m/me`);
    await settled(phone.page);
    const list = await textOf(phone.page.locator('[data-test="devices"]'));
    expect(list).toContain('本机');
    expect(list).toContain('联网监督室大屏');
    expect(await hasHorizontalScroll(phone.page)).toBe(false);
    await screenshot(phone.page, 'phone-14-devices');
  });

  it('refuses a screen QR once it expired (60 s)', async () => {
    const screen = await open(DESKTOP);
    await screen.page.goto(`${base}/login`);
    await screen.page.click('[data-test="login-mode-qr"]');
    await screen.page.locator('[data-test="screen-qr-img"]').waitFor();
    const url = await qrOf(screen.page, 'screen-qr-img');
    await screen.close();
    await new Promise((r) => setTimeout(r, 61_000));
    await phone.page.goto(`${base}/m/me`);
    await phone.page.goto(url);
    const err = phone.page.locator('[data-test="confirm-error"]');
    await err.waitFor();
    expect(await textOf(err)).toContain('已过期');
    await screenshot(phone.page, 'phone-15-screen-qr-expired');
  });
  it('staff issue a deputy\'s code from 代表扫码登录 and read the deputy\'s devices; the review workspace shows the checks\' thresholds (1440 and 390)', async () => {
    for (const vw of [DESKTOP, PHONE]) {
      const staff = await open(vw);
      await login(staff.page, base, 'staff');
      await staff.page.goto(`${base}/deputies`);
      await settled(staff.page);
      await staff.page.click('[data-test="user-code-deputy"]');
      await staff.page.locator('[data-test="login-code-qr"]').waitFor();
      expect(await qrOf(staff.page, 'login-code-qr')).toMatch(new RegExp(`^${base}/m/enrol#[A-Za-z0-9_-]{43}$`));
      expect(await textOf(staff.page.locator('[data-test="login-code"]'))).toMatch(/仅可使用一次；\d{4}-\d{2}-\d{2} \d{2}:\d{2} 前有效/);
      await screenshot(staff.page, `phone-16-staff-code-${vw.width}`);
      await staff.page.keyboard.press('Escape');
      // The deputy's phone enrolled earlier is listed, with no 注销 for staff.
      await staff.page.click('[data-test="user-devices-deputy"]');
      await staff.page.locator('[data-test="devices"]').waitFor();
      expect(await staff.page.locator('[data-test="user-devices-dialog"] [data-test="device-device"]').count()).toBeGreaterThanOrEqual(1);
      expect(await staff.page.locator('[data-test="user-devices-dialog"] [data-test^="device-revoke-"]').count()).toBe(0);
      await screenshot(staff.page, `phone-17-staff-devices-${vw.width}`);
      await staff.page.keyboard.press('Escape');
      expect(await hasHorizontalScroll(staff.page)).toBe(false);

      await staff.page.goto(`${base}/review?tab=checks`);
      await settled(staff.page);
      await staff.page.locator('[data-test="review-checks"]').waitFor();
      expect(await staff.page.locator('[data-test^="check-edit-"]').count()).toBe(14);
      expect(await textOf(staff.page.locator('[data-test="check-D01"]'))).toContain('下限（%） = 1');
      await screenshot(staff.page, `review-checks-${vw.width}`);
      await staff.page.click('[data-test="check-edit-D01"]');
      await staff.page.locator('[data-test="check-reason"]').waitFor();
      await screenshot(staff.page, `review-check-edit-${vw.width}`);
    }
  });
});
