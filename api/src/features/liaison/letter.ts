import { AlignmentType, BorderStyle, Document, Packer, Paragraph, TextRun } from 'docx';
import type { Knex } from 'knex';
import { toRegionId } from '../../contract/common.js';
import { createError, ErrorCode } from '../../errors.js';
import { chineseDate } from '../../report/format.js';
import type { AlertRow } from '../alerts/queries.js';
import { ruleById } from '../../rules/index.js';
import type { Letterhead } from './contract.js';

// 交办函: the letter that goes with a 交办 to the department, in the office's letterhead,
// laid out like the quarterly report (A4, 仿宋 body, 小标宋/黑体 title) so it prints the same.

const BODY_FONT = { ascii: 'Times New Roman', hAnsi: 'Times New Roman', eastAsia: '仿宋' };
const TITLE_FONT = { ascii: '宋体', hAnsi: '宋体', eastAsia: '宋体' };
const HEADING_FONT = { ascii: '黑体', hAnsi: '黑体', eastAsia: '黑体' };

const ruleName = (id: string) => ruleById(id)?.nameZh;

export const LETTERHEAD_KEY = 'letterhead';
export const DEFAULT_LETTERHEAD: Letterhead = { office: '人大常委会预算工作委员会', signature: '人大常委会预算工作委员会', contact: '' };

export async function readLetterhead(knex: Knex): Promise<Letterhead> {
  const row = await knex('app_settings').where({ key: LETTERHEAD_KEY }).first('value');
  return { ...DEFAULT_LETTERHEAD, ...((row?.value as Partial<Letterhead> | undefined) ?? {}) };
}

export async function saveLetterhead(knex: Knex, value: Letterhead, userId: string): Promise<Letterhead> {
  await knex('app_settings')
    .insert({ key: LETTERHEAD_KEY, value: JSON.stringify(value), updated_by: userId, updated_at: knex.fn.now() })
    .onConflict('key')
    .merge();
  return readLetterhead(knex);
}

const para = (
  text: string,
  o: { indent?: boolean; align?: (typeof AlignmentType)[keyof typeof AlignmentType]; bold?: boolean; font?: typeof BODY_FONT; keepNext?: boolean } = {},
) =>
  new Paragraph({
    alignment: o.align ?? AlignmentType.JUSTIFIED,
    indent: o.indent === false ? undefined : { firstLine: 640 },
    spacing: { line: 520 },
    keepNext: o.keepNext,
    children: [new TextRun({ text, bold: o.bold, font: o.font })],
  });

/** The 交办函 of an assigned alert as .docx bytes and a file name. */
export async function buildAssignmentLetter(knex: Knex, alert: AlertRow, issuedOn: string): Promise<{ fileName: string; buffer: Buffer }> {
  if (!alert.assigned_agency_code || !alert.reply_deadline) {
    throw createError(ErrorCode.INVALID_TRANSITION, '该预警尚未交办，没有交办函', 409);
  }
  const head = await readLetterhead(knex);
  const assignment = await knex('alert_events')
    .where({ region_code: alert.region_code, alert_id: alert.id, to_status: 'assigned' })
    .orderBy('created_at', 'desc')
    .orderBy('id', 'desc')
    .first('note');
  const agency = alert.assigned_agency_name ?? alert.assigned_agency_code;
  const alertNo = toRegionId(alert.region_code, alert.id);
  const rule = ruleName(alert.rule_id) ?? alert.rule_id;
  const title = `关于${alert.subject_name ?? agency}${rule}预警事项的交办函`;
  const doc = new Document({
    creator: '预算联网监督系统',
    title,
    styles: { default: { document: { run: { font: BODY_FONT, size: 32 } } } },
    sections: [
      {
        properties: { page: { size: { width: 11906, height: 16838 }, margin: { top: 2098, bottom: 1984, left: 1588, right: 1474 } } },
        children: [
          new Paragraph({
            alignment: AlignmentType.CENTER,
            spacing: { after: 200 },
            border: { bottom: { style: BorderStyle.SINGLE, size: 18, color: 'C00000', space: 8 } },
            children: [new TextRun({ text: head.office, font: TITLE_FONT, bold: true, size: 52, color: 'C00000' })],
          }),
          new Paragraph({
            alignment: AlignmentType.CENTER,
            spacing: { before: 360, after: 360, line: 600 },
            children: [new TextRun({ text: title, font: TITLE_FONT, bold: true, size: 40 })],
          }),
          para(`${agency}：`, { indent: false }),
          para(
            `根据预算联网监督系统${chineseDate(alert.opened_at.toISOString().slice(0, 10))}发出的预警（编号 ${alertNo}，${rule}，期间 ${alert.period}），现将有关情况交你单位核实处理。`,
          ),
          para('一、预警情况', { font: HEADING_FONT, indent: true }),
          para(alert.explanation),
          ...(assignment?.note ? [para('二、办理要求', { font: HEADING_FONT }), para(assignment.note)] : []),
          para(`${assignment?.note ? '三' : '二'}、答复期限`, { font: HEADING_FONT }),
          para(
            `请于${chineseDate(alert.reply_deadline)}前，由部门联络员登录预算联网监督系统书面答复核实情况、整改措施及结果，并上传相关佐证材料（PDF、图片或 Office 文件）。`,
          ),
          ...(head.contact ? [para(`联系人：${head.contact}`)] : []),
          // Signature and date stay together on the last page.
          new Paragraph({ spacing: { before: 360 }, keepNext: true, children: [] }),
          para(head.signature, { align: AlignmentType.RIGHT, indent: false, keepNext: true }),
          para(chineseDate(issuedOn), { align: AlignmentType.RIGHT, indent: false }),
        ],
      },
    ],
  });
  return { fileName: `交办函-预警${alertNo}-${agency}.docx`, buffer: await Packer.toBuffer(doc) };
}
