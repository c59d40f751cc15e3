import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROOT_DIR } from '../config.js';
import { createTestDatabase, type TestDatabase, seedSmallCity } from '../testing/index.js';
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
});
