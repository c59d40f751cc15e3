import { z } from 'zod';
import { envelope, isoInstant, pageMeta, regionCode, role } from '../../contract/common.js';

/** User management and the login log (admins): what the API answers. */

export const ManagedUser = z.strictObject({
  id: z.string(),
  username: z.string(),
  displayName: z.string(),
  role,
  regionCode,
  regionName: z.string(),
  active: z.boolean(),
  createdAt: isoInstant,
  passwordChangedAt: isoInstant.nullable(),
  mustChangePassword: z.boolean(),
  lastLoginAt: isoInstant.nullable(),
  /** A liaison's agencies (empty for the other roles). */
  agencies: z.array(z.strictObject({ code: z.string(), name: z.string().nullable() })),
});
export type ManagedUser = z.infer<typeof ManagedUser>;

/** A reset password: the temporary one is shown once, when the admin gave none. */
export const PasswordReset = z.strictObject({ id: z.string(), temporaryPassword: z.string().optional() });
export type PasswordReset = z.infer<typeof PasswordReset>;

export const AccessOutcome = z.enum(['success', 'bad_password', 'unknown_user', 'inactive']);
export type AccessOutcome = z.infer<typeof AccessOutcome>;

/** One login attempt: who, when, from where, and how it ended. */
export const AccessEntry = z.strictObject({
  id: z.string(),
  at: isoInstant,
  username: z.string(),
  displayName: z.string().nullable(),
  regionCode: regionCode.nullable(),
  regionName: z.string().nullable(),
  ip: z.string().nullable(),
  userAgent: z.string().nullable(),
  outcome: AccessOutcome,
});
export type AccessEntry = z.infer<typeof AccessEntry>;

export const userResponses = {
  'GET /users': envelope(z.array(ManagedUser)),
  'GET /users/:id': envelope(ManagedUser),
  'POST /users': envelope(ManagedUser),
  'PATCH /users/:id': envelope(ManagedUser),
  'POST /users/:id/reset-password': envelope(PasswordReset),
  'GET /access-log': z.strictObject({ data: z.array(AccessEntry), meta: pageMeta }),
};
