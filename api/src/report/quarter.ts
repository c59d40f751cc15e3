import { D, type Decimal } from './decimal.js';

/** A fiscal quarter such as 2025Q3. */
export interface Quarter {
  year: number;
  q: 1 | 2 | 3 | 4;
  /** '2025Q3' */
  key: string;
  /** First and last day, 'YYYY-MM-DD'. */
  start: string;
  end: string;
}

const pad = (n: number) => String(n).padStart(2, '0');
const isLeap = (y: number) => (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
export const daysInYear = (y: number) => (isLeap(y) ? 366 : 365);
const daysInMonth = (y: number, m: number) => new Date(Date.UTC(y, m, 0)).getUTCDate();

export function parseQuarter(text: string): Quarter | undefined {
  const m = /^(\d{4})Q([1-4])$/.exec(text.trim().toUpperCase());
  if (!m) return undefined;
  const year = Number(m[1]);
  const q = Number(m[2]) as Quarter['q'];
  const lastMonth = q * 3;
  return {
    year,
    q,
    key: `${year}Q${q}`,
    start: `${year}-${pad(lastMonth - 2)}-01`,
    end: `${year}-${pad(lastMonth)}-${pad(daysInMonth(year, lastMonth))}`,
  };
}

/** The quarter after `q` (for "repayments due next quarter"). */
export function nextQuarter(q: Quarter): Quarter {
  return parseQuarter(q.q === 4 ? `${q.year + 1}Q1` : `${q.year}Q${q.q + 1}`)!;
}

/** Day of the year, 1-based: 2025-09-30 → 273. */
export function dayOfYear(date: string): number {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  return (Date.UTC(y, m - 1, d) - Date.UTC(y, 0, 1)) / 86_400_000 + 1;
}

/**
 * 时序进度 by days (RULES.md default): elapsed days including the as-of date over the
 * days in the year. 2025-09-30 → 273/365.
 */
export function timeProgress(asOf: string): Decimal {
  const year = Number(asOf.slice(0, 4));
  return D(dayOfYear(asOf)).div(daysInYear(year));
}

/** The last day of a month, 'YYYY-MM-DD'. */
export function monthEnd(year: number, month: number): string {
  return `${year}-${pad(month)}-${pad(daysInMonth(year, month))}`;
}

/** The same calendar day one year earlier (29 February → 28 February). */
export function sameDayLastYear(date: string): string {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  return `${y - 1}-${pad(m)}-${pad(Math.min(d, daysInMonth(y - 1, m)))}`;
}

/** Month of a 'YYYY-MM-DD' date, 1–12. */
export const monthOf = (date: string) => Number(date.slice(5, 7));
