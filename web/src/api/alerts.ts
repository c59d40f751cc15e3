import type { Alert, AlertDetail, AlertEvent, AlertStats, BulkTransitionResult, DrillLink, TransitionTarget } from '@contract/alerts';
import type { PageMeta } from '@contract/common';
import { api, type Query } from './client';
import type { Opinion } from './opinions';

// The answers' types are the server's contract (api/src/features/alerts/contract.ts).
export type { Alert, AlertDetail, AlertEvent, AlertStats, DrillLink, Opinion, TransitionTarget };

export type TransitionBody =
  | { to: 'confirmed'; note?: string }
  | { to: 'assigned'; assignedAgencyCode: string; note: string; replyDeadline: string }
  | { to: 'replied'; note: string }
  | { to: 'closed'; note?: string }
  | { to: 'dismissed'; note: string };

export const alertsApi = {
  list: (q: Query) => api.get<Alert[], PageMeta>('/alerts', q),
  stats: (q: Query) => api.get<AlertStats>('/alerts/stats', q),
  get: (id: string) => api.get<AlertDetail>(`/alerts/${id}`),
  transition: (id: string, body: TransitionBody) => api.post<AlertDetail>(`/alerts/${id}/transitions`, body),
  bulk: (body: { ids: string[] } & ({ to: 'confirmed'; note?: string } | { to: 'assigned'; assignedAgencyCode: string; note: string; replyDeadline: string } | { to: 'dismissed'; note: string })) =>
    api.post<BulkTransitionResult>('/alerts/bulk-transitions', body),
  addOpinion: (id: string, body: string) => api.post<Opinion>(`/alerts/${id}/opinions`, { body }),
  /** Both ids public (`411100-42`); the opinion is of the alert's region. */
  answerOpinion: (id: string, opinionId: string, answer: string) => api.post<Opinion>(`/alerts/${id}/opinions/${opinionId}/answer`, { answer }),
};
