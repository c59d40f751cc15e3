import type {
  EvaluationResult, RuleDetail, RuleHistory, RuleSetting, TimeProgressChange, TimeProgressConvention, TimeProgressSetting,
} from '@contract/rules';
import { api } from './client';

// The answers' types are the server's contract (api/src/features/rules/contract.ts).
export type { EvaluationResult, RuleDetail, RuleHistory, RuleSetting, TimeProgressChange, TimeProgressConvention, TimeProgressSetting };

export const rulesApi = {
  timeProgress: (region: string, asOf?: string) => api.get<TimeProgressSetting>(`/rules/time-progress?region=${region}${asOf ? `&asOf=${asOf}` : ''}`),
  timeProgressHistory: (region: string) => api.get<TimeProgressChange[]>(`/rules/time-progress/history?region=${region}`),
  setTimeProgress: (region: string, convention: TimeProgressConvention) => api.put<TimeProgressSetting>(`/rules/time-progress?region=${region}`, { convention }),
  /** One region, as of its latest delivery (the page walks the regions one by one to show progress). */
  evaluate: (region: string) => api.post<EvaluationResult[]>('/rules/evaluate', { region }),
  list: (region: string) => api.get<RuleSetting[]>(`/rules?region=${region}`),
  history: (id: string, region: string) => api.get<RuleHistory[]>(`/rules/${id}/history?region=${region}`),
  update: (id: string, region: string, body: { params?: Record<string, unknown>; enabled?: boolean; reason: string }) =>
    api.put<RuleDetail>(`/rules/${id}?region=${region}`, body),
};
