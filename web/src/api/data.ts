import type { Batch, BatchFile, EtlRun, FeedStatus, Freshness, FreshnessMeta, QuarantineMeta, QuarantineRow, Rerun } from '@contract/data';
import { api, type Query } from './client';

export type { Batch, BatchFile, EtlRun, FeedStatus, Freshness, QuarantineRow };

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

export const dataApi = {
  runs: (q: Query) => api.get<EtlRun[]>('/data/runs', q),
  batches: (q: Query) => api.get<Batch[]>('/data/batches', q),
  feeds: (q: Query) => api.get<FeedStatus[]>('/data/feeds', q),
  freshness: (q: Query) => api.get<Freshness[], FreshnessMeta>('/data/freshness', q),
  quarantine: (q: Query) => api.get<QuarantineRow[], QuarantineMeta>('/data/quarantine', q),
  rerun: (regionCode: string, businessDate: string) => api.post<Rerun>('/data/rerun', { regionCode, businessDate }),
};
