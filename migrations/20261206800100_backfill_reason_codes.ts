import type { Knex } from 'knex';

// Codes for the reasons recorded before 20261206800000 added the columns, read from the
// Chinese text the loader wrote then (the patterns are frozen here: the loader's wording may
// change, these rows' will not). The first pattern that matches wins; a text none matches
// keeps a null code. Rows that already carry a code are left alone.

// Bundle rejections: the text may start with the file's name and '：'.
const BUNDLE: [string, string][] = [
  ['^数据库拒绝了数据', 'DATABASE_REJECTED'],
  ['^装载中断', 'LOAD_INTERRUPTED'],
  ['^装载出错', 'LOAD_FAILED'],
  ['不在本系统所属地区.*：不接受该数据包$', 'OUTSIDE_DEPLOYMENT'],
  ['^地区代码不是 6 位数字', 'BAD_REGION_CODE'],
  ['^业务日期不是', 'BAD_BUSINESS_DATE'],
  ['^业务日期 .* 晚于今天', 'FUTURE_DATE'],
  ['^无法读取目录', 'FOLDER_UNREADABLE'],
  ['是指向不存在位置的符号链接', 'LINK_BROKEN'],
  ['是指向收件目录之外（.*）的符号链接', 'LINK_OUTSIDE_INBOX'],
  ['^同一数据集有多个文件', 'DUPLICATE_FEED_FILE'],
  ['^目录中没有可识别的数据文件', 'NO_DATA_FILES'],
  ['_manifest\.json 列出了未知的数据集', 'MANIFEST_UNKNOWN_FEED'],
  ['_manifest\.json 列出的 .* 文件缺失', 'MANIFEST_FILE_MISSING'],
  ['^(_manifest\.json：)?_manifest\.json (不是合法的 JSON|缺少 feeds 对象|中 )', 'MANIFEST_INVALID'],
  ['与 _manifest\.json 不符：.* 清单行数', 'MANIFEST_ROWS_MISMATCH'],
  ['与 _manifest\.json 不符：.* 清单金额合计', 'MANIFEST_AMOUNT_MISMATCH'],
  ['合计行不符：', 'TOTAL_ROW_MISMATCH'],
  ['秒没有读出任何数据', 'READ_STALLED'],
  ['文件含有 NUL 字节', 'NOT_TEXT'],
  ['文件编码为 .*不受支持', 'UNSUPPORTED_ENCODING'],
  ['行(不是 UTF-8|是 UTF-8 编码)（', 'MIXED_ENCODING'],
  ['CSV 格式错误', 'CSV_SYNTAX'],
  ['缺少必填列：', 'MISSING_COLUMN'],
  ['表头重复：', 'DUPLICATE_COLUMN'],
  ['的表头有合并单元格', 'MERGED_HEADER'],
  ['(文件为空|”为空)（没有表头行）', 'FILE_EMPTY'],
  ['(无法打开文件|无法读取 Excel 文件)', 'FILE_UNREADABLE'],
];

// Quarantine reasons: the code of the first problem, the text before the first '；'.
const FIELD = '^[a-z_0-9]+（[^）]*）';
const QUARANTINE: [string, string][] = [
  ['^列数 \\d+ 与表头 \\d+ 列不一致', 'COLUMN_COUNT'],
  ['^主键 .* 与第 \\d+ 行重复', 'DUPLICATE_KEY'],
  ['^未知的单位代码', 'UNKNOWN_AGENCY'],
  [`${FIELD}必填字段为空`, 'REQUIRED_EMPTY'],
  [`${FIELD}长度 \\d+ 个字符，超过上限`, 'TOO_LONG'],
  [`${FIELD}代码格式不正确`, 'BAD_CODE'],
  [`${FIELD}取值不在允许范围`, 'BAD_ENUM'],
  [`${FIELD}不是整数`, 'BAD_INT'],
  [`${FIELD}超出范围 `, 'OUT_OF_RANGE'],
  [`${FIELD}金额格式不正确`, 'BAD_AMOUNT'],
  [`${FIELD}金额 .* 超出合理范围`, 'AMOUNT_OUT_OF_RANGE'],
  [`${FIELD}利率格式不正确`, 'BAD_RATE'],
  [`${FIELD}不是最多两位小数的非负数`, 'BAD_SCORE'],
  [`${FIELD}日期不合法`, 'BAD_DATE'],
  [`${FIELD}日期 .* 超出合理范围`, 'DATE_OUT_OF_RANGE'],
];

const caseOf = (text: string, patterns: [string, string][]) => ({
  sql: `case ${patterns.map(() => `when ${text} ~ ? then ?`).join(' ')} end`,
  bindings: patterns.flat(),
});

export async function up(knex: Knex): Promise<void> {
  // A file's problem is recorded as '<file>：<text>': match the text after the prefix too.
  const bundle = caseOf(`regexp_replace(reject_reason, '^[^：/]+\\.(csv|xlsx|json)：', '')`, BUNDLE);
  await knex.raw(`update batches set reject_code = ${bundle.sql} where status = 'rejected' and reject_code is null and reject_reason is not null`, bundle.bindings);
  const row = caseOf(`split_part(reason, '；', 1)`, QUARANTINE);
  await knex.raw(`update quarantine set reason_code = ${row.sql} where reason_code is null`, row.bindings);
}

// Nothing to undo: the previous migration's down drops both columns.
export async function down(): Promise<void> {}
