import type { ArchivedReport, ReportMeta } from '@contract/reports';
import { api, buildUrl, type Query } from './client';

export type { ArchivedReport, ReportMeta };

export const reportsApi = {
  list: (q: Query) => api.get<ReportMeta[]>('/reports', q),
  generate: (region: string, quarter: string, scope: 'self' | 'all') => api.post<ArchivedReport>('/reports/generate', { region, quarter, scope }),
  downloadUrl: (id: string) => buildUrl(`/reports/${id}/download`),
};
