import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import type { Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addDays, openingFiscalYear } from '../../api/src/clock';
import { lastCompleteQuarter } from '../src/utils/dates';
import { formatMoney } from '../src/utils/money';
import { apiGet, CHROMIUM, DESKTOP, ROOT_DIR, hasHorizontalScroll, launchContext, login, PHONE, screenshot, settled, startServer, type RunningServer } from './helpers';

// The demo data comes from the server (the fixture generator's city loaded through the ETL,
// etl/src/demo.ts); every number compared below is read from the API in the test, never hard-coded.
// Nor is any date: the server runs as of its clock (BW_TODAY when the environment sets it, else
// today in BW_TZ), read from /api/health.

interface Figures { budget: string; paid: string; unpaidBalance: string; voucherCount: string }
interface Summary { asOf: string; fiscalYear: number; total: Figures }
interface Row extends Figures { code: string | null; name: string }
interface Breakdown { rows: Row[]; total: Figures }
interface Alert { id: string; ruleId: string; status: string; regionCode: string; replyDeadline: string | null; drillLink: { route: string; query: Record<string, string> } }

const yuan = (v: string) => formatMoney(v, 'yuan');

async function textOf(l: Locator): Promise<string> {
  return ((await l.first().textContent()) ?? '').replace(/\s+/g, ' ').trim();
}
/** Wait until the locator shows exactly `expected` (the view follows the route asynchronously). */
async function expectText(l: Locator, expected: string): Promise<void> {
  await expect.poll(() => textOf(l), { timeout: 15_000 }).toBe(expected);
}
/** The filters of the drill URL the page is on, as the API wants them. */
function filtersOf(url: string): string {
  const u = new URL(url);
  const [, , region, ...segs] = u.pathname.split('/');
  const map: Record<string, string> = { fund: 'fundType', dept: 'dept', unit: 'unit', func: 'func', econ: 'econ', indicator: 'indicator' };
  const q = new URLSearchParams({ region });
  for (let i = 0; i + 1 < segs.length; i += 2) if (map[segs[i]]) q.set(map[segs[i]], decodeURIComponent(segs[i + 1]));
  if (u.searchParams.get('fy')) q.set('fy', u.searchParams.get('fy')!);
  if (u.searchParams.get('funcExact') === '1') q.set('funcExact', 'true');
  if (u.searchParams.get('econExact') === '1') q.set('econExact', 'true');
  return q.toString();
}
/** The node figures shown equal the API's summary for the same path, to the cent (shown in 元). */
async function expectNodeMatchesApi(page: Page, base: string): Promise<Summary> {
  const api = await apiGet<Summary>(page, base, `/api/v1/drill/summary?${filtersOf(page.url())}`);
  await expectText(page.locator('[data-test="node-budget"]'), yuan(api.total.budget));
  await expectText(page.locator('[data-test="node-paid"]'), yuan(api.total.paid));
  await expectText(page.locator('[data-test="node-unpaid"]'), yuan(api.total.unpaidBalance));
  return api;
}

