import Decimal from 'decimal.js';

export type ProgressConvention = 'days' | 'months';

export interface TimeProgress {
  convention: ProgressConvention;
  elapsed: number;
  total: number;
  /** elapsed ÷ total as a decimal string, 20 significant digits. */
  rateExact: string;
  /** Percent rounded half-up to 2 decimals, for display. */
  percent2dp: string;
}

const isLeap = (y: number) => (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;

/**
 * 时序进度 at `asOf` for fiscal year `fiscalYear` (RULES.md): elapsed days ÷ days in the year
 * (2025-09-30 → 273/365), or completed months ÷ 12 under the monthly convention.
 */
export function timeProgress(fiscalYear: number, asOf: string, convention: ProgressConvention = 'days'): TimeProgress {
  const [y, m, d] = asOf.split('-').map(Number) as [number, number, number];
  let elapsed: number;
  let total: number;
  if (convention === 'days') {
    total = isLeap(fiscalYear) ? 366 : 365;
    if (y < fiscalYear) elapsed = 0;
    else if (y > fiscalYear) elapsed = total;
    else elapsed = Math.round((Date.UTC(y, m - 1, d) - Date.UTC(y, 0, 1)) / 86_400_000) + 1;
  } else {
    total = 12;
    const lastDayOfMonth = new Date(Date.UTC(y, m, 0)).getUTCDate();
    if (y < fiscalYear) elapsed = 0;
    else if (y > fiscalYear) elapsed = 12;
    else elapsed = d === lastDayOfMonth ? m : m - 1;
  }
  const rate = new Decimal(elapsed).div(total);
  return { convention, elapsed, total, rateExact: rate.toString(), percent2dp: rate.times(100).toFixed(2) };
}
