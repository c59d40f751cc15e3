// Ad-hoc screenshots against a running server: npx tsx web/e2e/shoot.ts <url> <role> <w> <path>...
import { launchContext, login, screenshot, settled, hasHorizontalScroll } from './helpers';

const [base, who, width, ...paths] = process.argv.slice(2);
const { page, close } = await launchContext({ width: Number(width), height: 844 });
try {
  page.on('console', (m) => m.type() === 'error' && console.log('console:', m.text()));
  page.on('pageerror', (e) => console.log('pageerror:', e.message));
  await login(page, base, who as 'staff');
  for (const p of paths) {
    await page.goto(`${base}${p}`);
    await settled(page);
    const f = await screenshot(page, `dev-${width}-${p.replace(/[^a-z0-9]+/gi, '_')}`);
    console.log(f, 'hscroll=', await hasHorizontalScroll(page));
  }
} finally {
  await close();
}