describe('dashboard in a real browser (Debian Chromium, headless)', () => {
  let server: RunningServer;
  let base: string;
  let staff: Awaited<ReturnType<typeof launchContext>>;
  let deputy: Awaited<ReturnType<typeof launchContext>> | undefined;
  let pastedUrl = '';
  let alertId = '';
  /** The server's business date and the demo data's as-of date (数据截至). */
  let clock: { today: string; dataAsOf: string };

  beforeAll(async () => {
    // Fail loudly rather than skip: a silently skipped browser suite would let CI pass untested.
    if (!fs.existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} not found: install Debian's chromium (apt-get install chromium), as .ci/run does`);
    server = await startServer();
    base = server.url;
    clock = (await (await fetch(`${base}/api/health`)).json()) as typeof clock;
    staff = await launchContext(DESKTOP);
    // Show money in 元 so what the page prints can be compared with the API's exact strings.
    await staff.context.addInitScript(() => localStorage.setItem('bw.moneyUnit', 'yuan'));
  });

  afterAll(async () => {
    await staff?.close();
    await deputy?.close();
    await server?.stop();
  });

  it('staff logs in and drills overview → department → function class → indicator → voucher; totals equal the API at each step', async () => {
    const page = staff.page;
    await login(page, base, 'staff');
    // Staff land on their 工作台 (workbench.e2e.ts covers it); the drill starts at the overview.
    await page.waitForURL(/\/inbox$/);
    await page.locator('.sider [data-menu="overview"]').click();
    await page.waitForURL(/\/overview$/);
    await settled(page);
    const me = await apiGet<{ user: { regionCode: string } }>(page, base, '/api/v1/auth/me');
    const region = me.user.regionCode;
    const summary = await apiGet<Summary>(page, base, `/api/v1/drill/summary?region=${region}`);
    await expectText(page.locator('[data-test="overview-budget"]'), yuan(summary.total.budget));
    await expectText(page.locator('[data-test="overview-paid"]'), yuan(summary.total.paid));
    // The demo's as-of rule: data as of the clock's yesterday; the overview opens on
    // openingFiscalYear of it (last year's final execution in January–March), its switch showing it.
    expect(clock.dataAsOf).toBe(addDays(clock.today, -1));
    await expect.poll(() => textOf(page.locator('[data-test="as-of"] b'))).toBe(clock.dataAsOf);
    expect(summary.fiscalYear).toBe(openingFiscalYear(clock.dataAsOf));
    await expectText(page.locator('[data-test="year-switch"] .el-select__placeholder'), `${summary.fiscalYear} 年度`);

    // Overview → the department furthest behind.
    await page.locator('[data-test="behind-dept"]').first().click();
    await page.waitForURL(/\/drill\/\d{6}\/dept\/[^/]+$/);
    await expectNodeMatchesApi(page, base);
    // The units table's totals row is the API's total.
    const units = await apiGet<Breakdown>(page, base, `/api/v1/drill/units?${filtersOf(page.url())}`);
    await expectText(page.locator('[data-test="breakdown-table"] .el-table__footer-wrapper td').nth(1), yuan(units.total.budget));
    await expectText(page.locator('[data-test="breakdown-table"] .el-table__footer-wrapper td').nth(2), yuan(units.total.paid));

    // Export to Excel: the API's xlsx of this very table.
    const [download] = await Promise.all([page.waitForEvent('download'), page.locator('[data-test="export-xlsx"]').click()]);
    expect(download.suggestedFilename()).toMatch(/\.xlsx$/);
    expect(download.url()).toContain('/api/v1/exports/units?');
    expect(download.url()).toContain(`dept=${/\/dept\/([^/?]+)/.exec(page.url())![1]}`);

    // → function class 类, then 款 and 项 (each a row click), until the indicators show.
    await page.locator('[data-view="functions"]').click();
    await page.waitForURL(/view=functions/);
    for (let depth = 0; depth < 3; depth++) {
      await page.locator('[data-test="breakdown-table"] [data-test="drill-row"]').first().click();
      await page.waitForURL(/\/func\/\d+/);
      await expectNodeMatchesApi(page, base);
      const func = /\/func\/(\d+)/.exec(page.url())![1];
      if (func.length >= 7 || page.url().includes('funcExact=1')) break; // a 项, or a 类/款 coded to itself
    }
    expect(/\/func\/(\d{7})/.test(page.url()) || page.url().includes('funcExact=1')).toBe(true);

    // → indicator: its vouchers list; the footer total is the API's count and sum.
    await page.locator('[data-test="breakdown-table"] [data-test="drill-row"]').first().click();
    await page.waitForURL(/\/indicator\/[^/?]+/);
    await expectNodeMatchesApi(page, base);
    const vouchers = await page.request.get(`${base}/api/v1/drill/vouchers?${filtersOf(page.url())}`).then((r) => r.json());
    await expectText(page.locator('[data-test="voucher-table"] .el-table__footer-wrapper td').nth(2), yuan(vouchers.meta.total.amount));
    await settled(page);
    await screenshot(page, 'desktop-04-drill-indicator-vouchers');

    // Sorting by amount goes into the URL: that URL is the one pasted later.
    await page.locator('[data-test="voucher-table"] th:has-text("金额")').first().click();
    await page.waitForURL(/sort=amount/);
    pastedUrl = page.url();

    // → one voucher with its lineage.
    const firstVoucher = (await textOf(page.locator('[data-test="voucher-row"]'))) || '';
    await page.locator('[data-test="voucher-row"]').first().click();
    await page.waitForURL(/\/voucher\/[^/?]+/);
    const detail = await apiGet<{ voucher: { amount: string; voucherNo: string }; sourceLine: number }>(
      page, base, `/api/v1/drill/vouchers/${encodeURIComponent(firstVoucher)}?region=${region}`,
    );
    await expectText(page.locator('[data-test="voucher-amount"]'), yuan(detail.voucher.amount));
    await expect.poll(() => textOf(page.locator('[data-test="lineage"]'))).toContain(`第 ${detail.sourceLine} 行`);
    await screenshot(page, 'desktop-05-drill-voucher');

    // Back button returns to the sorted voucher list.
    await page.goBack();
    await page.waitForURL(/sort=amount/);
    await expectNodeMatchesApi(page, base);
  });

  it('a pasted drill-down URL (in a fresh page) and a reload restore the view', async () => {
    const page = await staff.context.newPage();
    await page.goto(pastedUrl);
    await settled(page);
    expect(page.url()).toBe(pastedUrl);
    await expectNodeMatchesApi(page, base);
    const crumbs = await textOf(page.locator('[data-test="breadcrumb"]'));
    const dept = /\/dept\/([^/]+)/.exec(pastedUrl)![1];
    const deptName = (await apiGet<Breakdown>(page, base, `/api/v1/drill/departments?${filtersOf(pastedUrl).replace(/&.*/, '')}`)).rows.find((r) => r.code === dept)!.name;
    await expect.poll(() => textOf(page.locator('[data-test="breadcrumb"]'))).toContain(deptName);
    expect(crumbs.length).toBeGreaterThan(0);
    // The sort in the URL is applied: amounts descend or ascend as the header says.
    await page.reload();
    await settled(page);
    expect(page.url()).toBe(pastedUrl);
    await expectNodeMatchesApi(page, base);
    await page.close();
  });

  it("the overview's year switch opens the other year, and its drill links carry it", async () => {
    const page = await staff.context.newPage();
    await page.goto(`${base}/overview`);
    await settled(page);
    const opening = openingFiscalYear(clock.dataAsOf);
    const other = opening === Number(clock.dataAsOf.slice(0, 4)) ? opening - 1 : opening + 1;
    await page.locator('[data-test="year-switch"]').click();
    await page.locator('.el-select-dropdown__item', { hasText: `${other} 年度` }).click();
    await page.waitForURL(new RegExp(`[?&]fy=${other}`));
    const summary = await apiGet<Summary>(page, base, `/api/v1/drill/summary?fy=${other}`);
    expect(summary.fiscalYear).toBe(other);
    await expectText(page.locator('[data-test="year-switch"] .el-select__placeholder'), `${other} 年度`);
    await expectText(page.locator('[data-test="overview-budget"]'), yuan(summary.total.budget));
    await expectText(page.locator('[data-test="overview-paid"]'), yuan(summary.total.paid));
    await page.locator('[data-test="behind-dept"]').first().click();
    await page.waitForURL(new RegExp(`/drill/\\d{6}/dept/[^/?]+\\?.*fy=${other}`));
    await expectNodeMatchesApi(page, base);
    await page.close();
  });

  it('staff confirms and assigns an alert', async () => {
    const page = staff.page;
    const me = await apiGet<{ user: { regionCode: string } }>(page, base, '/api/v1/auth/me');
    let alerts = await apiGet<Alert[]>(page, base, `/api/v1/alerts?region=${me.user.regionCode}&status=new&rule=R01`);
    if (!alerts.length) {
      // No evaluation has run on this database yet: run the rules as staff would.
      const r = await page.request.post(`${base}/api/v1/rules/evaluate`, { data: { region: me.user.regionCode, asOf: clock.dataAsOf, includeSubRegions: true } });
      expect(r.status()).toBe(200);
      alerts = await apiGet<Alert[]>(page, base, `/api/v1/alerts?region=${me.user.regionCode}&status=new`);
    }
    expect(alerts.length).toBeGreaterThan(0);
    const alert = alerts.find((a) => a.drillLink.query.dept) ?? alerts[0];
    alertId = alert.id;

    await page.goto(`${base}/alerts?status=open`);
    await settled(page);
    await screenshot(page, 'desktop-06-alerts');
    await page.goto(`${base}/alerts/${alert.id}`);
    await settled(page);
    await expectText(page.locator('[data-test="alert-status"]'), '新预警');
    await screenshot(page, 'desktop-07-alert-detail');

    await page.locator('[data-action="confirmed"]').click();
    await page.locator('[data-test="transition-note"]').fill('已核实，情况属实');
    await page.locator('[data-test="transition-submit"]').click();
    await expectText(page.locator('[data-test="alert-status"]'), '已确认');

    await page.locator('[data-action="assigned"]').click();
    const agency = page.locator('[data-test="assign-agency"]');
    if (!alert.drillLink.query.dept) {
      await agency.click();
      await page.locator('.el-select-dropdown__item').first().click();
    }
    await page.locator('[data-test="transition-note"]').fill('请于期限内说明支出进度滞后原因并提出整改措施');
    await page.locator('[data-test="transition-submit"]').click();
    await expectText(page.locator('[data-test="alert-status"]'), '已交办');
    const after = await apiGet<Alert & { events: { toStatus: string | null }[] }>(page, base, `/api/v1/alerts/${alert.id}`);
    expect(after.status).toBe('assigned');
    expect(after.replyDeadline).toBe(addDays(clock.today, 15)); // the dialog's default: the server's today + 15 days
    expect(after.events.map((e) => e.toStatus)).toEqual(expect.arrayContaining(['confirmed', 'assigned']));
    await expect.poll(() => page.locator('[data-test="alert-events"] .el-timeline-item').count()).toBeGreaterThanOrEqual(3);

    // The link to the rows behind it opens the drill-down.
    await page.locator('[data-test="open-rows"]').click();
    await page.waitForURL(/\/drill\/\d{6}/);
  });

  it('staff generates the quarterly report and downloads the .docx', async () => {
    const page = staff.page;
    await page.goto(`${base}/reports`);
    await settled(page);
    // Proposed: the last quarter the data covers to its end.
    const q = lastCompleteQuarter(clock.dataAsOf);
    await expectText(page.locator('[data-test="report-quarter"] .el-select__placeholder'), `${q.slice(0, 4)} 年第${'一二三四'[Number(q.slice(5)) - 1]}季度`);
    await page.locator('[data-test="report-generate-button"]').click();
    await expect.poll(() => page.locator('[data-test="report-download"]').count(), { timeout: 90_000 }).toBeGreaterThan(0);
    const [download] = await Promise.all([page.waitForEvent('download'), page.locator('[data-test="report-download"]').first().click()]);
    expect(download.suggestedFilename()).toMatch(/\.docx$/);
    const file = await download.path();
    expect(fs.readFileSync(file).subarray(0, 2).toString()).toBe('PK'); // a .docx is a zip
  });

  it('a deputy sees no action buttons, and a forged request is refused with 403', async () => {
    deputy = await launchContext(PHONE);
    const page = deputy.page;
    await login(page, base, 'deputy');
    await page.goto(`${base}/alerts/${alertId}`);
    await settled(page);
    await expect.poll(() => textOf(page.locator('[data-test="alert-explanation"]'))).not.toBe('');
    expect(await page.locator('[data-test="alert-actions"]').count()).toBe(0);
    expect(await page.locator('[data-action]').count()).toBe(0);
    // Deputies may leave a review opinion.
    expect(await page.locator('[data-test="opinion-input"]').count()).toBe(1);
    await page.goto(`${base}/data`);
    await settled(page);
    expect(await page.locator('[data-test="rerun-button"]').count()).toBe(0);
    await page.goto(`${base}/rules`);
    await settled(page);
    expect(await page.locator('[data-test="rule-edit"]').count()).toBe(0);
    await page.goto(`${base}/reports`);
    await settled(page);
    expect(await page.locator('[data-test="report-generate"]').count()).toBe(0);

    // The server is the real guard: the same requests, forged with the deputy's session.
    const forged = await page.request.post(`${base}/api/v1/alerts/${alertId}/transitions`, { data: { to: 'dismissed', note: '伪造请求' } });
    expect(forged.status()).toBe(403);
    expect((await forged.json()).error.code).toBe('FORBIDDEN');
    const rerun = await page.request.post(`${base}/api/v1/data/rerun`, { data: { regionCode: '411100', businessDate: clock.dataAsOf } });
    expect(rerun.status()).toBe(403);
    const alert = await apiGet<Alert>(page, base, `/api/v1/alerts/${alertId}`);
    expect(alert.status).toBe('assigned');
  });

  it('a deputy leaves a review opinion on a department page (phone); staff finds it unanswered and answers it', async () => {
    const dpage = deputy!.page;
    const deptPath = new URL(pastedUrl).pathname.replace(/\/(func|unit)\/.*$/, '');
    const [, region, dept] = /^\/drill\/(\d{6})\/dept\/([^/]+)$/.exec(deptPath)!;
    await dpage.goto(`${base}${deptPath}`);
    await settled(dpage);
    const panel = dpage.locator('[data-test="department-opinions"]');
    const text = `建议该部门加快项目资金拨付（浏览器测试 ${Date.now()}）`;
    await panel.locator('[data-test="opinion-input"]').fill(text);
    await panel.locator('[data-test="opinion-submit"]').click();
    const mineOnPhone = panel.locator('[data-test="opinion"]', { hasText: text });
    await expect.poll(() => mineOnPhone.count()).toBe(1);
    expect(await panel.locator('[data-test="answer-input"]').count()).toBe(0); // deputies do not answer
    const saved = await apiGet<{ opinions: { id: string; body: string; answer: string | null; author: { role: string } }[] }>(dpage, base, `/api/v1/departments/${dept}/opinions?region=${region}`);
    const mine = saved.opinions.find((o) => o.body === text)!;
    expect(mine).toMatchObject({ answer: null, author: { role: 'deputy' } });
    const forged = await dpage.request.post(`${base}/api/v1/opinions/${mine.id}/answer`, { data: { answer: '代表自答' } });
    expect(forged.status()).toBe(403);
    await settled(dpage);
    await screenshot(dpage, 'deputy-390-department-opinion');
    expect(await hasHorizontalScroll(dpage)).toBe(false);

    // Staff: the opinion is in the unanswered list, and is answered on the department page.
    const page = staff.page;
    const unanswered = await apiGet<{ id: string; target: string }[]>(page, base, '/api/v1/opinions?unanswered=true');
    expect(unanswered.find((o) => o.id === mine.id)).toMatchObject({ target: 'department' });
    await page.goto(`${base}${deptPath}`);
    await settled(page);
    const item = page.locator('[data-test="department-opinions"] [data-test="opinion"]', { hasText: text });
    const answer = '已转交该部门，要求于月底前书面说明拨付计划。';
    await item.locator('[data-test="answer-input"]').fill(answer);
    await item.locator('[data-test="answer-submit"]').click();
    await expect.poll(() => textOf(item.locator('[data-test="opinion-answer"]')), { timeout: 15_000 }).toContain(answer);
    await screenshot(page, 'desktop-08-department-opinions');
    expect((await apiGet<{ id: string }[]>(page, base, '/api/v1/opinions?unanswered=true')).map((o) => o.id)).not.toContain(mine.id);

    // The deputy sees the answer.
    await dpage.reload();
    await settled(dpage);
    await expect.poll(() => textOf(mineOnPhone.locator('[data-test="opinion-answer"]'))).toContain(answer);
  });

  it('staff sees on the Data page an inbox folder a load could not take, with the reason', { timeout: 120_000 }, async () => {
    if (!server.inbox || !server.dataDir) throw new Error('this step writes into the spawned server\'s inbox: run it without BW_E2E_URL');
    // A date folder written as 20250930: a load used to pass over it saying only "no matching bundles".
    const bad = path.join(server.inbox, '411100', '20250930');
    fs.mkdirSync(bad, { recursive: true });
    fs.writeFileSync(path.join(bad, 'payment_vouchers.csv'), 'voucher_no\n');
    const env: NodeJS.ProcessEnv = { ...process.env, BW_DATA_DIR: server.dataDir, BW_INBOX: server.inbox };
    delete env.DATABASE_URL;
    const cli = spawnSync(process.execPath, ['--import', 'tsx', 'api/src/cli/etl.ts', 'load'], { cwd: ROOT_DIR, env, encoding: 'utf8' });
    expect(cli.stdout).toContain('未装载 411100/20250930');
    const page = staff.page;
    await page.goto(`${base}/data`);
    await settled(page);
    const card = page.locator('[data-test="skipped"]');
    await expect.poll(() => textOf(card)).toContain('411100/20250930');
    expect(await textOf(card)).toContain('日期目录名应为 YYYY-MM-DD（2025-09-30）');
    await screenshot(page, 'desktop-data-skipped-folder');
  });

  it('every page at 1440 px and 390 px: screenshots, no horizontal page scroll', async () => {
    const page = staff.page;
    const me = await apiGet<{ user: { regionCode: string } }>(page, base, '/api/v1/auth/me');
    const region = me.user.regionCode;
    const drillPath = new URL(pastedUrl).pathname;
    const pages: [string, string][] = [
      ['overview', '/overview'],
      ['drill-region', `/drill/${region}`],
      ['drill-department', drillPath.replace(/\/func\/.*$/, '').replace(/\/unit\/.*$/, '')],
      ['drill-function', drillPath.replace(/\/indicator\/.*$/, '')],
      ['drill-vouchers', `${drillPath}?sort=amount`],
      ['alerts', '/alerts'],
      ['alert-detail', `/alerts/${alertId}`],
      ['debt', '/debt'],
      ['assets', '/assets'],
      ['audit', '/audit'],
      ['data', '/data'],
      ['rules', '/rules'],
      ['reports', '/reports'],
    ];
    const overflow: string[] = [];
    for (const [vw, label] of [[DESKTOP, 'desktop'], [PHONE, 'phone']] as const) {
      await page.setViewportSize(vw);
      for (const [name, path] of pages) {
        await page.goto(`${base}${path}`);
        await settled(page);
        await screenshot(page, `${label}-${vw.width}-${name}`);
        if (await hasHorizontalScroll(page)) overflow.push(`${name}@${vw.width}`);
      }
    }
    // The login page, signed out, in a fresh browser at both widths.
    const anon = await launchContext(PHONE);
    try {
      await anon.page.goto(`${base}/login`);
      await settled(anon.page);
      await screenshot(anon.page, 'phone-390-login');
      if (await hasHorizontalScroll(anon.page)) overflow.push('login@390');
      await anon.page.setViewportSize(DESKTOP);
      await screenshot(anon.page, 'desktop-1440-login');
    } finally {
      await anon.close();
    }
    // Deputy on the phone: their most-used pages.
    for (const [name, path] of [['overview', '/overview'], ['drill', drillPath], ['alert', `/alerts/${alertId}`]]) {
      await deputy!.page.goto(`${base}${path}`);
      await settled(deputy!.page);
      await screenshot(deputy!.page, `deputy-390-${name}`);
      if (await hasHorizontalScroll(deputy!.page)) overflow.push(`deputy-${name}@390`);
    }
    expect(overflow).toEqual([]);

    // Logout (from the phone's menu drawer) ends the session: pages send back to the login.
    await deputy!.page.locator('button[aria-label="打开菜单"]').click();
    await deputy!.page.locator('[data-test="logout-drawer"]').click();
    await deputy!.page.waitForURL(/\/login/);
    await deputy!.page.goto(`${base}/alerts`);
    await deputy!.page.waitForURL(/\/login\?redirect=/);
    expect((await deputy!.page.request.get(`${base}/api/v1/auth/me`)).status()).toBe(401);
  }, 400_000); // 30 page loads; the machine is shared
});
