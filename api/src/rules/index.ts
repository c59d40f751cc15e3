import type { Knex } from 'knex';
import type { RuleDefinition } from './define-rule.js';
import { evaluateRulesWith, findingsAsOf, type EvaluateOptions, type EvaluationResult } from './evaluate.js';
import r01 from './r01-slow-spending.js';
import r02 from './r02-payment-beyond-budget.js';
import r03 from './r03-payment-without-budget.js';
import r04 from './r04-high-supplement-rate.js';
import r05 from './r05-three-public-expenses.js';
import r06 from './r06-year-end-spike.js';
import r07 from './r07-idle-carryover.js';
import r08 from './r08-livelihood-behind.js';
import r09 from './r09-revenue-behind.js';
import r10 from './r10-reserve-fund.js';
import r11 from './r11-debt-ratio.js';
import r12 from './r12-balance-over-limit.js';
import r13 from './r13-overdue-repayment.js';
import r14 from './r14-maturity-wall.js';
import r15 from './r15-liability-ratio.js';
import r16 from './r16-idle-asset.js';
import r17 from './r17-overdue-rectification.js';
import r18 from './r18-repeat-finding.js';
import r19 from './r19-large-personal-payment.js';
import r20 from './r20-split-payments.js';
import r21 from './r21-performance-behind.js';
import r22 from './r22-direct-funds-delay.js';
import r23 from './r23-idle-transfer.js';

/** Every rule of RULES.md, in catalogue order. Adding a rule = one file + one line here. */
export const RULES: readonly RuleDefinition<any>[] = [
  r01, r02, r03, r04, r05, r06, r07, r08, r09, r10, r11, r12, r13, r14, r15, r16, r17, r18,
  r19, r20, r21, r22, r23,
];

export const ruleById = (id: string): RuleDefinition<any> | undefined => RULES.find((r) => r.id === id);

/**
 * Evaluate every enabled rule for `regionCode` at `asOf` and reconcile its alerts (see
 * evaluate.ts / reconcile.ts). The ETL calls it after each successful load of a region.
 */
export function evaluateRules(knex: Knex, opts: EvaluateOptions): Promise<EvaluationResult> {
  return evaluateRulesWith(RULES, knex, opts);
}

export type { EvaluateOptions, EvaluationResult, HeldWarning } from './evaluate.js';

/** What every enabled rule finds for a region at a date, nothing written: a report's warnings at the quarter's end. */
export const warningsAsOf = (knex: Knex, regionCode: string, asOf: string) => findingsAsOf(RULES, knex, regionCode, asOf);
export type { Finding, RuleDefinition, Severity, DrillLink } from './define-rule.js';
export { CLEARED_NOTE } from './reconcile.js';
export { timeProgress, TIME_PROGRESS_SETTING } from './time-progress.js';
