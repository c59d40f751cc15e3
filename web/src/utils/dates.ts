/**
 * Calendar arithmetic on 'YYYY-MM-DD' business dates. "Today" is never computed here: it comes
 * from the server's clock (status store), which honours BW_TZ and BW_TODAY.
 */
export function addDays(date: string, days: number): string {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

/** The last quarter ('2026Q3') that data as of `asOf` covers to its last day: what a report is written for. */
export function lastCompleteQuarter(asOf: string): string {
  const y = Number(asOf.slice(0, 4));
  const q = Math.ceil(Number(asOf.slice(5, 7)) / 3);
  const end = q === 4 ? `${y}-12-31` : addDays(`${y}-${String(q * 3 + 1).padStart(2, '0')}-01`, -1);
  if (asOf >= end) return `${y}Q${q}`;
  return q === 1 ? `${y - 1}Q4` : `${y}Q${q - 1}`;
}
