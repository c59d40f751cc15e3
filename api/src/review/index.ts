import type { CheckDefinition } from './define-check.js';
import d01 from './d01-reserve-fund.js';
import d02 from './d02-function-detail.js';
import d03 from './d03-economic-detail.js';
import d04 from './d04-balance.js';
import d05 from './d05-three-public-expenses.js';
import d06 from './d06-key-spending.js';
import d07 from './d07-repeat-low-execution.js';
import d08 from './d08-performance-targets.js';
import d09 from './d09-department-growth.js';
import d10 from './d10-new-debt.js';
import d11 from './d11-special-transfers.js';
import d12 from './d12-unrectified-audit.js';
import d13 from './d13-final-accounts.js';
import d14 from './d14-adjustment.js';

/** Every check of REVIEW.md, in catalogue order. Adding a check = one file + one line here. */
export const CHECKS: readonly CheckDefinition<any>[] = [d01, d02, d03, d04, d05, d06, d07, d08, d09, d10, d11, d12, d13, d14];

export const checkById = (id: string): CheckDefinition<any> | undefined => CHECKS.find((c) => c.id === id);

export { reviewDocument, reviewRegion, type ReviewRun } from './run.js';
export * from './define-check.js';
