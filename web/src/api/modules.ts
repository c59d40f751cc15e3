import type { AssetCard, AssetCardsMeta, AssetCategory, AssetReport, AssetReportsMeta } from '@contract/assets';
import type { Finding, FindingsMeta, OverdueMeta, RepeatFinding } from '@contract/audit';
import type { Bond, BondsMeta, DebtRatio, DebtSummary, Maturity, MaturitiesMeta, Ratio, Repayment, RepaymentsMeta } from '@contract/debt';
import { api, type Query } from './client';

export type { AssetCard, AssetCategory, AssetReport, Bond, DebtRatio, DebtSummary, Finding, Maturity, Ratio, RepeatFinding, Repayment };

export const modulesApi = {
  debtSummary: (q: Query) => api.get<DebtSummary>('/debt/summary', q),
  bonds: (q: Query) => api.get<Bond[], BondsMeta>('/debt/bonds', q),
  maturities: (q: Query) => api.get<Maturity[], MaturitiesMeta>('/debt/maturities', q),
  repayments: (q: Query) => api.get<Repayment[], RepaymentsMeta>('/debt/repayments', q),
  assetReports: (q: Query) => api.get<AssetReport[], AssetReportsMeta>('/assets/reports', q),
  idleAssets: (q: Query) => api.get<AssetCard[], AssetCardsMeta>('/assets/idle', q),
  findings: (q: Query) => api.get<Finding[], FindingsMeta>('/audit/findings', q),
  overdue: (q: Query) => api.get<Finding[], OverdueMeta>('/audit/overdue', q),
  repeats: (q: Query) => api.get<RepeatFinding[]>('/audit/repeats', q),
};
