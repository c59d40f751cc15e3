import { today } from '../api/src/clock.js';

/**
 * The benches' synthetic data sit in last fiscal year, as of its 30 September: 273 days of
 * spending and a previous year for year-on-year, the same shape whatever the date (so
 * figures stay comparable across runs) and never a date after the clock's today.
 */
export const BENCH_YEAR = Number(today().slice(0, 4)) - 1;
export const BENCH_AS_OF = `${BENCH_YEAR}-09-30`;
