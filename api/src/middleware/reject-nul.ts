import type { RequestHandler } from 'express';
import { createError, ErrorCode } from '../errors.js';

const hasNul = (v: unknown, depth = 0): boolean => {
  if (typeof v === 'string') return v.includes('\u0000');
  if (depth > 20 || v === null || typeof v !== 'object') return false;
  return Object.entries(v).some(([k, x]) => k.includes('\u0000') || hasNul(x, depth + 1));
};

/**
 * 400 for a NUL byte anywhere in the URL or the JSON body. PostgreSQL text cannot hold one, so
 * it would otherwise surface as a database error deep inside whichever query used the value.
 */
export const rejectNul: RequestHandler = (req, _res, next) => {
  if (/%00/i.test(req.originalUrl) || hasNul(req.body)) {
    return next(createError(ErrorCode.VALIDATION, '请求参数含有非法字符（NUL）', 400));
  }
  next();
};
