import { api, type Query } from './client';
import type { Role } from './types';

export interface ManagedUser {
  id: string;
  username: string;
  displayName: string;
  role: Role;
  regionCode: string;
  regionName: string;
  active: boolean;
  createdAt: string;
  passwordChangedAt: string | null;
  mustChangePassword: boolean;
  lastLoginAt: string | null;
  agencies: { code: string; name: string | null }[];
}

export interface AccessEntry {
  id: string;
  at: string;
  username: string;
  displayName: string | null;
  regionCode: string | null;
  regionName: string | null;
  ip: string | null;
  userAgent: string | null;
  outcome: 'success' | 'bad_password' | 'unknown_user' | 'inactive';
}

export interface NewUser {
  username: string;
  displayName: string;
  password: string;
  role: Role;
  regionCode: string;
  agencyCodes?: string[];
}

export type UserPatch = Partial<Pick<ManagedUser, 'displayName' | 'role' | 'regionCode' | 'active'>> & { agencyCodes?: string[] };

export const usersApi = {
  list: () => api.get<ManagedUser[]>('/users'),
  create: (u: NewUser) => api.post<ManagedUser>('/users', u),
  update: (id: string, patch: UserPatch) => api.patch<ManagedUser>(`/users/${id}`, patch),
  resetPassword: (id: string) => api.post<{ id: string; temporaryPassword?: string }>(`/users/${id}/reset-password`, {}),
  accessLog: (q: Query) => api.get<AccessEntry[], { total: number; page: number; pageSize: number }>('/access-log', q),
  changeOwnPassword: (oldPassword: string, newPassword: string) => api.post<{ ok: boolean }>('/auth/password', { oldPassword, newPassword }),
};
