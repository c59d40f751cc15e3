import { z } from 'zod';

const deviceName = z.string().trim().max(40, '设备名称最多 40 字').optional();
/** A token as the QR carries it: 43 base64url characters (256 random bits). */
const code = z.string().trim().regex(/^[A-Za-z0-9_-]{43}$/, '登录码格式不正确');

export const issueCodeBody = z.object({
  userId: z.union([z.string(), z.number()]).transform(String).pipe(z.string().regex(/^\d{1,18}$/, '用户编号应为数字')),
  /** Hours the code stays valid; the deployment's default (72) when absent. */
  ttlHours: z.coerce.number().int().min(1, '有效期至少 1 小时').max(720, '有效期最多 720 小时').optional(),
});
export const enrolBody = z.object({ code, deviceName });
export const screenChallengeBody = z.object({ deviceName });
export const inspectBody = z.object({ code });
export const confirmBody = z.object({ code, approve: z.boolean() });
export const sessionIdParam = z.object({ id: z.string().regex(/^\d{1,18}$/, '编号应为数字') });
export const userDeviceParams = z.object({
  id: z.string().regex(/^\d{1,18}$/, '编号应为数字'),
  sessionId: z.string().regex(/^\d{1,18}$/, '编号应为数字').optional(),
});
