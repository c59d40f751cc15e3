import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import Decimal from 'decimal.js';
import JSZip from 'jszip';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROOT_DIR } from '../config.js';
import { type TestDatabase, type TestServer, byPublicId, openApiTest, type ApiTest, seedSmallCity } from '../testing/index.js';
import { refreshAggregates } from '../features/drilldown/aggregates.js';
import { documentBlocks, tableAfter, type Block } from './docx-xml.js';
import { generateQuarterlyReport } from './generate.js';

// The quarterly report generated through the API from loaded data, read back from its XML,
// and compared figure by figure with the drill-down API's answers for the same region and
// quarter. Expected strings are formatted here from the API's decimal strings, independently
// of the report's own formatting code.

const execFileAsync = promisify(execFile);
const REGION = '411100';
const QUARTER = '2026Q3';
const AS_OF = '2026-09-30';
const LAST_AS_OF = '2025-09-30';

const group = (fixed: string) => fixed.replace(/^(-?)(\d+)/, (_m, s: string, d: string) => s + d.replace(/\B(?=(\d{3})+(?!\d))/g, ','));
const wan = (yuan: string) => group(new Decimal(yuan).div(10000).toFixed(2));
const yi = (yuan: string) => new Decimal(yuan).div(100000000).toFixed(2);
/** The report shows rate − time progress; the API gives time progress − rate ("behind"). */
const gapCell = (behind: string | null) => (behind === null ? '—' : behind === '0.00' ? '0.00' : behind.startsWith('-') ? `+${behind.slice(1)}` : `-${behind}`);
const growthPct = (paid: string, last: string) => new Decimal(paid).div(last).minus(1).times(100).toFixed(2);
const growthCell = (paid: string, last: string) => (new Decimal(last).isZero() ? '—' : `${growthPct(paid, last)}%`);
function growthPhrase(paid: string, last: string): string {
  if (new Decimal(last).isZero()) return '上年同期无可比数据';
  const g = growthPct(paid, last);
  return g.startsWith('-') ? `同比下降${g.slice(1)}%` : g === '0.00' ? '同比持平' : `同比增长${g}%`;
}
const gapPhrase = (behindPoints: string) =>
  behindPoints === '0.00' ? '与时序进度持平' : behindPoints.startsWith('-') ? `高于时序进度${behindPoints.slice(1)}个百分点` : `低于时序进度${behindPoints}个百分点`;

interface Figures {
  budget: string;
  paid: string;
  executionRateExact: string | null;
  executionPercent2dp: string | null;
  behindProgressPoints2dp: string | null;
}

