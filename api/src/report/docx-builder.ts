import {
  AlignmentType,
  BorderStyle,
  Document,
  Footer,
  HeadingLevel,
  ImageRun,
  Packer,
  PageBreak,
  PageNumber,
  Paragraph,
  Table,
  TableCell,
  TableLayoutType,
  TableRow,
  TextRun,
  VerticalAlignTable,
  WidthType,
} from 'docx';
import type { ExecutionLine, ReportData, RevenueLine } from './assemble.js';
import { ruleById } from '../rules/index.js';
import type { ChartImage } from './charts.js';
import { ratio } from './decimal.js';
import { chineseDate, pct, pctSign, points, wan } from './format.js';
import { keySupervisionParagraphs, keySupervisionRows } from './key-supervision.js';
import * as prose from './prose.js';
import { readZip, writeZip } from './zip-package.js';

// The Word document: cover, narrative, tables and charts, in the layout committee offices
// edit and print (A4, 仿宋 body, 黑体 headings, amounts in 万元 in tables).

const BODY_FONT = { ascii: 'Times New Roman', hAnsi: 'Times New Roman', eastAsia: '仿宋' };
const HEADING_FONT = { ascii: '黑体', hAnsi: '黑体', eastAsia: '黑体' };
const TITLE_FONT = { ascii: '宋体', hAnsi: '宋体', eastAsia: '宋体' };
const TABLE_WIDTH = 9300; // dxa: A4 (11906) less 2 × 1303 margins
const QUARTER_ZH = ['', '第一季度', '第二季度', '第三季度', '第四季度'];
const SEVERITY_ZH = { red: '红', orange: '橙', yellow: '黄' } as const;

export interface BuiltReport {
  fileName: string;
  title: string;
  /** The cover's generated-time text: the one part of the document not derived from the data. */
  generatedAtText: string;
  buffer: Buffer;
}

const p = (text: string, opts: { bold?: boolean; indent?: boolean; align?: (typeof AlignmentType)[keyof typeof AlignmentType]; size?: number } = {}) =>
  new Paragraph({
    alignment: opts.align ?? AlignmentType.JUSTIFIED,
    indent: opts.indent === false ? undefined : { firstLine: 640 },
    spacing: { line: 460, after: 60 },
    children: [new TextRun({ text, bold: opts.bold, size: opts.size })],
  });

const h1 = (text: string) =>
  new Paragraph({
    heading: HeadingLevel.HEADING_1,
    spacing: { before: 240, after: 120 },
    children: [new TextRun({ text, font: HEADING_FONT, size: 32 })],
  });

const h2 = (text: string) =>
  new Paragraph({
    heading: HeadingLevel.HEADING_2,
    indent: { firstLine: 640 },
    spacing: { before: 120, after: 80 },
    children: [new TextRun({ text, font: { ascii: '楷体', hAnsi: '楷体', eastAsia: '楷体' }, size: 32, bold: true })],
  });

const caption = (text: string) =>
  new Paragraph({ alignment: AlignmentType.CENTER, keepNext: true, spacing: { before: 120, after: 60 }, children: [new TextRun({ text, bold: true, size: 24 })] });

const unitNote = (text = '单位：万元') =>
  new Paragraph({ alignment: AlignmentType.RIGHT, keepNext: true, spacing: { after: 40 }, children: [new TextRun({ text, size: 20 })] });

