import Decimal from 'decimal.js';
import { timeProgress as rulesTimeProgress, type TimeProgressConvention } from '../../rules/time-progress.js';

export type ProgressConvention = TimeProgressConvention;

export interface TimeProgress {
  convention: ProgressConvention;
  elapsed: number;
  total: number;
  /** elapsed ÷ total as a decimal string, 20 significant digits. */
  rateExact: string;
  /** Percent rounded half-up to 2 decimals, for display. */
  percent2dp: string;
}

/**
 * 时序进度 of fiscal year `fiscalYear` at `asOf`, by the rules engine's definition (one
 * definition for alerts and dashboard): elapsed days ÷ days in the year (2025-09-30 → 273/365)
 * or completed months ÷ 12. An as-of date outside the fiscal year clamps to 0 or the whole year.
 */
export function timeProgress(fiscalYear: number, asOf: string, convention: ProgressConvention = 'days'): TimeProgress {
  const y = Number(asOf.slice(0, 4));
  let { elapsed, total } = rulesTimeProgress(y === fiscalYear ? asOf : `${fiscalYear}-12-31`, convention);
  if (y < fiscalYear) elapsed = 0;
  const rate = new Decimal(elapsed).div(total);
  return { convention, elapsed, total, rateExact: rate.toString(), percent2dp: rate.times(100).toFixed(2) };
}
