/**
 * The ETL's date and region patterns on bundle paths. Business dates and "today" belong to the
 * one clock (api/src/clock.ts); its calendar helpers are re-exported here for the loaders.
 */
export { addDays, BUSINESS_DATE } from '../../api/src/clock.js';

export const REGION_CODE = /^\d{6}$/;
