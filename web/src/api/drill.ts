import type {
  Breakdown, BreakdownRow, Figures, ReconciliationRow, Scope, ScopeMeta, Summary, TimeProgress, VoucherLineage, VoucherPageMeta, VoucherRow,
} from '@contract/drilldown';
import { api, type Query } from './client';
import type { DrillView } from '@/router/drill-path';

// The answers' types are the server's contract (api/src/features/drilldown/contract.ts).
export type { Breakdown, BreakdownRow, Figures, ReconciliationRow, Scope, ScopeMeta, Summary, TimeProgress, VoucherLineage, VoucherPageMeta, VoucherRow };

export const drillApi = {
  summary: (q: Query) => api.get<Summary>('/drill/summary', q),
  breakdown: (level: Exclude<DrillView, 'vouchers'>, q: Query) => api.get<Breakdown>(`/drill/${level}`, q),
  vouchers: (q: Query) => api.get<VoucherRow[], VoucherPageMeta>('/drill/vouchers', q),
  voucher: (region: string, voucherNo: string) => api.get<VoucherLineage>(`/drill/vouchers/${encodeURIComponent(voucherNo)}`, { region }),
};
