import Decimal from 'decimal.js';
import { groupThousands, isDecimalString } from './money';

/**
 * A percentage with 2 decimals. `value` is a decimal string; `kind` says whether it is a
 * ratio (0.4120 → 41.20%) or already in percent (41.20 → 41.20%).
 */
export function formatPercent(value: string | number | null | undefined, kind: 'ratio' | 'percent' = 'ratio'): string {
  if (value === null || value === undefined || value === '') return '—';
  const s = String(value);
  if (!isDecimalString(s)) return '—';
  const d = kind === 'ratio' ? new Decimal(s).times(100) : new Decimal(s);
  let fixed = d.toFixed(2, Decimal.ROUND_HALF_UP);
  if (/^-0\.00$/.test(fixed)) fixed = '0.00';
  return `${fixed}%`;
}

/** Percentage points with 2 decimals: "33.59 个百分点". */
export function formatPoints(value: string | null | undefined, kind: 'ratio' | 'percent' = 'percent'): string {
  const p = formatPercent(value, kind);
  return p === '—' ? p : `${p.slice(0, -1)} 个百分点`;
}

/** Integer count with thousands separators. */
export function formatCount(value: string | number | null | undefined): string {
  if (value === null || value === undefined || value === '') return '—';
  const s = String(value);
  if (!/^-?\d+$/.test(s)) return s;
  return groupThousands(s);
}

/** A date as YYYY-MM-DD (from 'YYYY-MM-DD', an ISO timestamp or a Date), in local time for timestamps. */
export function formatDate(value: string | Date | null | undefined): string {
  if (!value) return '—';
  if (typeof value === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(value)) return value;
  const d = value instanceof Date ? value : new Date(value);
  if (Number.isNaN(d.getTime())) return String(value);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
}

/** A timestamp as YYYY-MM-DD HH:mm (local time). */
export function formatDateTime(value: string | Date | null | undefined): string {
  if (!value) return '—';
  const d = value instanceof Date ? value : new Date(value);
  if (Number.isNaN(d.getTime())) return String(value);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${formatDate(d)} ${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

/** Whole days between two YYYY-MM-DD dates (b − a). */
export function daysBetween(a: string, b: string): number {
  const ms = Date.parse(`${b}T00:00:00Z`) - Date.parse(`${a}T00:00:00Z`);
  return Math.round(ms / 86_400_000);
}

export const SEVERITY_LABEL: Record<string, string> = { yellow: '黄色', orange: '橙色', red: '红色' };
export const SEVERITY_TAG: Record<string, 'warning' | 'danger' | 'primary'> = { yellow: 'warning', orange: 'danger', red: 'danger' };
export const SEVERITY_COLOR: Record<string, string> = { yellow: '#e6a23c', orange: '#f56c2d', red: '#d0312d' };

export const ALERT_STATUS_LABEL: Record<string, string> = {
  new: '新预警',
  confirmed: '已确认',
  assigned: '已交办',
  replied: '已反馈',
  closed: '已销号',
  dismissed: '误报',
  cleared: '已自动解除',
};

export const ROLE_LABEL: Record<string, string> = { staff: '财经委/预工委', deputy: '人大代表', admin: '管理员', liaison: '部门联络员' };

/** A file size for people: 12.3 KB, 4.5 MB. */
export function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KB`;
  return `${(n / 1024 / 1024).toFixed(1)} MB`;
}

/**
 * How far spending is behind the time progress, for a card's hint: `points` is the decimal
 * string of percentage points behind (negative = ahead).
 */
export function progressGapText(points: string | null | undefined): string | undefined {
  if (!points || !isDecimalString(points)) return undefined;
  const d = new Decimal(points);
  if (d.isZero()) return '与时序进度持平';
  return d.isNegative() ? `超前时序进度 ${d.abs().toFixed(2)} 个百分点` : `落后时序进度 ${d.toFixed(2)} 个百分点`;
}

/** Today's date on this device, YYYY-MM-DD (for marking deadlines passed). */
export function todayLocal(): string {
  const d = new Date();
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
}
