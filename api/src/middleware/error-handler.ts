import type { ErrorRequestHandler, RequestHandler } from 'express';
import { AppError, ErrorCode, fromBodyParserError, fromPgError } from '../errors.js';

export const notFound: RequestHandler = (req, _res, next) =>
  next(new AppError(ErrorCode.NOT_FOUND, `接口不存在: ${req.method} ${req.path}`, 404));

export const errorHandler: ErrorRequestHandler = (err, _req, res, _next) => {
  const known = err instanceof AppError ? err : (fromBodyParserError(err) ?? fromPgError(err));
  if (known) {
    if (known !== err && (err as { code?: string })?.code) console.warn(`${known.status} ${known.code}: ${(err as Error).message}`);
    res.status(known.status).json({ error: { code: known.code, message: known.message, details: known.details } });
    return;
  }
  console.error(err);
  res.status(500).json({ error: { code: ErrorCode.INTERNAL, message: '服务器内部错误' } });
};
