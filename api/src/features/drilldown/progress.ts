import Decimal from 'decimal.js';
import { timeProgress as rulesTimeProgress } from '../../rules/time-progress.js';
import type { ProgressConvention, TimeProgress } from './contract.js';

export type { ProgressConvention, TimeProgress };

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
