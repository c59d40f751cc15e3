import type { KeySupervisionOverview, PerformanceProject, ProjectDetail, Transfer, TransferSummary } from '@contract/key-supervision';
import type { PageMeta } from '@contract/common';
import { api, type Query } from './client';

export type { KeySupervisionOverview, PerformanceProject, ProjectDetail, Transfer, TransferSummary };
type ListMeta = PageMeta & { asOf: string; fiscalYear: number; region: string };

export const keySupervisionApi = {
  projects: (q: Query) => api.get<PerformanceProject[], ListMeta>('/performance/projects', q),
  project: (indicator: string, q: Query) => api.get<ProjectDetail>(`/performance/projects/${encodeURIComponent(indicator)}`, q),
  transfers: (q: Query) => api.get<Transfer[], ListMeta>('/transfers', q),
  transferSummary: (q: Query) => api.get<TransferSummary>('/transfers/summary', q),
  overview: (q: Query) => api.get<KeySupervisionOverview>('/key-supervision/overview', q),
};