/** A bordered table; `numeric` marks right-aligned columns; widths are relative weights. */
function table(headers: string[], rows: string[][], weights: number[], numeric: boolean[], boldRows: Set<number> = new Set()): Table {
  const total = weights.reduce((a, b) => a + b, 0);
  const widths = weights.map((w) => Math.floor((TABLE_WIDTH * w) / total));
  const border = { style: BorderStyle.SINGLE, size: 4, color: '000000' };
  const cell = (text: string, i: number, header: boolean, bold: boolean) =>
    new TableCell({
      width: { size: widths[i]!, type: WidthType.DXA },
      verticalAlign: VerticalAlignTable.CENTER,
      margins: { left: 60, right: 60, top: 30, bottom: 30 },
      shading: header ? { fill: 'E7E6E6' } : undefined,
      children: [
        new Paragraph({
          alignment: header ? AlignmentType.CENTER : numeric[i] ? AlignmentType.RIGHT : AlignmentType.LEFT,
          children: [new TextRun({ text, size: 20, bold: header || bold, font: header ? HEADING_FONT : undefined })],
        }),
      ],
    });
  return new Table({
    width: { size: TABLE_WIDTH, type: WidthType.DXA },
    columnWidths: widths,
    layout: TableLayoutType.FIXED,
    borders: { top: border, bottom: border, left: border, right: border, insideHorizontal: border, insideVertical: border },
    rows: [
      new TableRow({ tableHeader: true, children: headers.map((h, i) => cell(h, i, true, false)) }),
      ...rows.map((r, ri) => new TableRow({ cantSplit: true, children: r.map((t, i) => cell(t, i, false, boldRows.has(ri))) })),
    ],
  });
}

const EXEC_HEADERS = ['可用指标', '已支付', '执行率', '与时序进度差（百分点）', '同比增长'];
const execCells = (l: ExecutionLine) => [wan(l.budget), wan(l.paid), pctSign(l.rate), points(l.gap), l.lastPaid.isZero() ? '—' : pctSign(l.growth)];
const revenueCells = (l: RevenueLine) => [wan(l.budget), wan(l.amount), pctSign(l.rate), points(l.gap), l.lastAmount.isZero() ? '—' : pctSign(l.growth)];

function chart(img: ChartImage): Paragraph[] {
  return [
    new Paragraph({
      alignment: AlignmentType.CENTER,
      keepNext: true, // the chart stays on the page of its caption
      spacing: { before: 120 },
      children: [
        new ImageRun({
          type: 'png',
          data: img.png,
          transformation: { width: img.width, height: img.height },
          altText: { name: img.title, description: img.title, title: img.title },
        }),
      ],
    }),
    caption(img.title),
  ];
}

function functionClassTable(d: ReportData): Table {
  const rows = [...d.functionClasses.map((l) => [l.code, l.name, ...execCells(l)]), ['', '合计', ...execCells(d.functionTotal)]];
  return table(['科目编码', '科目名称', ...EXEC_HEADERS], rows, [8, 22, 14, 14, 10, 12, 10], [false, false, true, true, true, true, true], new Set([rows.length - 1]));
}

function coverPage(d: ReportData, title: string, generatedAtText: string): Paragraph[] {
  const period = prose.periodLabel(d.asOf);
  const info = (label: string, value: string) =>
    new Paragraph({
      alignment: AlignmentType.LEFT,
      indent: { left: 1800 },
      spacing: { line: 520 },
      children: [new TextRun({ text: `${label}：`, font: HEADING_FONT, size: 30 }), new TextRun({ text: value, size: 30 })],
    });
  return [
    new Paragraph({ spacing: { before: 2400 }, children: [] }),
    new Paragraph({
      alignment: AlignmentType.CENTER,
      spacing: { after: 240 },
      children: [new TextRun({ text: `${d.scopeLabel}${d.quarter.year}年${QUARTER_ZH[d.quarter.q]}`, font: TITLE_FONT, bold: true, size: 44 })],
    }),
    new Paragraph({
      alignment: AlignmentType.CENTER,
      spacing: { after: 1600 },
      children: [new TextRun({ text: '预算执行情况报告', font: TITLE_FONT, bold: true, size: 52 })],
    }),
    info('地　　区', `${d.scopeLabel}（${d.region.code}）`),
    info('报告期间', `${d.quarter.year}年${QUARTER_ZH[d.quarter.q]}（${period}）`),
    info('数据截至', chineseDate(d.asOf)),
    info('生成时间', generatedAtText),
    info('数据批次', `${d.batchIds.length}个入库批次`),
    new Paragraph({ spacing: { before: 2000 }, children: [] }),
    new Paragraph({
      alignment: AlignmentType.CENTER,
      children: [new TextRun({ text: '预算联网监督系统 生成', size: 28 })],
    }),
    new Paragraph({ children: [new PageBreak()] }),
  ];
}

