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
