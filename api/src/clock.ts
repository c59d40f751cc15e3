/**
 * The one clock. Every business-date computation (what "today" is, which date the T+1 delivery
 * covers, which year the dashboard opens on) reads it, so `BW_TODAY` moves the whole system —
 * the demo, the loader's future-date check, the Data page's freshness, the web — at once.
 *
 * Business dates are 'YYYY-MM-DD' strings: they have no time of day and no zone once computed.
 * "Today" is the calendar date in BW_TZ (default Asia/Shanghai), never the UTC date, which lags
 * Beijing by a day between 00:00 and 08:00.
 */

export const DEFAULT_TIME_ZONE = 'Asia/Shanghai';
export const BUSINESS_DATE = /^\d{4}-\d{2}-\d{2}$/;

type Env = Record<string, string | undefined>;

/** `value` if it is a real calendar date written YYYY-MM-DD; otherwise an error naming `what`. */
export function parseBusinessDate(value: string, what: string): string {
  const [y, m, d] = value.split('-').map(Number);
  const real = BUSINESS_DATE.test(value) && new Date(Date.UTC(y, m - 1, d)).getUTCDate() === d && m >= 1 && m <= 12;
  if (!real) throw new Error(`${what} 必须是 YYYY-MM-DD 格式的真实日期，收到 "${value}"`);
  return value;
}

/** BW_TZ, checked against the runtime's zone database. */
export function timeZoneOf(env: Env = process.env): string {
  const zone = env.BW_TZ || DEFAULT_TIME_ZONE;
  try {
    new Intl.DateTimeFormat('en', { timeZone: zone });
  } catch {
    throw new Error(`环境变量 BW_TZ 不是有效的 IANA 时区（如 Asia/Shanghai），收到 "${zone}"`);
  }
  return zone;
}

/** The calendar date at the instant `now` in `timeZone`. */
export function dateIn(timeZone: string, now = new Date()): string {
  return new Intl.DateTimeFormat('sv-SE', { timeZone }).format(now);
}

/** Today's business date: BW_TODAY when set, else the date now in BW_TZ. */
export function today(env: Env = process.env, now = new Date()): string {
  if (env.BW_TODAY) return parseBusinessDate(env.BW_TODAY, '环境变量 BW_TODAY');
  return dateIn(timeZoneOf(env), now);
}

/** The latest business date that is due: deliveries are T+1, so day T brings T−1's data. */
export function yesterday(env: Env = process.env, now = new Date()): string {
  return addDays(today(env, now), -1);
}

export function addDays(date: string, days: number): string {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

/** Whole days from `from` to `to` (negative when `to` is earlier). */
export function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000);
}

/**
 * The fiscal year the dashboard opens on for data as of `asOf` (the demo's as-of rule): in
 * January–March the previous year, whose final execution is what a committee reviews then
 * (the new year has a few weeks of spending); from April on, `asOf`'s own year.
 */
export function openingFiscalYear(asOf: string): number {
  const year = Number(asOf.slice(0, 4));
  return Number(asOf.slice(5, 7)) <= 3 ? year - 1 : year;
}

/**
 * The fiscal year whose budget draft (预算草案) is under review as of `asOf`, if any: from
 * October on, next year's — the finance bureau drafts it in the fourth quarter for the
 * congress that meets early next year — and none in January–September, when the year's budget
 * has been approved (the demo's documents and the review workspace follow it).
 */
export function draftUnderReviewYear(asOf: string): number | null {
  return Number(asOf.slice(5, 7)) >= 10 ? Number(asOf.slice(0, 4)) + 1 : null;
}
