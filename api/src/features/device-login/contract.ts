import { z } from 'zod';
import { envelope, isoInstant, regionCode, signedIn } from '../../contract/common.js';
import { Ok } from '../auth/contract.js';

/** Scan-to-log-in (扫码登录): what the API answers. */

/** Who is signed in after an enrolment or a confirmed screen login (the shape of GET /auth/me). */
export const SignedIn = signedIn;
export type SignedIn = z.infer<typeof SignedIn>;

/** A personal login code just issued: the URL the QR encodes is shown once, never stored. */
export const LoginCode = z.strictObject({
  id: z.string(),
  user: z.strictObject({ id: z.string(), username: z.string(), displayName: z.string(), role: z.string(), regionName: z.string() }),
  url: z.string(),
  qrPng: z.string().startsWith('data:image/png;base64,'),
  expiresAt: isoInstant,
});
export type LoginCode = z.infer<typeof LoginCode>;

/** The big screen's current QR; it asks for a new one before `expiresAt`. */
export const ScreenChallenge = z.strictObject({
  qrPng: z.string().startsWith('data:image/png;base64,'),
  deviceName: z.string(),
  expiresAt: isoInstant,
  rotateSeconds: z.number().int(),
});
export type ScreenChallenge = z.infer<typeof ScreenChallenge>;

export const ScreenPoll = z.strictObject({
  status: z.enum(['pending', 'confirmed', 'denied', 'expired']),
  signedIn: SignedIn.nullable(),
});
export type ScreenPoll = z.infer<typeof ScreenPoll>;

/** What the phone shows before the user confirms: the device asking, from where, when. */
export const ScreenRequest = z.strictObject({
  deviceName: z.string(),
  ip: z.string().nullable(),
  createdAt: isoInstant,
  expiresAt: isoInstant,
});
export type ScreenRequest = z.infer<typeof ScreenRequest>;

export const ScreenDecision = z.strictObject({ approved: z.boolean(), deviceName: z.string() });
export type ScreenDecision = z.infer<typeof ScreenDecision>;

/** A signed-in device (a phone enrolled by code, a screen confirmed from a phone, a password login). */
export const Device = z.strictObject({
  id: z.string(),
  kind: z.enum(['password', 'device', 'screen']),
  deviceName: z.string().nullable(),
  ip: z.string().nullable(),
  createdAt: isoInstant,
  expiresAt: isoInstant,
  current: z.boolean(),
});
export type Device = z.infer<typeof Device>;

/**
 * A user whose phone the caller may enrol (the users page of staff: the deputies of their
 * regions; of an admin: everyone there), with how many devices are signed in.
 */
export const EnrollableUser = z.strictObject({
  id: z.string(),
  username: z.string(),
  displayName: z.string(),
  role: z.enum(['staff', 'deputy', 'admin', 'liaison']),
  regionCode,
  regionName: z.string(),
  active: z.boolean(),
  lastLoginAt: isoInstant.nullable(),
  devices: z.number().int(),
});
export type EnrollableUser = z.infer<typeof EnrollableUser>;

const ok = envelope(Ok);

export const deviceLoginResponses = {
  'POST /login-codes': envelope(LoginCode),
  'GET /login-codes/users': envelope(z.array(EnrollableUser)),
  'POST /auth/enrol': envelope(SignedIn),
  'POST /auth/screen-challenges': envelope(ScreenChallenge),
  'POST /auth/screen-challenges/poll': envelope(ScreenPoll),
  'POST /auth/screen-challenges/inspect': envelope(ScreenRequest),
  'POST /auth/screen-challenges/confirm': envelope(ScreenDecision),
  'GET /auth/devices': envelope(z.array(Device)),
  'DELETE /auth/devices/:id': ok,
  'GET /users/:id/devices': envelope(z.array(Device)),
  'DELETE /users/:id/devices/:sessionId': ok,
};
