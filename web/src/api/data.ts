import { api, type Query } from './client';

/** An inbox entry or bundle file a run did not load, with the reason (path relative to the inbox). */
export interface SkippedEntry {
  path: string;
  reason: string;
}

/** The skipped entries a run's summary lists (none for runs recorded before they were). */
export function skippedOf(run: { summary?: unknown }): SkippedEntry[] {
  const s = run.summary as { skipped?: SkippedEntry[] } | null;
  return Array.isArray(s?.skipped) ? s.skipped : [];
}

export interface EtlRun {
  id: string;
  trigger: string;
  region_code: string | null;
  business_date: string | null;
  status: 'running' | 'succeeded' | 'failed';
  summary: unknown;
  error: string | null;
  started_by: string | null;
  started_at: string;
  finished_at: string | null;
}
export interface BatchFile {
  feed: string;
  file_name: string;
  rows_read: number;
  rows_loaded: number;
  rows_quarantined: number;
  amount_sum: string | null;
}
export interface Batch {
  id: string;
  etl_run_id: string | null;
  region_code: string;
  region_name: string;
  business_date: string;
  source: string;
  location: string | null;
  status: 'loading' | 'committed' | 'rejected';
  reject_reason: string | null;
  received_at: string;
  committed_at: string | null;
  files: BatchFile[];
}
export interface FeedStatus {
  regionCode: string;
  regionName: string;
  feed: string;
  title?: string;
  latestBusinessDate: string | null;
  lastBatchId: string | null;
  lastLoadedAt: string | null;
  lastRowsRead: number;
  lastRowsLoaded: number;
  lastRowsQuarantined: number;
  quarantinedTotal: number;
  tableRows: number;
  tableAmountSum: string | null;
}
export interface Freshness {
  regionCode: string;
  regionName: string;
  feed: string;
  latestBusinessDate: string | null;
  lastLoadedAt: string | null;
  daysBehind: number | null;
}
export interface QuarantineRow {
  id: string;
  batch_id: string;
  region_code: string;
  business_date: string;
  feed: string;
  file_name: string;
  line_no: number;
  column_name: string | null;
  reason: string;
  raw: Record<string, unknown>;
  created_at: string;
}

export const dataApi = {
  runs: (q: Query) => api.get<EtlRun[]>('/data/runs', q),
  batches: (q: Query) => api.get<Batch[]>('/data/batches', q),
  feeds: (q: Query) => api.get<FeedStatus[]>('/data/feeds', q),
  freshness: (q: Query) => api.get<Freshness[], { expectedBusinessDate: string }>('/data/freshness', q),
  quarantine: (q: Query) => api.get<QuarantineRow[], { total: number }>('/data/quarantine', q),
  rerun: (regionCode: string, businessDate: string) => api.post<{ runId: string }>('/data/rerun', { regionCode, businessDate }),
};
