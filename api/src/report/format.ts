import { D, type Decimal } from './decimal.js';

// Number formats the committee expects: 亿元 with 2 decimals in prose, 万元 in tables,
// percentages with 2 decimals. Every figure is rounded half-up from the exact decimal.

const YI = D('100000000');
const WAN = D('10000');

/** Thousands separators on a plain decimal string ('-1234567.89' → '-1,234,567.89'). */
export function groupThousands(fixed: string): string {
  const [int, frac] = fixed.split('.') as [string, string | undefined];
  const sign = int.startsWith('-') ? '-' : '';
  const digits = sign ? int.slice(1) : int;
  const grouped = digits.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return `${sign}${grouped}${frac !== undefined ? `.${frac}` : ''}`;
}

/** Yuan → 亿元, 2 decimals: '1234567890.12' → '12.35'. */
export const yi = (yuan: Decimal.Value) => D(yuan).div(YI).toFixed(2);

/** Yuan → 万元, 2 decimals, thousands separators: '1234567890.12' → '123,456.79'. */
export const wan = (yuan: Decimal.Value) => groupThousands(D(yuan).div(WAN).toFixed(2));

/** Yuan with separators: '1234567.8' → '1,234,567.80'. */
export const yuan = (v: Decimal.Value) => groupThousands(D(v).toFixed(2));

/** A ratio as a percentage number with 2 decimals (no sign): 0.747945 → '74.79'. '—' when undefined. */
export const pct = (r: Decimal | undefined) => (r === undefined ? '—' : r.times(100).toFixed(2));

/** A ratio as a percentage with the sign: '74.79%'. */
export const pctSign = (r: Decimal | undefined) => (r === undefined ? '—' : `${pct(r)}%`);

/** Percentage points with 2 decimals and an explicit sign: 0.0512 → '+5.12'. */
export function points(diff: Decimal | undefined): string {
  if (diff === undefined) return '—';
  const s = diff.times(100).toFixed(2);
  return s.startsWith('-') || /^0\.00$/.test(s) ? s.replace(/^-0\.00$/, '0.00') : `+${s}`;
}

/** "低于时序进度 x 个百分点" / "高于…" / "与时序进度持平", from rate − time progress. */
export function gapPhrase(gap: Decimal | undefined): string {
  if (gap === undefined) return '';
  const p = gap.abs().times(100).toFixed(2);
  if (p === '0.00') return '与时序进度持平';
  return gap.isNegative() ? `低于时序进度${p}个百分点` : `高于时序进度${p}个百分点`;
}

/** "同比增长 x%" / "同比下降 x%" / "同比持平", from growth = this / last − 1. */
export function growthPhrase(growth: Decimal | undefined): string {
  if (growth === undefined) return '上年同期无可比数据';
  const p = growth.abs().times(100).toFixed(2);
  if (p === '0.00') return '同比持平';
  return growth.isNegative() ? `同比下降${p}%` : `同比增长${p}%`;
}

/** 'YYYY-MM-DD' → 'YYYY年M月D日'. */
export function chineseDate(date: string): string {
  const [y, m, d] = date.split('-').map(Number);
  return `${y}年${m}月${d}日`;
}
