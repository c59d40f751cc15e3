import type { Finding, FindingStatusCount, RepeatFinding } from './contract.js';
import type { FindingRow, RepeatRow, StatusCountRow } from './queries.js';

/** Findings, status totals and repeats as the API answers them: the queries' rows, camelCase. */

export const toFinding = (r: FindingRow): Finding => ({
  findingNo: r.finding_no,
  auditYear: r.audit_year,
  auditProject: r.audit_project,
  agencyCode: r.agency_code,
  agencyName: r.agency_name,
  category: r.category,
  description: r.description,
  amountInvolved: r.amount_involved,
  rectifiedAmount: r.rectified_amount,
  unrectifiedAmount: r.unrectified_amount,
  rectifyDeadline: r.rectify_deadline,
  status: r.status,
  closedOn: r.closed_on,
  overdue: r.overdue,
  daysOverdue: r.days_overdue,
});

export const toStatusCount = (r: StatusCountRow): FindingStatusCount => ({
  status: r.status,
  findings: r.findings,
  amountInvolved: r.amount_involved,
  overdue: r.overdue,
});

export const toRepeat = (r: RepeatRow): RepeatFinding => ({
  agencyCode: r.agency_code,
  agencyName: r.agency_name,
  category: r.category,
  auditYears: r.audit_years,
  findings: r.findings,
  findingNos: r.finding_nos,
});
