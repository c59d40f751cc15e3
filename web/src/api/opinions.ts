import { api, type Query } from './client';

/** 审议意见 on an alert or a department, with the staff answer. */
export interface Opinion {
  id: string;
  target: 'alert' | 'department';
  alertId: string | null;
  alert: { ruleId: string; subjectName: string | null; ruleName?: string } | null;
  regionCode: string;
  regionName: string | null;
  deptCode: string | null;
  deptName: string | null;
  body: string;
  author: { id: string; displayName: string; role: string };
  createdAt: string | null;
  answer: string | null;
  answeredBy: { id: string; displayName: string } | null;
  answeredAt: string | null;
}

export interface DepartmentOpinions {
  department: { regionCode: string; code: string; name: string };
  opinions: Opinion[];
}

const deptPath = (dept: string) => `/departments/${encodeURIComponent(dept)}/opinions`;

export const opinionsApi = {
  list: (q: Query) => api.get<Opinion[], { total?: number; page?: number; pageSize?: number }>('/opinions', q),
  department: (region: string, dept: string) => api.get<DepartmentOpinions>(deptPath(dept), { region }),
  addToDepartment: (region: string, dept: string, body: string) => api.post<Opinion>(`${deptPath(dept)}?region=${encodeURIComponent(region)}`, { body }),
  answer: (id: string, answer: string) => api.post<Opinion>(`/opinions/${id}/answer`, { answer }),
};
