import { createHash } from 'node:crypto';
import { AlignmentType, Document, Footer, Packer, PageNumber, Paragraph, TextRun } from 'docx';
import type { Knex } from 'knex';
import { fromRegionId } from '../../contract/common.js';
import { createError, ErrorCode } from '../../errors.js';
import { normalisePackage } from '../../report/docx-builder.js';
import { yuan } from '../../report/format.js';
import { REVIEW_CATEGORIES, REVIEW_SEVERITY_ZH, type DraftStage } from '../../review/index.js';
import type { OpinionDoc, ReviewFinding } from './contract.js';
import { insertOpinionDoc, listDocuments } from './queries.js';
import { findings } from './service.js';

// 初审意见: the accepted findings of one document, grouped 合法性 / 完整性 / 合理性 / 绩效, each
// with its figures (the check's sentence) and legal basis, then the suggestions; in the quarterly
// report's layout (A4, 仿宋 body, 黑体 headings), a draft for the committee to edit.

const BODY_FONT = { ascii: 'Times New Roman', hAnsi: 'Times New Roman', eastAsia: '仿宋' };
const HEADING_FONT = { ascii: '黑体', hAnsi: '黑体', eastAsia: '黑体' };
const TITLE_FONT = { ascii: '宋体', hAnsi: '宋体', eastAsia: '宋体' };
const NUMERALS = ['一', '二', '三', '四', '五', '六', '七', '八', '九', '十'];
const DOC_NAME: Record<DraftStage, string> = { 草案: '预算草案', 调整: '预算调整方案', 批准: '预算', 决算: '决算草案' };

/** What the committee asks of the government, by check. */
const SUGGESTION: Record<string, string> = {
  D01: '按照预算法第四十条的规定，将预备费调整到一般公共预算支出额的百分之一至百分之三。',
  D02: '将本级一般公共预算支出按功能分类编列到项，提交大会审查。',
  D03: '将基本支出按经济分类编列到款。',
  D04: '重新核定收支，做到收支平衡，不列赤字。',
  D05: '严格执行过紧日子要求，三公经费只减不增。',
  D06: '落实教育、科技、农业等法定支出增长要求，确需调减的应作出说明。',
  D07: '对上年执行率低的项目压减预算，落实绩效结果与预算安排挂钩。',
  D08: '为 50 万元以上项目补充可衡量的绩效目标。',
  D09: '对增长较快的部门预算说明编制依据。',
  D10: '新增债务控制在限额剩余空间内。',
  D11: '专项转移支付分地区、分项目编列。',
  D12: '审计查出问题整改到位前，从严控制相关单位预算增长。',
  D13: '对偏离预算较大的决算项目说明原因，加强预算执行管理。',
  D14: '预算调整严格按预算法第六十七条至第六十九条报人大常委会审查批准，调增事项逐项说明。',
};

const para = (text: string, opts: { bold?: boolean; indent?: boolean; align?: (typeof AlignmentType)[keyof typeof AlignmentType]; font?: typeof BODY_FONT; size?: number } = {}) =>
  new Paragraph({
    alignment: opts.align ?? AlignmentType.JUSTIFIED,
    indent: opts.indent === false ? undefined : { firstLine: 640 },
    spacing: { line: 460, after: 60 },
    children: [new TextRun({ text, bold: opts.bold, font: opts.font, size: opts.size })],
  });
const heading = (text: string) => new Paragraph({ indent: { firstLine: 640 }, spacing: { before: 240, after: 120 }, children: [new TextRun({ text, font: HEADING_FONT, size: 32 })] });

export interface OpinionDocInput {
  regionName: string;
  fiscalYear: number;
  stage: DraftStage;
  generatedOn: string;
  revenue: string;
  expenditure: string;
  reviewed: number;
  accepted: ReviewFinding[];
}

export function opinionDocTitle(i: Pick<OpinionDocInput, 'regionName' | 'fiscalYear' | 'stage'>): string {
  return `关于${i.regionName}${i.fiscalYear}年${DOC_NAME[i.stage]}的初步审查意见（草稿）`;
}

