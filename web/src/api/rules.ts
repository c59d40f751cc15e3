import { api } from './client';

export interface RuleHistory {
  version: number;
  /** The region the change was made for; null = the defaults every region starts from. */
  regionCode: string | null;
  regionName: string | null;
  paramsOld: Record<string, unknown> | null;
  paramsNew: Record<string, unknown>;
  enabledOld: boolean | null;
  enabledNew: boolean;
  changedBy: string | { id: string; displayName?: string; username?: string } | null;
  reason: string;
  changedAt: string;
}
export interface RuleSetting {
  id: string;
  nameZh: string;
  subject: string;
  enabled: boolean;
  version: number;
  /** Where the settings in force were set: this region, one above it, or null = the defaults. */
  regionCode: string | null;
  params: Record<string, unknown>;
  defaults: Record<string, unknown>;
  updatedBy: string | { id: string; displayName?: string } | null;
  updatedAt: string;
  history?: RuleHistory[];
}

export const rulesApi = {
  list: (region: string) => api.get<RuleSetting[]>(`/rules?region=${region}`),
  history: (id: string, region: string) => api.get<RuleHistory[]>(`/rules/${id}/history?region=${region}`),
  update: (id: string, region: string, body: { params?: Record<string, unknown>; enabled?: boolean; reason: string }) =>
    api.put<RuleSetting>(`/rules/${id}?region=${region}`, body),
};
