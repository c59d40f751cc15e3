/** Stable error codes: clients and tests branch on these, never on message text. */
export const ErrorCode = {
  VALIDATION: 'VALIDATION',
  UNAUTHENTICATED: 'UNAUTHENTICATED',
  FORBIDDEN: 'FORBIDDEN',
  NOT_FOUND: 'NOT_FOUND',
  CONFLICT: 'CONFLICT',
  INVALID_FOREIGN_KEY: 'INVALID_FOREIGN_KEY',
  INVALID_TRANSITION: 'INVALID_TRANSITION',
  RATE_LIMITED: 'RATE_LIMITED',
  SERVICE_UNAVAILABLE: 'SERVICE_UNAVAILABLE',
  INTERNAL: 'INTERNAL',
} as const;
export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];

export class AppError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly status: number,
    readonly details?: unknown,
  ) {
    super(message);
  }
}

export const createError = (code: ErrorCode, message: string, status: number, details?: unknown) =>
  new AppError(code, message, status, details);

/** PostgreSQL error codes mapped once, here. */
export function fromPgError(err: unknown): AppError | undefined {
  const e = err as { code?: string; detail?: string };
  switch (e?.code) {
    case '23505':
      return createError(ErrorCode.CONFLICT, e.detail ?? '记录已存在', 409);
    case '23503':
      return createError(ErrorCode.INVALID_FOREIGN_KEY, e.detail ?? '引用的记录不存在', 400);
    case '23502':
      return createError(ErrorCode.VALIDATION, e.detail ?? '缺少必填字段', 400);
    default:
      return undefined;
  }
}