/** The .docx bytes; zip times and core properties set to `generatedOn`, so equal input gives equal bytes. */
export async function buildOpinionDoc(i: OpinionDocInput): Promise<Buffer> {
  const title = opinionDocTitle(i);
  const body: Paragraph[] = [
    new Paragraph({ alignment: AlignmentType.CENTER, spacing: { before: 240, after: 360 }, children: [new TextRun({ text: title, font: TITLE_FONT, size: 40, bold: true })] }),
    para(
      `${i.regionName}人民政府提交的${i.fiscalYear}年${DOC_NAME[i.stage]}，收入合计 ${yuan(i.revenue)} 元，支出合计 ${yuan(i.expenditure)} 元。` +
        `财政经济委员会（预算工作委员会）依照《预算法》对其合法性、完整性、合理性和绩效进行了初步审查，系统逐项审查发现 ${i.reviewed} 个事项，经研究写入本意见 ${i.accepted.length} 项。现将初步审查意见报告如下。`,
    ),
  ];
  let section = 0;
  for (const category of REVIEW_CATEGORIES) {
    const items = i.accepted.filter((f) => f.category === category);
    if (!items.length) continue;
    body.push(heading(`${NUMERALS[section++]}、${category}方面`));
    items.forEach((f, k) => {
      body.push(para(`（${NUMERALS[k] ?? k + 1}）【${REVIEW_SEVERITY_ZH[f.severity]}】${f.explanation}。`));
      body.push(para(`依据：${f.basis}。审查项 ${f.checkId}（${f.checkName}），涉及行号：${f.lineNos.length ? f.lineNos.join('、') : '全表'}。${f.decisionNote ? `审查意见：${f.decisionNote}` : ''}`, { size: 26 }));
    });
  }
  if (section === 0) body.push(para('经初步审查，未发现需要写入意见的问题。'));
  body.push(heading(`${NUMERALS[section]}、意见和建议`));
  const checks = [...new Set(i.accepted.map((f) => f.checkId))].sort();
  checks.forEach((id, k) => body.push(para(`${k + 1}. ${SUGGESTION[id] ?? '请财政部门研究处理。'}`)));
  if (!checks.length) body.push(para('建议批准。'));
  body.push(para(`${i.regionName}人大常委会财政经济委员会（预算工作委员会）`, { align: AlignmentType.RIGHT, indent: false }));
  body.push(para(`${i.generatedOn.slice(0, 4)}年${Number(i.generatedOn.slice(5, 7))}月${Number(i.generatedOn.slice(8, 10))}日`, { align: AlignmentType.RIGHT, indent: false }));

  const doc = new Document({
    creator: '预算联网监督系统',
    title,
    styles: { default: { document: { run: { font: BODY_FONT, size: 30 } } } },
    sections: [{
      properties: { page: { size: { width: 11906, height: 16838 }, margin: { top: 1440, bottom: 1440, left: 1303, right: 1303 } } },
      footers: { default: new Footer({ children: [new Paragraph({ alignment: AlignmentType.CENTER, children: [new TextRun({ children: ['— ', PageNumber.CURRENT, ' —'], size: 24 })] })] }) },
      children: body,
    }],
  });
  return normalisePackage(await Packer.toBuffer(doc), i.generatedOn);
}

/** Build the 初审意见 from the document's accepted findings and archive it (who, when, which findings, bytes, SHA-256). */
export async function generateOpinionDoc(knex: Knex, a: { regionCode: string; fiscalYear: number; stage: DraftStage; userId: string; today: string }): Promise<OpinionDoc> {
  const doc = (await listDocuments(knex, a.regionCode)).find((d) => d.fiscalYear === a.fiscalYear && d.stage === a.stage);
  if (!doc) throw createError(ErrorCode.NOT_FOUND, `${a.regionCode} 没有 ${a.fiscalYear} 年${a.stage}`, 404);
  const all = await findings(knex, [a.regionCode], { fy: a.fiscalYear, stage: a.stage });
  const accepted = all.filter((f) => f.decision === 'accepted');
  const content = await buildOpinionDoc({
    regionName: doc.regionName ?? a.regionCode, fiscalYear: a.fiscalYear, stage: a.stage, generatedOn: a.today,
    revenue: doc.revenue, expenditure: doc.expenditure, reviewed: all.filter((f) => f.current).length, accepted,
  });
  const sha256 = createHash('sha256').update(content).digest('hex');
  return insertOpinionDoc(knex, { regionCode: a.regionCode, fiscalYear: a.fiscalYear, stage: a.stage, findingIds: accepted.map((f) => fromRegionId(f.id).id), content, sha256, userId: a.userId });
}

