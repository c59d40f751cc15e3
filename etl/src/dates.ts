/** Calendar helpers on 'YYYY-MM-DD' strings (business dates have no time of day). */

export const BUSINESS_DATE = /^\d{4}-\d{2}-\d{2}$/;
export const REGION_CODE = /^\d{6}$/;

/** Today's date in an IANA zone, e.g. Asia/Shanghai. */
export function todayIn(timeZone: string, now = new Date()): string {
  return new Intl.DateTimeFormat('sv-SE', { timeZone }).format(now);
}

export function addDays(date: string, days: number): string {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}
