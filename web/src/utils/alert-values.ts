import { formatMoney, formatMoneyWithUnit, isDecimalString, type MoneyUnit } from './money';
import { formatCount, formatPercent } from './format';

/** Chinese names of the measured / threshold keys the rules write. */
export const VALUE_LABEL: Record<string, string> = {
  available: '可用指标', paid: '已支付', executionRate: '执行率', timeProgress: '时序进度', gap: '落后时序进度（百分点）',
  excess: '超出金额', tolerance: '容差', vouchers: '凭证笔数', amount: '金额', initial: '年初预算', supplement: '追加净额',
  rate: '比率', basis: '口径', spikePaid: '期间支出', yearPaid: '全年支出', share: '占比', issuedOn: '下达日期', idleDays: '闲置天数',
  revenue: '收入', budget: '预算', reserve: '预备费', expenditure: '一般公共预算支出', balance: '债务余额', fiscalCapacity: '综合财力',
  ratio: '比率', limit: '限额', usage: '限额使用率', duePrincipal: '到期本金', windowEnd: '统计截止', totalAssets: '资产总额',
  totalLiabilities: '负债总额', originalValue: '原值', statusSince: '状态起始日', deadline: '整改期限', overdueDays: '逾期天数',
  status: '状态', years: '年度数', findings: '问题数', auditYears: '审计年度', yellow: '黄色阈值', orange: '橙色阈值', red: '红色阈值',
  convention: '时序进度口径', warningLine: '预警线', superviseLine: '重点监管线', graceUntil: '宽限期', minAmount: '最小金额', days: '天数',
  growthAbove: '增长率上限', econCodes: '经济分类科目', nearLimitPercent: '接近限额线', windowMonths: '统计月数', industry: '行业',
  warning: '预警线', supervision: '重点监管线', minYears: '最少年度数', seriousAfterDays: '逾期转严重天数',
  lastYearPaid: '上年同期支出', overBudget: '超出预算', growth: '同比增长率', minPercent: '下限', maxPercent: '上限',
  principal: '应还本金', interest: '应付利息', due: '应还合计',
  payee: '收款人', payDate: '支付日期', econCode: '经济分类科目', personReason: '判定为个人的依据', total: '合计金额', payments: '笔数',
  firstDate: '首笔日期', lastDate: '末笔日期', procurementThreshold: '采购限额', minPayments: '最少笔数', windowDays: '时间窗口（天）',
  targets: '绩效指标数', measuredTargets: '定量产出指标数', onTrack: '按时序达标数', onTrackShare: '产出指标达标率', minProjectIndicator: '项目金额下限',
  receivedOn: '到账日期', allocatedOn: '分配下达日期', delayDays: '滞留天数', from: '来源地区', daysSince: '到账天数', sinceProgress: '到账以来时序进度',
  afterDays: '到账后起评天数',
};

const MONEY_KEYS = new Set(['available', 'paid', 'excess', 'amount', 'initial', 'supplement', 'spikePaid', 'yearPaid', 'revenue', 'budget', 'reserve', 'expenditure', 'balance', 'fiscalCapacity', 'limit', 'duePrincipal', 'totalAssets', 'totalLiabilities', 'originalValue', 'tolerance', 'minAmount', 'lastYearPaid', 'overBudget', 'principal', 'interest', 'due', 'total', 'procurementThreshold', 'minProjectIndicator']);
const PERCENT_KEYS = new Set(['executionRate', 'timeProgress', 'rate', 'share', 'ratio', 'usage', 'warningLine', 'superviseLine', 'growthAbove', 'nearLimitPercent', 'warning', 'supervision', 'growth', 'minPercent', 'maxPercent', 'onTrackShare', 'sinceProgress']);

export const isMoneyKey = (k: string) => MONEY_KEYS.has(k);
export const isPercentKey = (k: string) => PERCENT_KEYS.has(k);

/** A measured or threshold value for display: money in the unit, percents with 2 decimals, else as given. */
export function formatAlertValue(key: string, value: unknown, unit: MoneyUnit): string {
  if (value === null || value === undefined) return '—';
  if (typeof value === 'object') return JSON.stringify(value);
  const s = String(value);
  if (!isDecimalString(s)) return s === 'days' ? '按天' : s === 'months' ? '按月' : s;
  if (MONEY_KEYS.has(key)) return formatMoney(s, unit);
  if (PERCENT_KEYS.has(key)) return formatPercent(s, 'percent');
  if (key === 'gap') return formatPercent(s, 'percent').replace('%', '');
  return s;
}

/**
 * An alert's explanation (written by the rules in 元, e.g. "余额 9,017,000,000.00 元") in the
 * unit the user chose, and counts of vouchers with separators ("3,038 笔"). The amounts are
 * re-read from the text's own decimal strings, so nothing goes through a JS number.
 */
export function explanationIn(text: string, unit: MoneyUnit): string {
  return text
    .replace(/(-?\d[\d,]*\.\d{2}) 元/g, (_m, amount: string) => formatMoneyWithUnit(amount.replace(/,/g, ''), unit))
    .replace(/(\d{4,}) 笔/g, (_m, n: string) => `${formatCount(n)} 笔`);
}
