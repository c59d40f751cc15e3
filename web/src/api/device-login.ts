import type { Device, EnrollableUser, LoginCode, ScreenChallenge, ScreenDecision, ScreenPoll, ScreenRequest, SignedIn } from '@contract/device-login';
import { api } from './client';

export type { Device, EnrollableUser, LoginCode, ScreenChallenge, ScreenDecision, ScreenPoll, ScreenRequest, SignedIn };

/** Scan-to-log-in (扫码登录): enrolment codes, the big screen's QR, devices. */
export const deviceLoginApi = {
  issue: (userId: string) => api.post<LoginCode>('/login-codes', { userId }),
  enrollable: () => api.get<EnrollableUser[]>('/login-codes/users'),
  enrol: (code: string, deviceName?: string) => api.post<SignedIn>('/auth/enrol', { code, ...(deviceName ? { deviceName } : {}) }),
  screenChallenge: (deviceName?: string) => api.post<ScreenChallenge>('/auth/screen-challenges', deviceName ? { deviceName } : {}),
  screenPoll: () => api.post<ScreenPoll>('/auth/screen-challenges/poll'),
  inspect: (code: string) => api.post<ScreenRequest>('/auth/screen-challenges/inspect', { code }),
  decide: (code: string, approve: boolean) => api.post<ScreenDecision>('/auth/screen-challenges/confirm', { code, approve }),
  myDevices: () => api.get<Device[]>('/auth/devices'),
  revokeMine: (id: string) => api.delete<{ ok: true }>(`/auth/devices/${id}`),
  userDevices: (userId: string) => api.get<Device[]>(`/users/${userId}/devices`),
  revokeUsers: (userId: string, id: string) => api.delete<{ ok: true }>(`/users/${userId}/devices/${id}`),
};
