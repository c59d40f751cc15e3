import Decimal from 'decimal.js';
import type { Knex } from 'knex';

/**
 * 时序进度: the share of the fiscal year elapsed at the as-of date, kept as an exact fraction
 * (elapsed / total) so SQL can divide in numeric and nothing is rounded before display.
 * - 'days' (default): elapsed days including the as-of date / days in the year (2025-09-30 → 273/365).
 * - 'months': completed months / 12 (2025-09-30 → 9/12; 2025-09-29 → 8/12), the convention of
 *   many published reports.
 */
export type TimeProgressConvention = 'days' | 'months';

export interface TimeProgress {
  convention: TimeProgressConvention;
  elapsed: number;
  total: number;
  /** 100 × elapsed / total, exact to 20 decimal places. */
  percent: string;
}

/** app_settings key holding the convention (value: "days" or "months"). */
export const TIME_PROGRESS_SETTING = 'time_progress_convention';

const isLeap = (y: number) => (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;

export function timeProgress(asOf: string, convention: TimeProgressConvention = 'days'): TimeProgress {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(asOf);
  if (!m) throw new Error(`as-of date must be YYYY-MM-DD: ${asOf}`);
  const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
  let elapsed: number;
  let total: number;
  if (convention === 'months') {
    const lastDay = new Date(Date.UTC(year, month, 0)).getUTCDate();
    elapsed = day === lastDay ? month : month - 1;
    total = 12;
  } else {
    elapsed = Math.round((Date.UTC(year, month - 1, day) - Date.UTC(year, 0, 1)) / 86_400_000) + 1;
    total = isLeap(year) ? 366 : 365;
  }
  return { convention, elapsed, total, percent: new Decimal(100).times(elapsed).div(total).toDecimalPlaces(20).toFixed() };
}

export async function readTimeProgressConvention(knex: Knex): Promise<TimeProgressConvention> {
  const row = await knex('app_settings').where({ key: TIME_PROGRESS_SETTING }).first('value');
  return row?.value === 'months' ? 'months' : 'days';
}
