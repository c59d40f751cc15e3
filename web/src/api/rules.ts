import { api } from './client';

export interface RuleHistory {
  version: number;
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
  params: Record<string, unknown>;
  defaults: Record<string, unknown>;
  updatedBy: string | { id: string; displayName?: string } | null;
  updatedAt: string;
  history?: RuleHistory[];
}

export const rulesApi = {
  list: () => api.get<RuleSetting[]>('/rules'),
  history: (id: string) => api.get<RuleHistory[]>(`/rules/${id}/history`),
  update: (id: string, body: { params?: Record<string, unknown>; enabled?: boolean; reason: string }) => api.put<RuleSetting>(`/rules/${id}`, body),
};
