import Decimal from 'decimal.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestDatabase } from '../../testing/index.js';
import { openApiTest, type BoundApiCall, type TestServer } from '../../testing/index.js';
import { seedDrillData } from '../../testing/index.js';

/** Every 问数 answer is the drill-down API's figure for the same thing, to the cent. */
describe('问数 answers', () => {
  let db: TestDatabase;
  let srv: TestServer;
  let call: BoundApiCall;
  let deputy: string;
  beforeAll(async () => {
    ({ db, srv, call, deputy } = await openApiTest({ seed: (d) => seedDrillData(d.knex) }));
  });
  afterAll(async () => {
    await srv?.close();
    await db?.drop();
  });

  const ask = async (q: string) => {
    const res = await call(deputy, 'GET', `/ask?q=${encodeURIComponent(q)}`);
    expect(res.status).toBe(200);
    return res.body.data;
  };
  const drill = async (path: string) => (await call(deputy, 'GET', path)).body;
  const fig = (a: { figures: { label: string; value: string }[] }, label: string) => a.figures.find((f) => f.label === label)?.value;

  it('a department this year: the departments level\'s row', async () => {
    const a = await ask('教育局今年支出进度');
    expect(a.interpretation).toBe('理解为：漯河市教育局 2025年 1–9月 支出执行率');
    const row = (await drill('/drill/departments?region=411100')).data.rows.find((r: { code: string }) => r.code === '411100101');
    expect(a.figures[0]).toEqual({ label: '支出执行率', kind: 'percent', value: row.executionPercent2dp });
    expect(fig(a, '已支付')).toBe(row.paid);
    expect(fig(a, '预算（可用指标）')).toBe(row.budget);
    expect(a.link).toBe('/drill/411100/dept/411100101');
  });

  it('a quarter of a class in a county: the voucher list\'s total', async () => {
    const a = await ask('临颍县三季度农林水支出');
    expect(a.interpretation).toBe('理解为：临颍县本级「农林水支出」 2025年 三季度（7–9月） 支出（已支付）');
    const list = await drill('/drill/vouchers?region=411122&func=213&dateFrom=2025-07-01&dateTo=2025-09-30');
    expect(fig(a, '已支付')).toBe(list.meta.total.amount);
    expect(new Decimal(list.meta.total.amount).gt(0)).toBe(true);
    expect(a.link).toBe('/drill/411122/func/213?view=vouchers&dateFrom=2025-07-01&dateTo=2025-09-30');
  });

  it('a month of a department, and up to a month\'s end', async () => {
    const aug = await ask('教育局8月支出');
    expect(fig(aug, '已支付')).toBe((await drill('/drill/vouchers?region=411100&dept=411100101&dateFrom=2025-08-01&dateTo=2025-08-31')).meta.total.amount);
    const h1 = await ask('教育局截至6月底支出执行率');
    const row = (await drill('/drill/departments?region=411100&asOf=2025-06-30')).data.rows.find((r: { code: string }) => r.code === '411100101');
    expect(h1.figures[0].value).toBe(row.executionPercent2dp);
    expect(fig(h1, '已支付')).toBe(row.paid);
  });

  it('the city total (本级 and 全市), a class, a unit and revenue: the summary of that scope', async () => {
    const own = await ask('漯河市支出');
    expect(own.interpretation).toMatch(/^理解为：漯河市本级 /);
    const summary = (await drill('/drill/summary?region=411100')).data;
    expect(own.figures[0].value).toBe(summary.total.paid);
    const city = await ask('全市支出');
    expect(city.interpretation).toMatch(/^理解为：漯河市全市 /);
    const all = (await drill('/drill/summary?region=411100&scope=all')).data;
    expect(city.figures[0].value).toBe(all.total.paid);
    expect(city.link).toBe('/drill/411100?scope=all');
    expect(new Decimal(all.total.paid).gt(summary.total.paid)).toBe(true);
    const edu = await ask('教育支出执行率');
    expect(edu.figures[0].value).toBe((await drill('/drill/summary?region=411100&func=205')).data.total.executionPercent2dp);
    const school = await ask('第一实验小学支出');
    expect(school.figures[0].value).toBe((await drill('/drill/summary?region=411100&dept=411100101&unit=411100101001')).data.total.paid);
    const rev = await ask('全市收入');
    expect(rev.figures[0]).toEqual({ label: '一般公共预算收入', kind: 'money', value: all.fundTypes.find((f: { code: string }) => f.code === '1').revenue.actual });
    const ownRev = await ask('本级收入');
    expect(ownRev.figures[0].value).toBe(summary.fundTypes.find((f: { code: string }) => f.code === '1').revenue.actual);
  });

  it('a ranking and a threshold list the departments level\'s rows in order', async () => {
    const rows = (await drill('/drill/departments?region=411100')).data.rows.filter((r: { kind: string }) => r.kind === 'item');
    const top = await ask('支出排名前三的部门');
    const expected = [...rows].sort((a, b) => new Decimal(b.paid).cmp(a.paid)).slice(0, 3);
    expect(top.rows.map((r: { name: string; figures: { value: string }[] }) => [r.name, r.figures[0]!.value])).toEqual(expected.map((r) => [r.name, r.paid]));
    const behind = await ask('哪些部门支出进度落后超过10个百分点');
    const late = rows.filter((r: { behindProgressPoints2dp: string | null }) => r.behindProgressPoints2dp !== null && new Decimal(r.behindProgressPoints2dp).gt(10));
    expect(behind.rows.map((r: { name: string }) => r.name).sort()).toEqual(late.map((r: { name: string }) => r.name).sort());
    expect(behind.figures[0].value).toBe(String(late.length));
    const counties = await ask('哪个县支出进度最低');
    const regions = (await drill('/drill/regions?region=411100')).data.rows.filter((r: { code: string; executionPercent2dp: string | null }) => r.code !== '411100' && r.executionPercent2dp !== null);
    const lowest = [...regions].sort((a, b) => new Decimal(a.executionPercent2dp).cmp(b.executionPercent2dp))[0];
    expect(counties.rows.map((r: { name: string }) => r.name)).toEqual([lowest.name]);
  });

  it('a span ranking: paid to its end minus paid before it, equal to each department\'s voucher list', async () => {
    const a = await ask('三季度支出最多的部门');
    const [first] = a.rows;
    const code = first.link.match(/dept\/(\d+)/)[1];
    expect(first.figures[0].value).toBe((await drill(`/drill/vouchers?region=411100&dept=${code}&dateFrom=2025-07-01&dateTo=2025-09-30`)).meta.total.amount);
  });

  it('a comparison answers each subject with its own summary', async () => {
    const a = await ask('临颍县和舞阳县支出对比');
    expect(a.rows.map((r: { name: string }) => r.name)).toEqual(['临颍县本级', '舞阳县本级']);
    expect(a.rows[0].figures[0].value).toBe((await drill('/drill/summary?region=411122')).data.total.paid);
    expect(a.rows[1].figures[0].value).toBe((await drill('/drill/summary?region=411121')).data.total.paid);
  });

  it('payees across the user\'s regions: the voucher lists filtered by payee', async () => {
    const a = await ask('收款人 新华书店');
    let total = new Decimal(0);
    for (const r of ['411100', '411121', '411122']) total = total.plus((await drill(`/drill/vouchers?region=${r}&payee=${encodeURIComponent('新华书店')}`)).meta.total.amount);
    expect(a.figures[0].value).toBe(total.toFixed(2));
    expect(total.gt(0)).toBe(true);
  });

  it('overdue audit findings: the audit page\'s overdue list', async () => {
    const a = await ask('逾期未整改的审计问题');
    const overdue = (await drill('/audit/overdue?region=411100')).data;
    expect(a.figures[0].value).toBe(String(overdue.length));
    expect(a.link).toBe('/audit?region=411100');
  });

  it('says what it did not understand, with suggestions, and never a figure', async () => {
    const a = await ask('交通局支出');
    expect(a.understood).toBe(false);
    expect(a.unknownWords).toEqual(['交通局']);
    expect(a.figures).toEqual([]);
    expect(a.suggestions.length).toBeGreaterThan(0);
    expect(a.suggestions.every((s: { link: string }) => s.link.startsWith('/'))).toBe(true);
  });

  it('keeps to the asker\'s regions', async () => {
    expect((await call(deputy, 'GET', `/ask?q=x&region=410100`)).status).toBe(403);
    expect((await call(deputy, 'GET', '/ask?q=')).status).toBe(400);
  });
});
