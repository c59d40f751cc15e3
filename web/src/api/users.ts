import type { PageMeta } from '@contract/common';
import type { Ok } from '@contract/auth';
import type { AccessEntry, ManagedUser, PasswordReset } from '@contract/users';
import { api, type Query } from './client';
import type { Role } from './types';

export type { AccessEntry, ManagedUser };

/** What an admin sends to create a user (the request body; the answer is a ManagedUser). */
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
  resetPassword: (id: string) => api.post<PasswordReset>(`/users/${id}/reset-password`, {}),
  accessLog: (q: Query) => api.get<AccessEntry[], PageMeta>('/access-log', q),
  changeOwnPassword: (oldPassword: string, newPassword: string) => api.post<Ok>('/auth/password', { oldPassword, newPassword }),
};
