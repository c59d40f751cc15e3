/**
 * The ETL's date and region patterns on bundle paths. Business dates and "today" belong to the
 * one clock (api/src/clock.ts); its calendar helpers are re-exported here for the loaders.
 * todayIn is the clock's dateIn under its old name, for fixtures/src/cli.ts until it reads the
 * clock's yesterday() (which also honours BW_TODAY).
 */
export { addDays, BUSINESS_DATE, dateIn as todayIn } from '../../api/src/clock.js';

export const REGION_CODE = /^\d{6}$/;
