import type { PhoneHome, PhoneReport } from '@contract/phone';
import type { AskAnswer } from '@contract/ask';
import { api } from './client';

export type { AskAnswer, PhoneHome, PhoneReport };

/** The deputies' phone (代表端): the home brief, a report to read, and 问数. */
export const phoneApi = {
  home: (region: string, since?: string | null) => api.get<PhoneHome>('/phone/home', { region, since: since ?? undefined }),
  report: (id: string) => api.get<PhoneReport>(`/phone/reports/${id}`),
  ask: (q: string, region: string) => api.get<AskAnswer>('/ask', { q, region }),
};
