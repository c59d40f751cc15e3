import { api, type Query } from './client';
import type { Opinion } from './opinions';
import type { Reply } from './liaison';

export type { Opinion };

export interface DrillLink {
  route: string;
  query: Record<string, string>;
}

export interface Alert {
  id: string;
  ruleId: string;
  ruleName: string;
  regionCode: string;
  regionName: string | null;
  subjectType: string;
  subjectKey: string;
  subjectName: string | null;
  period: string;
  severity: 'yellow' | 'orange' | 'red';
  status: 'new' | 'confirmed' | 'assigned' | 'replied' | 'closed' | 'dismissed' | 'cleared';
  statusZh?: string;
  open: boolean;
  measured: Record<string, string>;
  threshold: Record<string, string>;
  explanation: string;
  drillLink: DrillLink;
  ruleVersion: number;
  assignedAgencyCode: string | null;
  assignedAgencyName: string | null;
  replyDeadline: string | null;
  openedAt: string | null;
  updatedAt: string | null;
  closedAt: string | null;
}

export interface AlertEvent {
  id: string;
  kind: string;
  fromStatus: string | null;
  toStatus: string | null;
  actor: { id: string; username: string; displayName: string } | null;
  note: string | null;
  data: unknown;
  createdAt: string | null;
}

export type TransitionTarget = 'confirmed' | 'assigned' | 'replied' | 'closed' | 'dismissed';

export interface AlertDetail extends Alert {
  rule: { id: string; nameZh: string; subject: string } | null;
  allowedTransitions: TransitionTarget[];
  events: AlertEvent[];
  opinions: Opinion[];
  replies: Reply[];
}

export interface AlertStats {
  open: number;
  bySeverity: Record<string, number>;
  byRule: Record<string, Record<string, number>>;
}

export type TransitionBody =
  | { to: 'confirmed'; note?: string }
  | { to: 'assigned'; assignedAgencyCode: string; note: string; replyDeadline: string }
  | { to: 'replied'; note: string }
  | { to: 'closed'; note?: string }
  | { to: 'dismissed'; note: string };

export const alertsApi = {
  list: (q: Query) => api.get<Alert[], { total?: number; page?: number; pageSize?: number }>('/alerts', q),
  stats: (q: Query) => api.get<AlertStats>('/alerts/stats', q),
  get: (id: string) => api.get<AlertDetail>(`/alerts/${id}`),
  transition: (id: string, body: TransitionBody) => api.post<AlertDetail>(`/alerts/${id}/transitions`, body),
  bulk: (body: { ids: string[] } & ({ to: 'confirmed'; note?: string } | { to: 'assigned'; assignedAgencyCode: string; note: string; replyDeadline: string } | { to: 'dismissed'; note: string })) =>
    api.post<{ updated: number; to: string }>('/alerts/bulk-transitions', body),
  addOpinion: (id: string, body: string) => api.post<Opinion>(`/alerts/${id}/opinions`, { body }),
  answerOpinion: (id: string, opinionId: string, answer: string) => api.post<Opinion>(`/alerts/${id}/opinions/${opinionId}/answer`, { answer }),
};
