/** Rule parameters (nested JSON of decimal strings) as flat editable fields, and back. */
export type ParamLeaf = string | number | boolean | string[] | null;
export interface ParamField {
  path: string;
  kind: 'string' | 'number' | 'boolean' | 'list';
  value: string | boolean;
}

export function flattenParams(params: Record<string, unknown>, prefix = ''): ParamField[] {
  const out: ParamField[] = [];
  for (const [k, v] of Object.entries(params)) {
    const path = prefix ? `${prefix}.${k}` : k;
    if (Array.isArray(v)) out.push({ path, kind: 'list', value: v.join(',') });
    else if (v !== null && typeof v === 'object') out.push(...flattenParams(v as Record<string, unknown>, path));
    else if (typeof v === 'boolean') out.push({ path, kind: 'boolean', value: v });
    else if (typeof v === 'number') out.push({ path, kind: 'number', value: String(v) });
    else out.push({ path, kind: 'string', value: v === null ? '' : String(v) });
  }
  return out;
}

export function unflattenParams(fields: ParamField[]): Record<string, unknown> {
  const root: Record<string, unknown> = {};
  for (const f of fields) {
    const keys = f.path.split('.');
    let node = root;
    for (const k of keys.slice(0, -1)) node = (node[k] ??= {}) as Record<string, unknown>;
    const last = keys[keys.length - 1];
    if (f.kind === 'list') node[last] = String(f.value).split(/[,，\s]+/).filter(Boolean);
    else if (f.kind === 'boolean') node[last] = Boolean(f.value);
    else if (f.kind === 'number') node[last] = Number(f.value);
    else node[last] = String(f.value).trim();
  }
  return root;
}

const KEY_ZH: Record<string, string> = {
  bands: '', yellow: '黄色阈值', orange: '橙色阈值', red: '红色阈值', graceUntil: '宽限期至（月-日）', minProjectIndicator: '项目指标下限（元）',
  tolerance: '容差（元）', severity: '预警等级', econCodes: '经济分类科目', overBudgetSeverity: '超预算等级', growthSeverity: '同比增长等级',
  growthAbove: '增长超过（%）', funcClasses: '功能分类', minPercent: '下限（%）', maxPercent: '上限（%）', overLimitSeverity: '超限额等级',
  nearLimitSeverity: '接近限额等级', nearLimitPercent: '接近限额（%）', windowMonths: '统计窗口（月）', industries: '', warning: '预警线（%）',
  supervision: '重点监管线（%）', defaultIndustry: '默认行业', categories: '适用类别', warningSeverity: '超预警线等级',
  supervisionSeverity: '超监管线等级', seriousAfterDays: '严重逾期（天）', seriousSeverity: '严重逾期等级', minYears: '最少审计年度数', days: '天数',
  individualClasses: '对个人支付类经济科目', individualClassBands: '对个人支付类', procurementThreshold: '采购限额（元）', minPayments: '最少笔数',
  windowDays: '时间窗口（天）', econPrefixes: '采购类经济科目', excludedEcon: '排除的经济科目', from: '起评日（月-日）', noTargetSeverity: '未设目标等级',
  afterDays: '到账后起评（天）',
  // The budget review's checks (D01–D14).
  executionBelow: '上年执行率低于（%）', alertRules: '参考的预警规则', classes: '重点支出（功能分类的类）', minAmount: '项目金额下限（元）',
  qualitativeSeverity: '仅有定性目标等级', debtRevenuePrefix: '债务收入科目前缀', funcPrefix: '专项转移支付科目前缀',
  deviationPercent: '偏离超过（%）', deviationAmount: '偏离超过（元）', label: '调整行的标注', changeSeverity: '调整行等级',
  unlabelledIncreaseSeverity: '未标注的增加等级',
};

/** What each rule's colour bands measure (RULES.md): the unit shown beside a band's threshold. */
const BAND_UNIT: Record<string, string> = {
  R01: '落后百分点', R04: '追加率 %', R06: '12 月支出占比 %', R07: '未支付天数', R08: '落后百分点', R09: '落后百分点',
  R11: '债务率 %', R14: '12 个月内到期占余额 %', R16: '闲置天数',
};

export const SEVERITY_VALUES: Record<string, string> = { yellow: '黄色', orange: '橙色', red: '红色' };

/** A field that holds a severity (yellow/orange/red), edited as a choice of the three. */
export const isSeverityPath = (path: string) => /(^|\.)(\w*Severity|severity)$/.test(path);

/**
 * A parameter path in Chinese with its unit: "bands.yellow" of R01 → "黄色阈值（落后百分点）",
 * "industries.工业.warning" → "工业 预警线（%）". Never the internal name.
 */
export function paramLabel(path: string, ruleId?: string): string {
  const keys = path.split('.');
  const label = keys
    .map((k) => (k in KEY_ZH ? KEY_ZH[k] : k))
    .filter(Boolean)
    .join(' ');
  const unit = keys[0] === 'bands' && ruleId ? BAND_UNIT[ruleId] : undefined;
  return unit ? `${label}（${unit}）` : label;
}

/** One line per leaf ("黄色阈值（落后百分点） = 10"), for showing thresholds and their changes. */
export function describeParams(params: Record<string, unknown> | null | undefined, ruleId?: string): string[] {
  if (!params) return [];
  return flattenParams(params).map((f) => `${paramLabel(f.path, ruleId)} = ${f.kind === 'boolean' ? (f.value ? '是' : '否') : (SEVERITY_VALUES[String(f.value)] ?? f.value)}`);
}
