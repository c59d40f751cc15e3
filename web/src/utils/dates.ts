/**
 * Calendar arithmetic on 'YYYY-MM-DD' business dates. "Today" is never computed here: it comes
 * from the server's clock (status store), which honours BW_TZ and BW_TODAY.
 */
export function addDays(date: string, days: number): string {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}
