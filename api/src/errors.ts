/** Stable error codes: clients and tests branch on these, never on message text. */
export const ErrorCode = {
  VALIDATION: 'VALIDATION',
  UNAUTHENTICATED: 'UNAUTHENTICATED',
  FORBIDDEN: 'FORBIDDEN',
  PASSWORD_CHANGE_REQUIRED: 'PASSWORD_CHANGE_REQUIRED',
  NOT_FOUND: 'NOT_FOUND',
  CONFLICT: 'CONFLICT',
  INVALID_FOREIGN_KEY: 'INVALID_FOREIGN_KEY',
  INVALID_TRANSITION: 'INVALID_TRANSITION',
  PAYLOAD_TOO_LARGE: 'PAYLOAD_TOO_LARGE',
  UNSUPPORTED_MEDIA_TYPE: 'UNSUPPORTED_MEDIA_TYPE',
  RATE_LIMITED: 'RATE_LIMITED',
  /** Scan-to-log-in: a login code that never existed, was used already, or expired. */
  LOGIN_CODE_INVALID: 'LOGIN_CODE_INVALID',
  LOGIN_CODE_USED: 'LOGIN_CODE_USED',
  LOGIN_CODE_EXPIRED: 'LOGIN_CODE_EXPIRED',
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

/**
 * PostgreSQL error codes mapped once, here. PostgreSQL's `detail` names tables, columns and
 * other rows' values, so it never reaches the client; the log keeps the full error.
 * Input that PostgreSQL cannot even read as its type (a text where a number or date is due, a
 * NUL byte) is the client's mistake: the routes validate it first, this is the second line.
 */
export function fromPgError(err: unknown): AppError | undefined {
  const e = err as { code?: string };
  switch (e?.code) {
    case '23505':
      return createError(ErrorCode.CONFLICT, '记录已存在', 409);
    case '23503':
      return createError(ErrorCode.INVALID_FOREIGN_KEY, '引用的记录不存在', 400);
    case '23502':
      return createError(ErrorCode.VALIDATION, '缺少必填字段', 400);
    case '22P02': // invalid_text_representation
    case '22007': // invalid_datetime_format
    case '22008': // datetime_field_overflow
    case '22021': // character_not_in_repertoire (NUL)
      return createError(ErrorCode.VALIDATION, '参数值无效', 400);
    default:
      return undefined;
  }
}

/**
 * The body parser's own errors (http-errors with a `type`): a body that is not JSON, too
 * large, or in a charset it cannot read. Anything else it raises with a 4xx status too.
 */
export function fromBodyParserError(err: unknown): AppError | undefined {
  const e = err as { type?: unknown; status?: unknown; expose?: unknown };
  if (typeof e?.type !== 'string' || typeof e.status !== 'number') return undefined;
  switch (e.type) {
    case 'entity.parse.failed':
      return createError(ErrorCode.VALIDATION, '请求体不是有效的 JSON 对象', 400);
    case 'entity.too.large':
      return createError(ErrorCode.PAYLOAD_TOO_LARGE, '请求体过大', 413);
    case 'charset.unsupported':
    case 'encoding.unsupported':
      return createError(ErrorCode.UNSUPPORTED_MEDIA_TYPE, '不支持的请求体编码（请使用 UTF-8）', 415);
    default:
      return e.status >= 400 && e.status < 500 ? createError(ErrorCode.VALIDATION, '请求体无效', e.status) : undefined;
  }
}
