import type { DepartmentOpinions, Opinion } from '@contract/opinions';
import type { PageMeta } from '@contract/common';
import { api, type Query } from './client';

export type { DepartmentOpinions, Opinion };

const deptPath = (dept: string) => `/departments/${encodeURIComponent(dept)}/opinions`;

// An opinion is named by its public id, region and id (`411100-42`), as the answers give it.
export const opinionsApi = {
  list: (q: Query) => api.get<Opinion[], PageMeta>('/opinions', q),
  department: (region: string, dept: string) => api.get<DepartmentOpinions>(deptPath(dept), { region }),
  addToDepartment: (region: string, dept: string, body: string) => api.post<Opinion>(`${deptPath(dept)}?region=${encodeURIComponent(region)}`, { body }),
  answer: (id: string, answer: string) => api.post<Opinion>(`/opinions/${id}/answer`, { answer }),
};
