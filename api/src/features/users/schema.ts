import { z } from 'zod';
import { newPassword } from '../auth/schema.js';

const role = z.enum(['staff', 'deputy', 'admin', 'liaison']);
/** A liaison's agencies (部门联络员 answers for these agencies of its region). */
const agencyCodes = z.array(z.string().trim().min(1).max(40).regex(/^[0-9A-Za-z_-]+$/, '单位代码只能包含字母、数字、下划线或连字符')).max(50);
const regionCode = z.string().regex(/^\d{6}$/, '地区代码应为 6 位数字');

export const createUserBody = z.object({
  username: z.string().trim().min(2, '用户名至少 2 个字符').max(50).regex(/^[A-Za-z0-9_.-]+$/, '用户名只能包含字母、数字、下划线、点或连字符'),
  displayName: z.string().trim().min(1, '请输入姓名').max(100),
  password: newPassword,
  role,
  regionCode,
  agencyCodes: agencyCodes.optional(),
});

export const updateUserBody = z
  .object({
    displayName: z.string().trim().min(1).max(100).optional(),
    role: role.optional(),
    regionCode: regionCode.optional(),
    active: z.boolean().optional(),
    agencyCodes: agencyCodes.optional(),
  })
  .refine((b) => Object.keys(b).length > 0, '至少修改一项');

export const resetPasswordBody = z.object({ newPassword: newPassword.optional() });

export const userIdParam = z.object({ id: z.string().regex(/^\d{1,18}$/, '用户编号应为数字') });

export const listUsersQuery = z.object({
  region: regionCode.optional(),
  role: role.optional(),
  active: z.enum(['true', 'false']).transform((v) => v === 'true').optional(),
});

export const accessLogQuery = z.object({
  username: z.string().trim().min(1).max(100).optional(),
  failedOnly: z.enum(['true', 'false']).transform((v) => v === 'true').optional(),
  page: z.coerce.number().int().min(1).default(1),
  pageSize: z.coerce.number().int().min(1).max(200).default(50),
});