/** Section bodies, in the order of the issue: summary, four budgets, livelihood, departments, debt, assets, audit, alerts. */
function body(d: ReportData, charts: ChartImage[]): (Paragraph | Table)[] {
  const out: (Paragraph | Table)[] = [];
  const period = prose.periodLabel(d.asOf);

  out.push(h1('一、总体情况'));
  for (const s of prose.summaryParagraphs(d)) out.push(p(s));

  out.push(h1('二、四本预算执行情况'));
  out.push(h2('（一）收入执行情况'));
  if (!d.revenue.length) out.push(p('本期未报送收入执行数据。'));
  for (const r of d.revenue) {
    out.push(caption(`表1-${r.budgetType} ${r.name}收入执行情况（${period}）`), unitNote());
    const rows = [...r.classes.map((c) => [c.code, c.name, ...revenueCells(c)]), ['', '合计', ...revenueCells(r.total)]];
    out.push(table(['科目编码', '收入类别', '预算数', '完成数', '完成率', '与时序进度差（百分点）', '同比增长'], rows, [8, 22, 14, 14, 10, 12, 10], [false, false, true, true, true, true, true], new Set([rows.length - 1])));
  }
  out.push(h2('（二）支出执行情况'));
  out.push(p(prose.expenditureParagraph(d)));
  out.push(caption(`表2 四本预算支出执行情况（${period}）`), unitNote());
  out.push(table(['预算类型', ...EXEC_HEADERS], d.expenditure.map((e) => [e.name, ...execCells(e)]), [22, 16, 16, 10, 14, 12], [false, true, true, true, true, true]));
  out.push(h2('（三）一般公共预算支出分功能科目执行情况'));
  out.push(caption(`表3 一般公共预算支出分功能科目（类）执行情况（${period}）`), unitNote());
  out.push(functionClassTable(d));
  out.push(...chart(charts[0]!));
  out.push(...chart(charts[1]!));
  if (d.regions.length) {
    out.push(h2('（四）分地区执行情况'));
    out.push(p(`${d.scopeLabel}由本级及所辖地区构成，各部分一般公共预算支出执行情况如下表（所辖地区按其全辖口径、各按自身报送的数据计算）。`));
    out.push(caption(`表3-1 分地区一般公共预算支出执行情况（${period}）`), unitNote());
    out.push(table(['地区', ...EXEC_HEADERS], d.regions.map((l) => [l.name, ...execCells(l)]), [22, 16, 16, 10, 14, 12], [false, true, true, true, true, true]));
  }

  out.push(h1('三、重点民生支出'));
  out.push(p(prose.livelihoodParagraph(d)));
  out.push(caption('表4 重点民生支出执行情况'), unitNote());
  out.push(table(['科目编码', '科目名称', ...EXEC_HEADERS], d.livelihood.map((l) => [l.code, l.name, ...execCells(l)]), [8, 22, 14, 14, 10, 12, 10], [false, false, true, true, true, true, true]));

  out.push(h1('四、部门支出进度'));
  out.push(p(prose.departmentsParagraph(d)));
  const deptTable = (ls: ExecutionLine[]) =>
    table(['主管部门', ...EXEC_HEADERS], ls.map((l) => [l.name, ...execCells(l)]), [26, 15, 15, 10, 14, 12], [false, true, true, true, true, true]);
  if (d.departments.behind.length) out.push(caption('表5 支出进度较慢的部门'), unitNote(), deptTable(d.departments.behind));
  if (d.departments.ahead.length) out.push(caption('表6 支出进度较快的部门'), unitNote(), deptTable(d.departments.ahead));

  out.push(h1('五、政府债务'));
  out.push(p(prose.debtParagraph(d)));
  const L = d.debt.limits;
  if (L) {
    const row = (name: string, limit = L.generalLimit, balance = L.generalBalance) => [name, wan(limit), wan(balance), pctSign(ratio(balance, limit))];
    out.push(caption(`表7 政府债务限额与余额（${L.year}年）`), unitNote());
    out.push(
      table(
        ['类别', '债务限额', '债务余额', '余额/限额'],
        [row('一般债务'), row('专项债务', L.specialLimit, L.specialBalance), row('合计', L.generalLimit.plus(L.specialLimit), L.generalBalance.plus(L.specialBalance)), ['综合财力', '', wan(L.fiscalCapacity), '']],
        [25, 25, 25, 25],
        [false, true, true, true],
        new Set([2]),
      ),
    );
    out.push(p(`债务率（债务余额 ÷ 综合财力）为${pct(ratio(L.generalBalance.plus(L.specialBalance), L.fiscalCapacity))}%。`));
  }
  out.push(...chart(charts[2]!));

  out.push(h1('六、国有资产'));
  out.push(p(prose.assetsParagraph(d)));
  if (d.assets.categories.length) {
    out.push(caption(`表8 国有资产分类情况（${d.assets.reportYear}年度）`), unitNote());
    out.push(
      table(
        ['资产类别', '户数', '资产总额', '负债总额', '资产负债率'],
        d.assets.categories.map((c) => [c.category, String(c.entities), wan(c.assets), wan(c.liabilities), pctSign(c.ratio)]),
        [22, 10, 24, 24, 20],
        [false, true, true, true, true],
      ),
    );
  }
  if (d.assets.leveraged.length) {
    out.push(caption('表9 资产负债率较高的企业'), unitNote());
    out.push(
      table(
        ['企业名称', '行业', '资产总额', '资产负债率'],
        d.assets.leveraged.map((e) => [e.name, e.industry ?? '—', wan(e.assets), pctSign(e.ratio)]),
        [40, 16, 24, 20],
        [false, false, true, true],
      ),
    );
  }

  out.push(h1('七、审计整改'));
  out.push(p(prose.auditParagraph(d)));
  if (d.audit.total) {
    out.push(caption('表10 审计查出问题整改状态'));
    out.push(table(['整改状态', '问题个数'], [...d.audit.byStatus.map((s) => [s.status, String(s.findings)]), ['合计', String(d.audit.total)]], [50, 50], [false, true], new Set([d.audit.byStatus.length])));
  }
  if (d.audit.overdueList.length) {
    out.push(caption('表11 逾期未整改问题'));
    out.push(
      table(
        ['问题编号', '被审计单位', '问题类别', '整改期限', '逾期天数'],
        d.audit.overdueList.map((f) => [f.finding_no, f.agency_name ?? '—', f.category, f.rectify_deadline, String(f.days_overdue)]),
        [22, 28, 16, 18, 16],
        [false, false, false, false, true],
      ),
    );
  }

  out.push(h1('八、预警情况'));
  out.push(p(prose.alertsParagraph(d)));
  if (d.alerts.byRule.length) {
    out.push(caption(`表12 截至${d.alerts.asOf}预警分规则、分等级统计（条）`));
    const rows = d.alerts.byRule.map((r) => [`${r.ruleId} ${ruleById(r.ruleId)?.nameZh ?? ''}`.trim(), String(r.red), String(r.orange), String(r.yellow), String(r.open)]);
    rows.push(['合计', String(d.alerts.bySeverity.red), String(d.alerts.bySeverity.orange), String(d.alerts.bySeverity.yellow), String(d.alerts.total)]);
    out.push(table(['规则', '红色', '橙色', '黄色', '合计'], rows, [28, 18, 18, 18, 18], [false, true, true, true, true], new Set([rows.length - 1])));
  }
  if (d.alerts.red.length) {
    out.push(caption('表13 红色（严重）预警清单'));
    out.push(
      table(
        ['规则', '对象', '期间', '说明'],
        d.alerts.red.map((a) => [a.rule_id, a.subject_name ?? '—', a.period, a.explanation]),
        [10, 22, 14, 54],
        [false, false, false, false],
      ),
    );
  }

  out.push(h1('九、重点监督'));
  for (const s of keySupervisionParagraphs(d.keySupervision, d.scopeLabel)) out.push(p(s));
  out.push(caption(`表14 重点监督事项（截至${d.asOf}）`));
  out.push(table(['事项', '数量', '金额（万元）', '预警规则'], keySupervisionRows(d.keySupervision), [46, 14, 24, 16], [false, true, true, false]));

  out.push(h1('附：口径说明'));
  for (const s of [
    '可用指标：截至数据日期已下达的预算指标合计（年初预算、追加、上级转移支付、结转，减调减）。',
    '已支付：截至数据日期的支付凭证金额合计（退回、冲销为负数）。',
    '执行率 = 已支付 ÷ 可用指标；收入完成率 = 累计收入 ÷ 年初预算数。',
    d.timeProgressBasis.convention === 'days'
      ? `时序进度按天计算：截至数据日期已过天数（含当日）÷ 全年天数；本报告为${pct(d.timeProgress)}%。`
      : `时序进度按月计算：截至数据日期已完成月数 ÷ 12；本报告为${pct(d.timeProgress)}%。`,
    '同比增长：与上年同期（截至上年同月同日）相比；上年同期为零时不计算。',
    ...(d.netting ? [`口径：${d.netting}`] : [`口径：${d.scopeLabel}，即本级预算，不含所辖地区。`]),
    `金额：正文以亿元表示、表格以万元表示，均保留两位小数，由精确金额四舍五入得出；合计按精确金额计算后四舍五入。`,
    `数据来源：${d.batchIds.length}个入库批次${d.batchIds.length ? `（批次编号${d.batchIds[0]}${d.batchIds.length > 1 ? `至${d.batchIds[d.batchIds.length - 1]}` : ''}，逐一记录于报告归档）` : ''}；最新业务日期${d.latestLoaded}。`,
  ]) {
    out.push(p(s));
  }
  return out;
}

