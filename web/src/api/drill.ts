import { api, type Query } from './client';
import type { DrillView } from '@/router/drill-path';

export interface TimeProgress {
  convention: 'days' | 'months';
  elapsed: number;
  total: number;
  rateExact: string;
  percent2dp: string;
}

export interface Figures {
  budget: string;
  paid: string;
  paidWithIndicator: string;
  paidWithoutIndicator: string;
  unpaidBalance: string;
  voucherCount: string;
  executionRateExact: string | null;
  executionPercent2dp: string | null;
  behindProgressPoints2dp: string | null;
}

export interface ReconciliationRow {
  key: string;
  label: string;
  amount: string;
}

export type Scope = 'self' | 'all';

/** What a figure covers: 本级 or 全辖, its label, whether anything was delivered, each region's date, the netting. */
export interface ScopeMeta {
  scope: Scope;
  label: string;
  hasData: boolean;
  regions: { code: string; name: string; asOf: string; timeProgressPercent2dp: string }[];
  asOfDiffers: boolean;
  regionsWithoutData: { code: string; name: string }[];
  netting: { netted: unknown[]; unmatched: unknown[]; notDelivered: { code: string; name: string }[]; statement: string | null };
}

export interface Summary {
  region: { code: string; name: string };
  fiscalYear: number;
  asOf: string;
  timeProgress: TimeProgress;
  scope: ScopeMeta;
  fundTypes: (Figures & { code: string; name: string; revenue: { budget: string; actual: string; executionRateExact: string | null; executionPercent2dp: string | null } })[];
  total: Figures;
  reconciliation: ReconciliationRow[];
  monthly: { month: string; paid: string; cumulativePaid: string; budget: string }[];
}

export interface BreakdownRow extends Figures {
  code: string | null;
  name: string;
  kind: 'item' | 'unmatched' | 'netting';
  /** Regions level: the row's own scope, as-of date and whether it has data. */
  scope?: Scope;
  asOf?: string | null;
  hasData?: boolean;
  /** Vouchers coded to this shorter code itself (a 类 with no 款): drilled with funcExact/econExact. */
  exactCode?: boolean;
  indicator?: {
    indicator_no: string;
    doc_no: string | null;
    indicator_kind: string;
    project_code: string | null;
    project_name: string | null;
    issued_on: string;
    func_code: string;
    econ_code: string | null;
    agency_code: string;
    amount: string;
  };
}

export interface Breakdown {
  level: string;
  fiscalYear: number;
  asOf: string;
  timeProgress: TimeProgress;
  filters: Record<string, string>;
  codeLength?: number;
  rows: BreakdownRow[];
  total: Figures;
  reconciliation: ReconciliationRow[];
}

export interface VoucherRow {
  region_code: string;
  voucher_no: string;
  fiscal_year: number;
  pay_date: string;
  agency_code: string;
  agency_name: string | null;
  dept_code: string;
  dept_name: string | null;
  indicator_no: string | null;
  indicator_known: boolean;
  func_code: string;
  func_name: string | null;
  econ_code: string;
  econ_name: string | null;
  fund_type: string;
  project_code: string | null;
  payee_name: string;
  payee_account: string | null;
  pay_method: string | null;
  purpose: string | null;
  amount: string;
}

export interface VoucherPageMeta {
  asOf: string;
  fiscalYear: number;
  sort: 'date' | 'amount';
  order: 'asc' | 'desc';
  limit: number;
  nextCursor: string | null;
  total?: { count: string; amount: string };
}

export interface VoucherLineage {
  voucher: VoucherRow;
  batch: { id: string; business_date: string; source: string; location: string | null; status: string; committed_at: string | null; etl_run_id: string | null };
  file: { feed: string; file_name: string; encoding: string | null } | null;
  sourceLine: number;
  indicator: Record<string, unknown> | null;
  superseded: { batch_id: string; superseded_by_batch_id: string; superseded_at: string; change: 'replaced' | 'removed'; row: unknown }[];
}

export const drillApi = {
  summary: (q: Query) => api.get<Summary>('/drill/summary', q),
  breakdown: (level: Exclude<DrillView, 'vouchers'>, q: Query) => api.get<Breakdown>(`/drill/${level}`, q),
  vouchers: (q: Query) => api.get<VoucherRow[], VoucherPageMeta>('/drill/vouchers', q),
  voucher: (region: string, voucherNo: string) => api.get<VoucherLineage>(`/drill/vouchers/${encodeURIComponent(voucherNo)}`, { region }),
};
