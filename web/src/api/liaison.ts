import type { Attachment, Letterhead, Reply } from '@contract/liaison';
import type { LiaisonAlert, LiaisonItems } from '@contract/alerts';
import { api } from './client';

// The liaison's alert views are the alerts feature's answer (api/src/features/alerts/contract.ts).
export type { Attachment, LiaisonAlert, LiaisonItems, Letterhead, Reply };

/** What a liaison may attach (the server checks again, by extension and content). */
export const ATTACH_ACCEPT = '.pdf,.png,.jpg,.jpeg,.doc,.docx,.xls,.xlsx,.ppt,.pptx';
export const MAX_ATTACH_MB = 10;

const replyForm = (body: string, files: File[]) => {
  const form = new FormData();
  form.append('body', body);
  for (const f of files) form.append('files', f, f.name);
  return form;
};

export const liaisonApi = {
  items: () => api.get<LiaisonItems>('/liaison/items'),
  alert: (id: string) => api.get<LiaisonAlert>(`/liaison/alerts/${id}`),
  replyToAlert: (id: string, body: string, files: File[]) => api.postForm<Reply>(`/liaison/alerts/${id}/replies`, replyForm(body, files)),
  replyToOpinion: (id: string, body: string, files: File[]) => api.postForm<Reply>(`/liaison/opinions/${id}/replies`, replyForm(body, files)),
};

export const repliesApi = {
  list: (status?: Reply['status']) => api.get<Reply[]>('/replies', { status }),
  accept: (id: string, note?: string) => api.post<Reply>(`/replies/${id}/accept`, note ? { note } : {}),
  sendBack: (id: string, note: string, replyDeadline?: string) => api.post<Reply>(`/replies/${id}/return`, { note, ...(replyDeadline ? { replyDeadline } : {}) }),
  letterhead: () => api.get<Letterhead>('/settings/letterhead'),
  saveLetterhead: (l: Letterhead) => api.put<Letterhead>('/settings/letterhead', l),
};

export const attachmentUrl = (id: string) => `/api/v1/attachments/${id}`;
export const letterUrl = (alertId: string) => `/api/v1/alerts/${alertId}/letter`;
