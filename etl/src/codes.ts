/**
 * Every reason the loader refuses something has a stable code, stored beside its Chinese
 * text (batches.reject_code, quarantine.reason_code) and sent by the API next to the message.
 * The text says what is wrong in this delivery (it names the file, line, column and values);
 * the code says which kind of problem it is, so programs and tests branch on the code and
 * never on the wording. A code, once released, keeps its meaning: add new ones, never reuse.
 * The list is documented in etl/README.md ("Reason codes"); codes.test.ts keeps the two equal.
 */

/** Why a whole bundle was refused (batches.status 'rejected'), or — SAME_DELIVERY — not loaded again. */
export const BUNDLE_CODES = {
  // The bundle's identity and place.
  BAD_REGION_CODE: '地区目录名不是 6 位地区代码',
  UNKNOWN_REGION: '地区代码不在行政区划表中',
  OUTSIDE_DEPLOYMENT: '地区不在本部署（BW_REGION）及其下级之内',
  BAD_BUSINESS_DATE: '日期目录名不是 YYYY-MM-DD 的真实日期',
  FUTURE_DATE: '业务日期晚于今天',
  SAME_DELIVERY: '与已装载（或已拒收）的批次内容相同，未再装载（不是拒收）',
  // The folder and its files.
  FOLDER_UNREADABLE: '无法读取数据包目录',
  LINK_BROKEN: '文件是指向不存在位置的符号链接',
  LINK_OUTSIDE_INBOX: '文件是指向收件目录之外的符号链接',
  DUPLICATE_FEED_FILE: '同一数据集有多个文件',
  NO_DATA_FILES: '目录中没有可识别的数据文件',
  // The manifest and control totals.
  MANIFEST_INVALID: '_manifest.json 不是合法的清单',
  MANIFEST_UNKNOWN_FEED: '_manifest.json 列出了未知的数据集',
  MANIFEST_FILE_MISSING: '_manifest.json 列出的文件缺失',
  MANIFEST_ROWS_MISMATCH: '行数与 _manifest.json 不符',
  MANIFEST_AMOUNT_MISMATCH: '金额合计与 _manifest.json 不符',
  TOTAL_ROW_MISMATCH: '合计行金额与合法金额合计不符',
  // A file that cannot be read (the whole bundle goes with it).
  FILE_UNREADABLE: '文件无法打开或读取（损坏、截断、加密）',
  FILE_EMPTY: '文件为空，没有表头行',
  NOT_TEXT: '文件含有 NUL 字节，不是文本 CSV',
  UNSUPPORTED_ENCODING: '文件编码不受支持（如 UTF-16）',
  MIXED_ENCODING: '文件混有 UTF-8 与 GB18030 编码的行',
  CSV_SYNTAX: 'CSV 格式错误（引号未闭合等）',
  MISSING_COLUMN: '缺少必填列',
  DUPLICATE_COLUMN: '表头重复',
  MERGED_HEADER: 'Excel 表头有合并单元格',
  READ_STALLED: '读取文件长时间没有读出数据',
  // The load itself.
  DATABASE_REJECTED: '数据库拒绝了数据',
  LOAD_INTERRUPTED: '装载中断（超时或读取失败），已回滚',
  LOAD_FAILED: '装载出错，已回滚',
} as const;
export type BundleCode = keyof typeof BUNDLE_CODES;

/**
 * Why a row went to quarantine. A row with several problems is stored once: its reason lists
 * them all, its column and code are those of the first.
 */
export const QUARANTINE_CODES = {
  COLUMN_COUNT: '列数与表头不一致',
  REQUIRED_EMPTY: '必填字段为空',
  TOO_LONG: '字段长度超过上限',
  BAD_CODE: '代码格式不正确',
  BAD_ENUM: '取值不在允许范围',
  BAD_INT: '不是整数',
  OUT_OF_RANGE: '数值超出范围（整数、得分）',
  BAD_AMOUNT: '金额格式不正确',
  AMOUNT_OUT_OF_RANGE: '金额超出合理范围',
  BAD_RATE: '利率格式不正确',
  BAD_SCORE: '得分格式不正确（最多两位小数的非负数）',
  BAD_DATE: '日期不合法',
  DATE_OUT_OF_RANGE: '日期超出合理范围',
  DUPLICATE_KEY: '主键在同一文件中重复',
  UNKNOWN_AGENCY: '未知的单位代码',
} as const;
export type QuarantineCode = keyof typeof QUARANTINE_CODES;

/** Why an inbox entry or a bundle's file was not loaded at all (listed in the run's summary). */
export const SKIP_CODES = {
  LINK_BROKEN: BUNDLE_CODES.LINK_BROKEN,
  LINK_OUTSIDE_INBOX: BUNDLE_CODES.LINK_OUTSIDE_INBOX,
  ENTRY_UNREADABLE: '无法读取该目录项',
  NOT_REGION_FOLDER: '收件目录顶层不是 6 位地区代码目录',
  NOT_DATE_FOLDER: '不是 YYYY-MM-DD 日期目录',
  NOT_BUNDLE_FOLDER: '是文件而不是数据包目录',
  UNKNOWN_FILE: '不是已知的数据集文件',
} as const;
export type SkipCode = keyof typeof SKIP_CODES;
