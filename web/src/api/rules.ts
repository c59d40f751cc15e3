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

export type TimeProgressConvention = 'days' | 'months';
export interface TimeProgressSetting {
  convention: TimeProgressConvention;
  /** Where it was set: this region, one above, or null = the default. */
  regionCode: string | null;
  example?: { elapsed: number; total: number; percent: string };
}
export interface TimeProgressChange {
  from: TimeProgressConvention | null;
  to: TimeProgressConvention;
  changedAt: string;
  changedBy: { username: string; displayName: string | null } | null;
}
/** One region's evaluation: alerts raised, updated, cleared (condition gone) and unchanged. */
export interface EvaluationResult {
  evaluationId: string;
  regionCode: string;
  asOf: string;
  raised: number;
  updated: number;
  cleared: number;
  unchanged: number;
  seconds: number;
}

export const rulesApi = {
  timeProgress: (region: string, asOf?: string) => api.get<TimeProgressSetting>(`/rules/time-progress?region=${region}${asOf ? `&asOf=${asOf}` : ''}`),
  timeProgressHistory: (region: string) => api.get<TimeProgressChange[]>(`/rules/time-progress/history?region=${region}`),
  setTimeProgress: (region: string, convention: TimeProgressConvention) => api.put<TimeProgressSetting>(`/rules/time-progress?region=${region}`, { convention }),
  /** One region, as of its latest delivery (the page walks the regions one by one to show progress). */
  evaluate: (region: string) => api.post<EvaluationResult[]>('/rules/evaluate', { region }),
  list: (region: string) => api.get<RuleSetting[]>(`/rules?region=${region}`),
  history: (id: string, region: string) => api.get<RuleHistory[]>(`/rules/${id}/history?region=${region}`),
  update: (id: string, region: string, body: { params?: Record<string, unknown>; enabled?: boolean; reason: string }) =>
    api.put<RuleSetting>(`/rules/${id}?region=${region}`, body),
};
