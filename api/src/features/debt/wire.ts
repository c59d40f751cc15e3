import type { Bond, Repayment } from './contract.js';
import type { BondRow, RepaymentRow } from './queries.js';

/** Bonds and repayments as the API answers them: the queries' rows, camelCase. */

export const toBond = (r: BondRow): Bond => ({
  regionCode: r.region_code,
  bondCode: r.bond_code,
  bondName: r.bond_name,
  bondType: r.bond_type,
  purpose: r.purpose,
  issueDate: r.issue_date,
  maturityDate: r.maturity_date,
  couponRate: r.coupon_rate,
  amount: r.amount,
  principalRepaid: r.principal_repaid,
  nextDueDate: r.next_due_date,
});

export const toRepayment = (r: RepaymentRow): Repayment => ({
  regionCode: r.region_code,
  bondCode: r.bond_code,
  bondName: r.bond_name,
  bondType: r.bond_type,
  dueDate: r.due_date,
  principal: r.principal,
  interest: r.interest,
  paidOn: r.paid_on,
  paidAmount: r.paid_amount,
  daysOverdue: r.days_overdue,
});
