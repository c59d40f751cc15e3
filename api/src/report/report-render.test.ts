import { execFileSync } from 'node:child_process';
import Decimal from 'decimal.js';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROOT_DIR } from '../config.js';
import { createTestDatabase, insertRows, type TestDatabase, seedSmallCity } from '../testing/index.js';
import { refreshAggregates } from '../features/drilldown/aggregates.js';
import { evaluateRules } from '../rules/index.js';
import { docxParts, documentBlocks, tableAfter } from './docx-xml.js';
import { generateQuarterlyReport, type GeneratedReport } from './generate.js';

// The report as a person sees it: converted to PDF by LibreOffice (Debian packages, installed
// by .ci/run) and rendered to PNG pages by pdftoppm into test-results/report/ (git-ignored),
// to be looked at. The checks here are what a machine can tell: Chinese text extracted from
// the PDF, a CJK font embedded, the chart images on the pages.

const OUT = path.join(ROOT_DIR, 'test-results', 'report');
const REGION = '411100';
const QUARTER = '2026Q3';

describe('quarterly report rendered to PDF and PNG pages', () => {
  let db: TestDatabase;
  let report: GeneratedReport;
  let pdf: string;
  let profile: string;

  beforeAll(async () => {
    db = await createTestDatabase();
    await seedSmallCity(db.knex, '2026-11-23');
    await refreshAggregates(db.knex, { concurrently: false });
    // The small demo has no 重点监督 feeds: a direct-fund transfer and the bonus paid to one person.
    await insertRows(db.knex, {
      agencies: [{ agency_code: 'KS1', agency_name: '市公安局' }],
      indicators: [{ indicator_no: 'KSI1', agency_code: 'KS1', amount: '3000000.00', fiscal_year: 2026, issued_on: '2026-02-01' }],
      vouchers: [{ agency_code: 'KS1', indicator_no: 'KSI1', amount: '1571293.85', payee_name: '王建华', econ_code: '30103', fiscal_year: 2026, pay_date: '2026-06-30' }],
      transfers: [{ transfer_no: '豫财直〔2026〕5号', fiscal_year: 2026, title: '困难群众救助补助资金', amount: '5000000.00', received_on: '2026-07-01', allocated_on: '2026-08-20' }],
    });
    await evaluateRules(db.knex, { regionCode: REGION, asOf: '2026-09-30', trigger: 'test' });
    report = await generateQuarterlyReport(db.knex, REGION, QUARTER);
    fs.mkdirSync(OUT, { recursive: true });
    for (const f of fs.readdirSync(OUT)) if (f.startsWith(`report-${REGION}-${QUARTER}`)) fs.rmSync(path.join(OUT, f));
    const docx = path.join(OUT, `report-${REGION}-${QUARTER}.docx`);
    fs.writeFileSync(docx, report.content);
    // A private LibreOffice profile: concurrent conversions must not share one.
    profile = fs.mkdtempSync(path.join(os.tmpdir(), 'bw-lo-'));
    execFileSync('libreoffice', [`-env:UserInstallation=file://${profile}`, '--headless', '--convert-to', 'pdf', '--outdir', OUT, docx], {
      stdio: 'pipe',
      timeout: 120_000,
    });
    pdf = docx.replace(/\.docx$/, '.pdf');
    execFileSync('pdftoppm', ['-r', '70', '-png', pdf, path.join(OUT, `report-${REGION}-${QUARTER}-page`)], { timeout: 60_000 });
  }, 240_000);

  afterAll(async () => {
    if (profile) fs.rmSync(profile, { recursive: true, force: true });
    await db?.drop();
  });

  it('writes PNG pages of the converted PDF', () => {
    const pages = fs.readdirSync(OUT).filter((f) => f.startsWith(`report-${REGION}-${QUARTER}-page`) && f.endsWith('.png'));
    expect(pages.length).toBeGreaterThanOrEqual(5);
    for (const p of pages) expect(fs.statSync(path.join(OUT, p)).size).toBeGreaterThan(10_000);
  });

  it('shows the Chinese text in a CJK font, and the three charts', () => {
    const text = execFileSync('pdftotext', ['-layout', pdf, '-'], { encoding: 'utf8' }).replace(/[ \t]+/g, '');
    for (const s of ['预算执行情况报告', '一、总体情况', '一般公共预算支出', '表3一般公共预算支出分功能科目（类）执行情况', '八、预警情况', '图1', '图2', '图3']) {
      expect(text).toContain(s);
    }
    const fonts = execFileSync('pdffonts', [pdf], { encoding: 'utf8' });
    expect(fonts).toMatch(/CJK|Noto Sans SC|Noto Serif SC|WenQuanYi|Droid Sans Fallback/i);
    // The three chart PNGs (each with its alpha mask), drawn at 1600 × 840.
    const images = execFileSync('pdfimages', ['-list', pdf], { encoding: 'utf8' }).trim().split('\n').slice(2).map((l) => l.trim().split(/\s+/));
    expect(images.filter((c) => c[2] === 'image' && c[3] === '1600' && c[4] === '840').length).toBe(3);
  });

  it('lists the warnings open after the evaluation as of the quarter’s last day, by rule and severity', async () => {
    const blocks = documentBlocks(docxParts(report.content).documentXml);
    const counts = await db.knex('alerts').where({ region_code: REGION }).whereNull('closed_at').select('severity').count<{ severity: string; count: string }[]>('* as count').groupBy('severity');
    const total = counts.reduce((n, c) => n + Number(c.count), 0);
    expect(total).toBeGreaterThan(0);
    const table = tableAfter(blocks, '表12 截至2026-09-30预警分规则、分等级统计')!;
    const sumRow = table[table.length - 1]!;
    const bySeverity = (s: string) => String(counts.find((c) => c.severity === s)?.count ?? 0);
    expect(sumRow.slice(0, 4)).toEqual(['合计', bySeverity('red'), bySeverity('orange'), bySeverity('yellow')]);
    const red = await db.knex('alerts').where({ region_code: REGION, severity: 'red' }).whereNull('closed_at').pluck('explanation');
    const redTable = tableAfter(blocks, '表13 红色（严重）预警清单');
    if (red.length) expect(redTable!.slice(1).map((r) => r[3]).sort()).toEqual([...red].sort());
    else expect(redTable).toBeUndefined();
  });

  it('states the 重点监督 figures of its date: projects without targets, direct funds, large and split payments', async () => {
    const text = execFileSync('pdftotext', ['-layout', pdf, '-'], { encoding: 'utf8' }).replace(/[ \t]+/g, '');
    expect(text).toContain('九、重点监督');
    const blocks = documentBlocks(docxParts(report.content).documentXml);
    const section = blocks.slice(blocks.findIndex((b) => b.kind === 'p' && b.text === '九、重点监督'));
    expect(section[1]).toMatchObject({ kind: 'p', text: expect.stringMatching(/^截至2026年9月30日，\S*2026年度项目支出指标\d+个/) });
    const rows = tableAfter(blocks, '表14 重点监督事项（截至2026-09-30）')!;
    const row = (item: string) => rows.find((r) => r[0] === item)!.slice(1, 3);
    // Counted here from the tables themselves, in 万元 as the report's tables print them.
    const wan = (v: string | null) => new Decimal(v ?? 0).div(10000).toFixed(2).replace(/^(-?)(\d+)/, (_m, s: string, d: string) => s + d.replace(/\B(?=(\d{3})+(?!\d))/g, ','));
    const one = async (sql: string, b: Record<string, unknown>) => (await db.knex.raw(sql, b)).rows[0] as { n: number; amount: string | null };
    const b = { region: REGION, asOf: '2026-09-30' };
    const noTargets = await one(
      `select count(*)::int as n, sum(i.amount) as amount from budget_indicators i
        where i.region_code = :region and i.fiscal_year = 2026 and i.issued_on <= :asOf and coalesce(i.project_code, '') <> '' and i.amount >= 500000
          and not exists (select 1 from performance_targets t where t.region_code = i.region_code and t.fiscal_year = 2026 and t.indicator_no in (i.indicator_no, i.project_code))`, b);
    expect(row('50万元及以上未设定绩效目标的项目')).toEqual([String(noTargets.n), wan(noTargets.amount)]);
    const direct = await one(
      `select count(*)::int as n, sum(amount) as amount from transfer_payments
        where region_code = :region and fiscal_year = 2026 and direction = '收到上级' and kind = '直达资金' and received_on <= :asOf`, b);
    expect(direct.n).toBeGreaterThan(0);
    expect(row('直达资金')).toEqual([String(direct.n), wan(direct.amount)]);
    const flagged = async (rule: string, key: string) => one(
      `select count(*)::int as n, sum((measured->>'${key}')::numeric) as amount from alerts where region_code = :region and rule_id = :rule and closed_at is null`, { ...b, rule });
    const large = await flagged('R19', 'amount');
    // The 1,571,293.85 bonus to one person is among them.
    expect(large.n).toBeGreaterThanOrEqual(1);
    expect(row('向个人大额支付')).toEqual([String(large.n), wan(large.amount)]);
    const split = await flagged('R20', 'total');
    expect(row('疑似拆分支付（组）')).toEqual([String(split.n), wan(split.amount)]);
  });
});
