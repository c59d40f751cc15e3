import { agencies } from './agencies.js';
import { assetCards } from './asset-cards.js';
import { auditFindings } from './audit-findings.js';
import { budgetDrafts } from './budget-drafts.js';
import { budgetIndicators } from './budget-indicators.js';
import { debtBonds } from './debt-bonds.js';
import { debtLimits } from './debt-limits.js';
import { debtRepayments } from './debt-repayments.js';
import type { FeedDef } from './define-feed.js';
import { paymentVouchers } from './payment-vouchers.js';
import { performanceTargets } from './performance-targets.js';
import { revenues } from './revenues.js';
import { stateAssetReports } from './state-asset-reports.js';
import { transferPayments } from './transfer-payments.js';

export type { ColumnDef, ColumnType, FeedDef, RowProblem } from './define-feed.js';
export { defineFeed } from './define-feed.js';

/** Every feed of DATA-INTERFACE.md, in load order (agencies first: others resolve against them). */
export const FEEDS: readonly FeedDef[] = [
  agencies, budgetIndicators, paymentVouchers, revenues, auditFindings,
  debtBonds, debtRepayments, debtLimits, stateAssetReports, assetCards, performanceTargets, transferPayments, budgetDrafts,
].sort((a, b) => a.order - b.order);

export const FEEDS_BY_NAME: ReadonlyMap<string, FeedDef> = new Map(FEEDS.map((f) => [f.name, f]));

export function getFeed(name: string): FeedDef | undefined {
  return FEEDS_BY_NAME.get(name);
}

export {
  agencies, assetCards, auditFindings, budgetDrafts, budgetIndicators, debtBonds, debtLimits, debtRepayments,
  paymentVouchers, performanceTargets, revenues, stateAssetReports, transferPayments,
};
