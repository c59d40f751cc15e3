import type { OpinionDoc, ReviewCheck, ReviewCheckChange, ReviewDocument, ReviewFinding, ReviewGroup, ReviewLine, ReviewList, ReviewRunResult, ReviewWorkspace } from '@contract/review';
import type { Opinion } from '@contract/opinions';
import { api, buildUrl, type Query } from './client';

export type { OpinionDoc, ReviewCheck, ReviewCheckChange, ReviewDocument, ReviewFinding, ReviewGroup, ReviewLine, ReviewList, ReviewWorkspace };

const doc = (fy: number, stage: string) => `/review/documents/${fy}/${encodeURIComponent(stage)}`;

// A finding and an archived 初审意见 are named by their public id, region and id (`411100-42`),
// as the answers give it: the server reads them on that region alone and refuses a bare id.
export const reviewApi = {
  documents: (region: string) => api.get<ReviewDocument[]>('/review/documents', { region }),
  workspace: (region: string, fy: number, stage: string) => api.get<ReviewWorkspace>(doc(fy, stage), { region }),
  run: (region: string, fy: number, stage: string) => api.post<ReviewRunResult>(`${doc(fy, stage)}/run?region=${region}`),
  decide: (id: string, decision: 'accepted' | 'rejected', note: string) => api.post<ReviewFinding>(`/review/findings/${id}/decision`, { decision, note }),
  opinions: (region: string, fy: number, stage: string) => api.get<Opinion[]>(`${doc(fy, stage)}/opinions`, { region }),
  opinionOnLine: (region: string, fy: number, stage: string, lineNo: string, body: string) =>
    api.post<Opinion>(`${doc(fy, stage)}/lines/${encodeURIComponent(lineNo)}/opinions?region=${region}`, { body }),
  opinionOnFinding: (id: string, body: string) => api.post<Opinion>(`/review/findings/${id}/opinions`, { body }),
  generate: (region: string, fy: number, stage: string) => api.post<OpinionDoc>(`${doc(fy, stage)}/opinion-docs?region=${region}`),
  opinionDocs: (q: Query) => api.get<OpinionDoc[]>('/review/opinion-docs', q),
  opinionDocUrl: (id: string) => buildUrl(`/review/opinion-docs/${id}/file`),
  exportPath: (fy: number, stage: string) => `${doc(fy, stage)}/export`,
  list: (region: string, fy: number, stage: string, list: string) => api.get<ReviewList>(`${doc(fy, stage)}/lists/${list}`, { region }),
  listPath: (fy: number, stage: string, list: string) => `${doc(fy, stage)}/lists/${list}`,
  checks: (region: string) => api.get<ReviewCheck[]>('/review/checks', { region }),
  checkHistory: (region: string, id: string) => api.get<ReviewCheckChange[]>(`/review/checks/${id}/history`, { region }),
  updateCheck: (region: string, id: string, body: { params?: Record<string, unknown>; enabled?: boolean; reason: string }) =>
    api.put<ReviewCheck>(`/review/checks/${id}?region=${region}`, body),
};