export function reportTitle(d: ReportData): string {
  return `${d.scopeLabel}${d.quarter.year}年${QUARTER_ZH[d.quarter.q]}预算执行情况报告`;
}

export function reportFileName(d: ReportData): string {
  return `${reportTitle(d)}（截至${d.asOf}）.docx`;
}

/**
 * Build the .docx. The package's created/modified stamps and zip entry times are set to the
 * as-of date, so the bytes depend only on the data and `generatedAtText`.
 */
export async function buildDocx(d: ReportData, charts: ChartImage[], generatedAtText: string): Promise<BuiltReport> {
  const title = reportTitle(d);
  const doc = new Document({
    creator: '预算联网监督系统',
    title,
    description: `${d.scopeLabel} ${d.quarter.key} 截至 ${d.asOf}`,
    styles: {
      default: {
        document: { run: { font: BODY_FONT, size: 30 } },
        heading1: { run: { font: HEADING_FONT, size: 32, color: '000000' } },
        heading2: { run: { font: HEADING_FONT, size: 32, color: '000000' } },
      },
    },
    sections: [
      {
        properties: {
          page: { size: { width: 11906, height: 16838 }, margin: { top: 1440, bottom: 1440, left: 1303, right: 1303 } },
          titlePage: true,
        },
        footers: {
          default: new Footer({
            children: [
              new Paragraph({
                alignment: AlignmentType.CENTER,
                children: [new TextRun({ children: ['— ', PageNumber.CURRENT, ' —'], size: 24 })],
              }),
            ],
          }),
        },
        children: [...coverPage(d, title, generatedAtText), ...body(d, charts)],
      },
    ],
  });
  const packed = await Packer.toBuffer(doc);
  return { fileName: reportFileName(d), title, generatedAtText, buffer: normalisePackage(packed, d.asOf) };
}

/**
 * Make the package a pure function of its content: core-property timestamps and zip entry
 * times fixed to the as-of date, and drawing ids (a counter the docx library keeps for the
 * whole process) renumbered from 1 in document order.
 */
export function normalisePackage(docx: Buffer, asOf: string): Buffer {
  const stamp = `${asOf}T00:00:00Z`;
  let drawing = 0;
  const entries = readZip(docx).map((e) =>
    e.name === 'word/document.xml'
      ? { name: e.name, data: Buffer.from(e.data.toString('utf8').replace(/<wp:docPr id="\d+"/g, () => `<wp:docPr id="${++drawing}"`)) }
      : e.name === 'docProps/core.xml'
      ? {
          name: e.name,
          data: Buffer.from(
            e.data
              .toString('utf8')
              .replace(/(<dcterms:created[^>]*>)[^<]*(<\/dcterms:created>)/, `$1${stamp}$2`)
              .replace(/(<dcterms:modified[^>]*>)[^<]*(<\/dcterms:modified>)/, `$1${stamp}$2`),
          ),
        }
      : e,
  );
  return writeZip(entries, asOf);
}
