import { api, type Query } from './client';

export interface Ratio {
  rateExact: string;
  percent2dp: string;
  grade?: string;
}
export interface DebtSummary {
  asOf: string;
  fiscalYear: number;
  available: boolean;
  general: { limit: string; balance: string; headroom: string; balanceToLimit: Ratio | null };
  special: { limit: string; balance: string; headroom: string; balanceToLimit: Ratio | null };
  total: { limit: string; balance: string; headroom: string };
  fiscalCapacity: string;
  debtRatio: Ratio | null;
  bonds: { count: string; issued: string };
}
export interface Bond {
  bond_code: string;
  bond_name: string;
  bond_type: string;
  purpose: string | null;
  issue_date: string;
  maturity_date: string;
  coupon_rate: string;
  amount: string;
  principal_repaid: string;
  next_due_date: string | null;
}
export interface Maturity {
  period: string;
  principal: string;
  interest: string;
  paid: string;
  repayments: string;
  /** Outstanding principal of the bonds maturing in the period (asked with upcoming=true). */
  maturing?: string;
}
export interface Repayment {
  bond_code: string;
  bond_name: string;
  bond_type: string;
  due_date: string;
  principal: string;
  interest: string;
  paid_on: string | null;
  paid_amount: string | null;
  days_overdue: number;
}
export interface AssetReport {
  report_year: number;
  entity_code: string;
  entity_name: string;
  asset_category: string;
  industry: string | null;
  total_assets: string;
  total_liabilities: string;
  net_assets: string;
  operating_revenue: string | null;
  net_profit: string | null;
  liability_ratio_exact: string | null;
  liability_percent_2dp: string | null;
}
export interface AssetCategory {
  asset_category: string;
  entities: string;
  total_assets: string;
  total_liabilities: string;
  liability_percent_2dp: string | null;
}
export interface AssetCard {
  asset_no: string;
  agency_code: string;
  agency_name: string | null;
  asset_name: string;
  asset_class: string;
  original_value: string;
  net_value: string | null;
  status: string;
  status_since: string;
  days_in_status: number;
}
export interface Finding {
  finding_no: string;
  audit_year: number;
  audit_project: string;
  agency_code: string;
  agency_name: string | null;
  category: string;
  description: string;
  amount_involved: string | null;
  rectified_amount: string | null;
  unrectified_amount: string | null;
  rectify_deadline: string;
  status: string;
  closed_on: string | null;
  overdue: boolean;
  days_overdue: number;
}
export interface RepeatFinding {
  agency_code: string;
  agency_name: string | null;
  category: string;
  years?: string | number;
  findings?: string | number;
  [k: string]: unknown;
}

export const modulesApi = {
  debtSummary: (q: Query) => api.get<DebtSummary>('/debt/summary', q),
  bonds: (q: Query) => api.get<Bond[], { total?: number }>('/debt/bonds', q),
  maturities: (q: Query) => api.get<Maturity[]>('/debt/maturities', q),
  repayments: (q: Query) => api.get<Repayment[], { total?: number }>('/debt/repayments', q),
  assetReports: (q: Query) => api.get<AssetReport[], { year?: number; categories?: AssetCategory[] }>('/assets/reports', q),
  idleAssets: (q: Query) => api.get<AssetCard[]>('/assets/idle', q),
  findings: (q: Query) => api.get<Finding[], { statusCounts?: { status: string; findings: string; amount_involved: string; overdue: string }[] }>('/audit/findings', q),
  overdue: (q: Query) => api.get<Finding[]>('/audit/overdue', q),
  repeats: (q: Query) => api.get<RepeatFinding[]>('/audit/repeats', q),
};
