import Decimal from 'decimal.js';

/** Display units for money. Amounts always arrive as decimal strings in 元. */
export type MoneyUnit = 'yuan' | 'wan' | 'yi';

export const MONEY_UNITS: { value: MoneyUnit; label: string; divisor: string }[] = [
  { value: 'yuan', label: '元', divisor: '1' },
  { value: 'wan', label: '万元', divisor: '10000' },
  { value: 'yi', label: '亿元', divisor: '100000000' },
];

export const unitLabel = (unit: MoneyUnit) => MONEY_UNITS.find((u) => u.value === unit)!.label;

const DecimalHalfUp = Decimal.clone({ precision: 40, rounding: Decimal.ROUND_HALF_UP });

/** Insert thousands separators into a plain fixed-point string ("-1234567.50" → "-1,234,567.50"). */
export function groupThousands(fixed: string): string {
  const negative = fixed.startsWith('-');
  const body = negative ? fixed.slice(1) : fixed;
  const [int, frac] = body.split('.');
  const grouped = int.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return `${negative ? '-' : ''}${grouped}${frac !== undefined ? `.${frac}` : ''}`;
}

/** True when `s` is a decimal string the formatter accepts. */
export function isDecimalString(s: unknown): s is string {
  return typeof s === 'string' && /^[-+]?\d+(\.\d+)?$/.test(s.trim());
}

/**
 * Format an amount given in 元 as a decimal string, in the chosen unit, with thousands
 * separators and a fixed number of decimals (half-up). Never goes through a JS number.
 * Empty / null values show as "—".
 */
export function formatMoney(amount: string | null | undefined, unit: MoneyUnit = 'yuan', decimals = 2): string {
  if (amount === null || amount === undefined || amount === '') return '—';
  if (!isDecimalString(amount)) return '—';
  const divisor = MONEY_UNITS.find((u) => u.value === unit)!.divisor;
  let fixed = new DecimalHalfUp(amount.trim()).div(divisor).toFixed(decimals, Decimal.ROUND_HALF_UP);
  if (/^-0(\.0+)?$/.test(fixed)) fixed = fixed.slice(1); // no "-0.00"
  return groupThousands(fixed);
}

/** formatMoney plus the unit label: "1,234.56 万元". */
export function formatMoneyWithUnit(amount: string | null | undefined, unit: MoneyUnit = 'yuan'): string {
  const s = formatMoney(amount, unit);
  return s === '—' ? s : `${s} ${unitLabel(unit)}`;
}

/** Exact sum of decimal strings (a totals row), returned as a decimal string with 2 decimals. */
export function sumMoney(values: (string | null | undefined)[]): string {
  let total = new DecimalHalfUp(0);
  for (const v of values) if (v !== null && v !== undefined && v !== '' && isDecimalString(v)) total = total.plus(v.trim());
  return total.toFixed(2);
}

/** Exact difference a − b of two decimal strings, 2 decimals. */
export function subtractMoney(a: string | null | undefined, b: string | null | undefined): string {
  return new DecimalHalfUp(isDecimalString(a) ? a : 0).minus(isDecimalString(b) ? b : 0).toFixed(2);
}

/** Compare two decimal strings (for table sorting): -1, 0, 1. Empty sorts first. */
export function compareDecimal(a: string | null | undefined, b: string | null | undefined): number {
  const ea = !isDecimalString(a);
  const eb = !isDecimalString(b);
  if (ea || eb) return ea === eb ? 0 : ea ? -1 : 1;
  return new DecimalHalfUp(a).comparedTo(b);
}

/**
 * A number for drawing only (chart series value) in the chosen unit. Never sum or display it:
 * tooltips show formatMoney of the original string.
 */
export function chartValue(amount: string | null | undefined, unit: MoneyUnit = 'yuan'): number {
  if (!isDecimalString(amount)) return 0;
  const divisor = MONEY_UNITS.find((u) => u.value === unit)!.divisor;
  return new DecimalHalfUp(amount).div(divisor).toDecimalPlaces(4).toNumber();
}
