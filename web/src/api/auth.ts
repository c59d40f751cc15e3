import type { Me, Ok } from '@contract/auth';
import { api } from './client';

export const authApi = {
  login: (username: string, password: string) => api.post<Me>('/auth/login', { username, password }),
  logout: () => api.post<Ok>('/auth/logout'),
  me: () => api.get<Me>('/auth/me'),
};
