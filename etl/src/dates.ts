/**
 * The ETL's date and region patterns on bundle paths. Business dates and "today" belong to the
 * one clock (api/src/clock.ts); its calendar helpers are re-exported here for the loaders.
 */
import { BUSINESS_DATE } from '../../api/src/core.js';

export { BUSINESS_DATE };
export { addDays } from '../../api/src/core.js';

export const REGION_CODE = /^\d{6}$/;

/** 'YYYY-MM-DD' naming a real calendar day (not 0000-00-00, not 2026-13-45). */
export function isCalendarDate(s: string): boolean {
  if (!BUSINESS_DATE.test(s) || s < '1000-01-01') return false;
  const d = new Date(`${s}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === s;
}