describe('quarterly report (预算执行情况季报)', () => {
  let db: TestDatabase;
  let server: TestServer;
  let staff: string;
  let deputy: string;
  let docx: Buffer;
  let blocks: Block[];
  let reportId: string;

  const api = async (path: string, cookie = staff) => {
    const res = await fetch(`${server.baseUrl}${path}`, { headers: { cookie } });
    expect(res.status, path).toBe(200);
    return (await res.json()).data;
  };

  let t: ApiTest;
  beforeAll(async () => {
    t = await openApiTest({
      seed: async (db) => {
        await seedSmallCity(db.knex, '2026-11-23'); // data through 2026-11-22, fiscal years 2025 and 2026
        await refreshAggregates(db.knex, { concurrently: false });
      },
    });
    ({ db, srv: server, staff, deputy } = t);

    const res = await fetch(`${server.baseUrl}/api/v1/reports/generate`, {
      method: 'POST',
      headers: { cookie: staff, 'content-type': 'application/json' },
      body: JSON.stringify({ region: REGION, quarter: QUARTER }),
    });
    expect(res.status).toBe(201);
    const meta = (await res.json()).data;
    reportId = meta.id;
    const dl = await fetch(`${server.baseUrl}/api/v1/reports/${reportId}/download`, { headers: { cookie: deputy } });
    expect(dl.status).toBe(200);
    docx = Buffer.from(await dl.arrayBuffer());
    const zip = await JSZip.loadAsync(docx);
    blocks = documentBlocks(await zip.file('word/document.xml')!.async('string'));
  });

  afterAll(async () => {
    await t?.close();
  });

  it('states the summary figures exactly as the drill-down API gives them', async () => {
    const summary = await api(`/api/v1/drill/summary?region=${REGION}&fy=2026&asOf=${AS_OF}`);
    const last = await api(`/api/v1/drill/summary?region=${REGION}&fy=2025&asOf=${LAST_AS_OF}`);
    const paragraphs = blocks.filter((b): b is Extract<Block, { kind: 'p' }> => b.kind === 'p').map((b) => b.text);

    expect(summary.timeProgress.percent2dp).toBe('74.79');
    expect(paragraphs).toContain(`截至2026年9月30日，时序进度为${summary.timeProgress.percent2dp}%（已过273天，全年365天）。`);

    const g = summary.fundTypes.find((f: { code: string }) => f.code === '1');
    const gl = last.fundTypes.find((f: { code: string }) => f.code === '1');
    expect(paragraphs).toContain(
      `1—9月，漯河市本级一般公共预算支出完成${yi(g.paid)}亿元，占预算的${g.executionPercent2dp}%，${gapPhrase(g.behindProgressPoints2dp)}，${growthPhrase(g.paid, gl.paid)}。`,
    );

    const rev = g.revenue;
    const revBehind = new Decimal(summary.timeProgress.rateExact).minus(rev.executionRateExact).times(100).toFixed(2);
    const revenueSentence = paragraphs.find((t) => t.startsWith('1—9月，漯河市本级一般公共预算收入'));
    expect(revenueSentence).toBeDefined();
    expect(revenueSentence!.startsWith(
      `1—9月，漯河市本级一般公共预算收入完成${yi(rev.actual)}亿元，占预算的${rev.executionPercent2dp}%，${gapPhrase(revBehind)}，${growthPhrase(rev.actual, gl.revenue.actual)}。`,
    )).toBe(true);

    // The revenue table's total row is the summary's general-budget revenue.
    const revenueTable = tableAfter(blocks, '表1-1 一般公共预算收入执行情况')!;
    const revGap = revBehind === '0.00' ? '0.00' : revBehind.startsWith('-') ? `+${revBehind.slice(1)}` : `-${revBehind}`;
    expect(revenueTable[revenueTable.length - 1]).toEqual(['', '合计', wan(rev.budget), wan(rev.actual), `${rev.executionPercent2dp}%`, revGap, growthCell(rev.actual, gl.revenue.actual)]);

    // The four budgets' table: one row per fund type with the API's figures.
    const fundTable = tableAfter(blocks, '表2 四本预算支出执行情况')!;
    expect(fundTable.slice(1)).toEqual(
      summary.fundTypes.map((f: Figures & { code: string; name: string }) => {
        const l = last.fundTypes.find((x: { code: string }) => x.code === f.code);
        return [f.name, wan(f.budget), wan(f.paid), f.executionPercent2dp ? `${f.executionPercent2dp}%` : '—', gapCell(f.behindProgressPoints2dp), growthCell(f.paid, l.paid)];
      }),
    );
  });

  it('gives every function class 类 exactly the figures of the drill-down API', async () => {
    const q = `region=${REGION}&fundType=1&codeLength=3`;
    const cur = await api(`/api/v1/drill/functions?${q}&fy=2026&asOf=${AS_OF}`);
    const last = await api(`/api/v1/drill/functions?${q}&fy=2025&asOf=${LAST_AS_OF}`);
    const table = tableAfter(blocks, '表3 一般公共预算支出分功能科目（类）执行情况')!;
    expect(table[0]).toEqual(['科目编码', '科目名称', '可用指标', '已支付', '执行率', '与时序进度差（百分点）', '同比增长']);
    expect(cur.rows.length).toBeGreaterThan(3);
    const expected = cur.rows.map((r: Figures & { code: string; name: string }) => {
      const l = last.rows.find((x: { code: string }) => x.code === r.code);
      return [r.code, r.name, wan(r.budget), wan(r.paid), `${r.executionPercent2dp}%`, gapCell(r.behindProgressPoints2dp), growthCell(r.paid, l?.paid ?? '0')];
    });
    expected.push(['', '合计', wan(cur.total.budget), wan(cur.total.paid), `${cur.total.executionPercent2dp}%`, gapCell(cur.total.behindProgressPoints2dp), growthCell(cur.total.paid, last.total.paid)]);
    expect(table.slice(1)).toEqual(expected);
    // The table's total is the general public budget of the summary.
    const summary = await api(`/api/v1/drill/summary?region=${REGION}&fy=2026&asOf=${AS_OF}`);
    expect(cur.total.paid).toBe(summary.fundTypes.find((f: { code: string }) => f.code === '1').paid);
  });

  it('the 全市 report (scope all): 全市 figures, its 本级 and each county as the drill-down gives them; neither report says the other scope', async () => {
    const res = await fetch(`${server.baseUrl}/api/v1/reports/generate`, {
      method: 'POST', headers: { cookie: staff, 'content-type': 'application/json' }, body: JSON.stringify({ region: REGION, quarter: QUARTER, scope: 'all' }),
    });
    expect(res.status).toBe(201);
    const meta = (await res.json()).data;
    expect(meta).toMatchObject({ scope: 'all', fileName: '漯河市全市2026年第三季度预算执行情况报告（截至2026-09-30）.docx' });
    const dl = await fetch(`${server.baseUrl}/api/v1/reports/${meta.id}/download`, { headers: { cookie: staff } });
    const allXml = await (await JSZip.loadAsync(Buffer.from(await dl.arrayBuffer()))).file('word/document.xml')!.async('string');
    const all = documentBlocks(allXml);
    const texts = all.filter((b): b is Extract<Block, { kind: 'p' }> => b.kind === 'p').map((b) => b.text);

    const s = await api(`/api/v1/drill/summary?region=${REGION}&scope=all&fy=2026&asOf=${AS_OF}`);
    const sl = await api(`/api/v1/drill/summary?region=${REGION}&scope=all&fy=2025&asOf=${LAST_AS_OF}`);
    const g = s.fundTypes.find((f: { code: string }) => f.code === '1');
    const gl = sl.fundTypes.find((f: { code: string }) => f.code === '1');
    expect(texts).toContain(`1—9月，漯河市全市一般公共预算支出完成${yi(g.paid)}亿元，占预算的${g.executionPercent2dp}%，${gapPhrase(g.behindProgressPoints2dp)}，${growthPhrase(g.paid, gl.paid)}。`);
    expect(texts).toContain('漯河市全市2026年第三季度');

    const q = `region=${REGION}&scope=all&fundType=1`;
    const cur = await api(`/api/v1/drill/regions?${q}&fy=2026&asOf=${AS_OF}`);
    const last = await api(`/api/v1/drill/regions?${q}&fy=2025&asOf=${LAST_AS_OF}`);
    const withData = cur.rows.filter((r: Figures) => !new Decimal(r.budget).isZero() || !new Decimal(r.paid).isZero());
    expect(withData.map((r: { name: string }) => r.name)).toEqual(['漯河市本级', '舞阳县全县', '临颍县全县']);
    const table = tableAfter(all, '表3-1 分地区一般公共预算支出执行情况')!;
    expect(table.slice(1)).toEqual(
      withData.map((r: Figures & { code: string; name: string }) => {
        const l = last.rows.find((x: { code: string }) => x.code === r.code);
        return [r.name, wan(r.budget), wan(r.paid), `${r.executionPercent2dp}%`, gapCell(r.behindProgressPoints2dp), growthCell(r.paid, l.paid)];
      }),
    );

    // The words of the document.xml: 本级 says 本级 and never 全市/全省; 全市 says 全市, and 漯河市本级 only on its own row.
    const selfXml = blocks.map((b) => (b.kind === 'p' ? b.text : b.rows.flat().join(' '))).join('\n');
    expect(selfXml).toContain('漯河市本级2026年第三季度');
    expect(selfXml).not.toMatch(/全市|全省|全辖/);
    const allText = all.map((b) => (b.kind === 'p' ? b.text : b.rows.flat().join(' '))).join('\n');
    expect(allText.match(/漯河市本级/g)).toHaveLength(1);
    expect(allText.match(/漯河市全市/g)!.length).toBeGreaterThan(5);
    expect(allXml).toContain('漯河市全市');
  });


  it('embeds the three charts as PNG images the document references', async () => {
    const zip = await JSZip.loadAsync(docx);
    const media = Object.keys(zip.files).filter((n) => /^word\/media\/.+\.png$/.test(n));
    expect(media.length).toBe(3);
    const rels = await zip.file('word/_rels/document.xml.rels')!.async('string');
    const documentXml = await zip.file('word/document.xml')!.async('string');
    const embeds = [...documentXml.matchAll(/r:embed="([^"]+)"/g)].map((m) => m[1]);
    expect(embeds.length).toBe(3);
    for (const id of embeds) {
      const target = new RegExp(`Id="${id}"[^>]*Target="([^"]+)"`).exec(rels)?.[1] ?? new RegExp(`Target="([^"]+)"[^>]*Id="${id}"`).exec(rels)?.[1];
      expect(target).toMatch(/^media\/.+\.png$/);
      const png = await zip.file(`word/${target}`)!.async('nodebuffer');
      expect(png.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))).toBe(true);
      expect(png.readUInt32BE(16)).toBe(1600); // 800 px drawn at 2×
    }
    const captions = blocks.filter((b) => b.kind === 'p' && /^图[123] /.test(b.text));
    expect(captions.length).toBe(3);
  });

  it('has a cover with region, quarter, as-of date and generated time', () => {
    const texts = blocks.filter((b): b is Extract<Block, { kind: 'p' }> => b.kind === 'p').map((b) => b.text);
    expect(texts).toContain('漯河市本级2026年第三季度');
    expect(texts).toContain('地　　区：漯河市本级（411100）');
    expect(texts).toContain('数据截至：2026年9月30日');
    expect(texts.some((t) => /^生成时间：\d{4}-\d{2}-\d{2} \d{2}:\d{2}（北京时间）$/.test(t))).toBe(true);
  });

  it('archives the report (who, when, batches, hash) and lists it within the user’s regions', async () => {
    const row = await db.knex('reports').where(byPublicId(reportId)).first();
    const staffUser = await db.knex('users').where({ username: 'staff' }).first('id');
    expect(String(row.generated_by)).toBe(String(staffUser.id));
    expect(row.quarter).toBe(QUARTER);
    expect(row.as_of).toBe(AS_OF);
    // Batches by region and id (`411100-42`), as batches are keyed.
    expect(row.batch_ids).toEqual(
      (await db.knex('batches').where({ region_code: REGION, status: 'committed' }).orderBy('id').pluck('id')).map((id) => `${REGION}-${id}`),
    );
    expect(row.size_bytes).toBe(docx.length);
    expect(Buffer.compare(row.content, docx)).toBe(0);

    const list = await api(`/api/v1/reports?region=${REGION}`, deputy);
    expect(list.map((r: { id: string }) => r.id)).toContain(reportId);
    expect(list[0]).toMatchObject({ regionCode: REGION, quarter: QUARTER, asOf: AS_OF, generatedByName: '预工委 王敏' });
    expect(list[0].content).toBeUndefined();
  });

  it('downloads with a UTF-8 file name', async () => {
    const res = await fetch(`${server.baseUrl}/api/v1/reports/${reportId}/download`, { headers: { cookie: staff } });
    expect(res.headers.get('content-type')).toBe('application/vnd.openxmlformats-officedocument.wordprocessingml.document');
    const cd = res.headers.get('content-disposition')!;
    expect(cd).toMatch(/^attachment; filename="[\x20-\x7e]+"; filename\*=UTF-8''/);
    expect(decodeURIComponent(cd.split("UTF-8''")[1]!)).toBe('漯河市本级2026年第三季度预算执行情况报告（截至2026-09-30）.docx');
    await res.arrayBuffer();
  });

  it('lets only staff and admins generate; deputies get 403, strangers 401', async () => {
    const post = (cookie?: string, body: unknown = { region: REGION, quarter: QUARTER }) =>
      fetch(`${server.baseUrl}/api/v1/reports/generate`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...(cookie ? { cookie } : {}) },
        body: JSON.stringify(body),
      });
    const asDeputy = await post(deputy);
    expect(asDeputy.status).toBe(403);
    expect((await asDeputy.json()).error.code).toBe('FORBIDDEN');
    const anonymous = await post();
    expect(anonymous.status).toBe(401);
    expect((await anonymous.json()).error.code).toBe('UNAUTHENTICATED');
    const bad = await post(staff, { region: REGION, quarter: '2026-3' });
    expect(bad.status).toBe(400);
    expect((await bad.json()).error.code).toBe('VALIDATION');
    const outside = await post(staff, { region: '410100', quarter: QUARTER }); // 郑州市: not the staff user's region
    expect(outside.status).toBe(403);
    const noData = await post(staff, { region: REGION, quarter: '2024Q1' });
    expect(noData.status).toBe(404);
    expect((await noData.json()).error.code).toBe('NOT_FOUND');
    expect((await fetch(`${server.baseUrl}/api/v1/reports`)).status).toBe(401);
  });

  it('is generated from the command line too (npm run report), archived without a user', async () => {
    const out = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'bw-report-cli-')), 'q3.docx');
    const { stdout } = await execFileAsync(
      process.execPath,
      ['--import', 'tsx', path.join(ROOT_DIR, 'api/src/cli/report.ts'), '--region', REGION, '--quarter', QUARTER, '--out', out],
      { env: { ...process.env, DATABASE_URL: db.url }, cwd: ROOT_DIR, timeout: 120_000 },
    );
    expect(stdout).toMatch(/汇总 411100（本级）2026Q3 的数据/);
    expect(stdout).toMatch(/报告 #\d+：漯河市（本级） 2026Q3，数据截至 2026-09-30，1 个批次/);
    const id = /报告 #(\d+)/.exec(stdout)![1];
    const row = await db.knex('reports').where({ id }).first('generated_by', 'content_hash', 'content');
    expect(row.generated_by).toBeNull();
    expect(Buffer.compare(fs.readFileSync(out), row.content)).toBe(0);
    expect(row.content_hash).toBe((await db.knex('reports').where(byPublicId(reportId)).first('content_hash')).content_hash);
    fs.rmSync(path.dirname(out), { recursive: true, force: true });
  });

  it('regenerates from the same data with the same content hash and identical bytes', async () => {
    const at = new Date('2026-11-23T08:00:00Z');
    const a = await generateQuarterlyReport(db.knex, REGION, QUARTER, { generatedAt: at });
    const b = await generateQuarterlyReport(db.knex, REGION, QUARTER, { generatedAt: at });
    expect(Buffer.compare(a.content, b.content)).toBe(0);
    const later = await generateQuarterlyReport(db.knex, REGION, QUARTER, { generatedAt: new Date('2026-11-24T09:30:00Z') });
    expect(later.contentHash).toBe(a.contentHash);
    expect(Buffer.compare(later.content, a.content)).not.toBe(0); // only the cover's generated time differs
    const row = await db.knex('reports').where(byPublicId(reportId)).first('content_hash');
    expect(row.content_hash).toBe(a.contentHash);

    // A second generation through the API is archived as its own row, marked as the same content.
    const res = await fetch(`${server.baseUrl}/api/v1/reports/generate`, {
      method: 'POST',
      headers: { cookie: staff, 'content-type': 'application/json' },
      body: JSON.stringify({ region: REGION, quarter: QUARTER }),
    });
    const again = (await res.json()).data;
    expect(again.id).not.toBe(reportId);
    expect(again.sameContentAs).not.toBeNull();
    const earlier = await db.knex('reports').where(byPublicId(again.sameContentAs)).first('id', 'content_hash');
    expect(Number(earlier.id)).toBeLessThan(Number(byPublicId(again.id).id));
    expect(earlier.content_hash).toBe(again.contentHash);

    // New data changes the content: 1 万元 more paid, which every figure in 万元 with two decimals shows
    // (a yuan or two may round away, depending on the seeded amounts).
    const one = await db.knex('payment_vouchers').where({ region_code: REGION, fiscal_year: 2026 }).andWhere('pay_date', '<=', AS_OF).orderBy('voucher_no').first('voucher_no');
    await db.knex('payment_vouchers').where({ region_code: REGION, voucher_no: one.voucher_no }).update({ amount: db.knex.raw('amount + 10000') });
    await refreshAggregates(db.knex, { concurrently: false });
    const changed = await generateQuarterlyReport(db.knex, REGION, QUARTER, { generatedAt: at });
    expect(changed.contentHash).not.toBe(a.contentHash);
  });

  it('lists the warnings that held on the quarter’s last day, evaluating the rules as of that day when no evaluation did, and says the date', async () => {
    const { evaluateRules } = await import('../rules/index.js');
    const section = (bs: Block[]) => {
      const i = bs.findIndex((b) => b.kind === 'p' && b.text === '八、预警情况');
      return (bs[i + 1] as Extract<Block, { kind: 'p' }>).text;
    };
    // No evaluation as of 09-30: the rules are run as of that day for the report, nothing written.
    await evaluateRules(db.knex, { regionCode: REGION, asOf: '2026-11-22', trigger: 'test' });
    const before = await db.knex('alerts').count({ n: '*' }).first();
    const fresh = await generateQuarterlyReport(db.knex, REGION, QUARTER);
    expect(section(documentBlocks(await (await JSZip.loadAsync(fresh.content)).file('word/document.xml')!.async('string')))).toMatch(/^截至2026-09-30，漯河市本级.*（按截至2026-09-30的数据评估预警规则得出）/);
    expect(fresh.data.alerts).toMatchObject({ asOf: AS_OF, source: 'evaluated' });
    expect(await db.knex('alerts').count({ n: '*' }).first()).toEqual(before);
    // An evaluation as of 09-30 that is the latest: its open alerts, the same warnings.
    await evaluateRules(db.knex, { regionCode: REGION, asOf: AS_OF, trigger: 'test' });
    const stored = await generateQuarterlyReport(db.knex, REGION, QUARTER);
    expect(stored.data.alerts.source).toBe('stored');
    const open = await db.knex('alerts').where({ region_code: REGION }).whereNull('closed_at').count({ n: '*' }).first();
    expect(stored.data.alerts.total).toBe(Number(open!.n));
    expect(stored.data.alerts.bySeverity).toEqual(fresh.data.alerts.bySeverity);
    expect(fresh.data.alerts.total).toBeGreaterThan(0);
  });
});
