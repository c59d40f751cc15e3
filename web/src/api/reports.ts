import { api, buildUrl, type Query } from './client';

export interface ReportMeta {
  id: string;
  region_code: string;
  region_name: string | null;
  quarter: string;
  as_of: string;
  batch_ids: string[];
  file_name: string;
  content_hash: string;
  size_bytes: number;
  /** self = 本级, all = 全辖. */
  scope: 'self' | 'all';
  generated_by: string | null;
  generated_by_name: string | null;
  generated_at: string;
}

export const reportsApi = {
  list: (q: Query) => api.get<ReportMeta[]>('/reports', q),
  generate: (region: string, quarter: string, scope: 'self' | 'all') => api.post<ReportMeta>('/reports/generate', { region, quarter, scope }),
  downloadUrl: (id: string) => buildUrl(`/reports/${id}/download`),
};
