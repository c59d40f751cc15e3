import { z } from 'zod';

/** Query fields shared by the module pages. */
export const isoDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, '日期格式应为 YYYY-MM-DD')
  .refine((s) => !Number.isNaN(Date.parse(`${s}T00:00:00Z`)) && new Date(`${s}T00:00:00Z`).toISOString().startsWith(s), '不是有效日期');
export const regionParam = z.string().regex(/^\d{6}$/, '地区代码应为 6 位数字');
export const yearParam = z.coerce.number().int().min(2000, '年度超出范围').max(2100, '年度超出范围');
export const codeParam = z.string().trim().min(1).max(40).regex(/^[0-9A-Za-z_-]+$/, '只能包含字母、数字、下划线或连字符');
/** 本级 (self, the default) or 全辖 (all: the region and every region under it). */
export const scopeParam = z.enum(['self', 'all']);
export const boolParam = z.enum(['true', 'false', '1', '0']).transform((v) => v === 'true' || v === '1');
