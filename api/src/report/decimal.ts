import Decimal from 'decimal.js';

/**
 * The report's own decimal constructor: enough precision for sums of numeric(18,2) and
 * their ratios, and half-up rounding as the committee's published tables round.
 * A clone, so the global Decimal others configure is left alone.
 */
export const ReportDecimal = Decimal.clone({ precision: 40, rounding: Decimal.ROUND_HALF_UP });
export type { Decimal };
export const D = (v: Decimal.Value) => new ReportDecimal(v);
export const ZERO = D(0);

/** Sum decimal strings (or Decimals) exactly. */
export function sum(values: Iterable<Decimal.Value | null | undefined>): Decimal {
  let total = ZERO;
  for (const v of values) if (v !== null && v !== undefined) total = total.plus(v);
  return total;
}

/** a / b, or undefined when b is zero (a rate with no base is "—", not infinity). */
export function ratio(a: Decimal.Value, b: Decimal.Value): Decimal | undefined {
  const den = D(b);
  return den.isZero() ? undefined : D(a).div(den);
}
