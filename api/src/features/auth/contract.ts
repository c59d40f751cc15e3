import { z } from 'zod';
import { envelope, role, signedIn } from '../../contract/common.js';

/** Signing in with a password, out, and changing one's own password: what the API answers. */

export const Role = role;
export type Role = z.infer<typeof Role>;

/** Who is signed in and the regions they see (login and GET /auth/me). */
export const Me = signedIn;
export type Me = z.infer<typeof Me>;
export type AuthUser = Me['user'];
export type Region = Me['regions'][number];

export const Ok = z.strictObject({ ok: z.literal(true) });
export type Ok = z.infer<typeof Ok>;

export const authResponses = {
  'POST /auth/login': envelope(Me),
  'POST /auth/logout': envelope(Ok),
  'GET /auth/me': envelope(Me),
  'POST /auth/password': envelope(Ok),
};
