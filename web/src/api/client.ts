/**
 * Typed fetch client for /api/v1. Responses are `{ data, meta? }`; errors are
 * `{ error: { code, message } }` and become an ApiError whose message is shown as is
 * (the server writes Chinese messages). A 401 calls the registered handler (→ login page).
 */
export interface ApiEnvelope<T, M = Record<string, unknown>> {
  data: T;
  meta?: M;
}

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
  }
}

export type Query = Record<string, string | number | boolean | null | undefined | (string | number)[]>;

let onUnauthenticated: (() => void) | undefined;
/** Called on any 401 except from /auth/me and the calls that sign in (password, login code, screen QR). */
export function setUnauthenticatedHandler(fn: () => void): void {
  onUnauthenticated = fn;
}

const API_BASE = '/api/v1';

export function buildUrl(path: string, query?: Query): string {
  const url = path.startsWith('/api/') ? path : `${API_BASE}${path}`;
  if (!query) return url;
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(query)) {
    if (v === null || v === undefined || v === '') continue;
    if (Array.isArray(v)) v.forEach((x) => params.append(k, String(x)));
    else params.set(k, String(v));
  }
  const qs = params.toString();
  return qs ? `${url}?${qs}` : url;
}

const STATUS_MESSAGE: Record<number, string> = {
  400: '请求参数有误',
  401: '请先登录',
  403: '无权执行此操作',
  404: '未找到请求的数据',
  409: '数据冲突，请刷新后重试',
  429: '请求过于频繁，请稍后再试',
  500: '服务器内部错误',
  502: '服务暂不可用',
  503: '服务暂不可用',
};

async function request<T, M>(method: string, path: string, opts: { query?: Query; body?: unknown; signal?: AbortSignal } = {}): Promise<ApiEnvelope<T, M>> {
  let res: Response;
  // A FormData body (files) goes as multipart: the browser writes its content type and boundary.
  const form = opts.body instanceof FormData;
  try {
    res = await fetch(buildUrl(path, opts.query), {
      method,
      credentials: 'same-origin',
      headers: opts.body !== undefined && !form ? { 'Content-Type': 'application/json', Accept: 'application/json' } : { Accept: 'application/json' },
      body: form ? (opts.body as FormData) : opts.body !== undefined ? JSON.stringify(opts.body) : undefined,
      signal: opts.signal,
    });
  } catch (e) {
    if ((e as Error).name === 'AbortError') throw e;
    throw new ApiError(0, 'NETWORK', '无法连接服务器，请检查网络');
  }
  const text = await res.text();
  let json: unknown;
  try {
    json = text ? JSON.parse(text) : undefined;
  } catch {
    json = undefined;
  }
  if (!res.ok) {
    const err = (json as { error?: { code?: string; message?: string; details?: unknown } } | undefined)?.error;
    const apiError = new ApiError(res.status, err?.code ?? `HTTP_${res.status}`, err?.message ?? STATUS_MESSAGE[res.status] ?? `请求失败（${res.status}）`, err?.details);
    // A refused password or login code is the answer to show, not a lost session; and the
    // router's first /auth/me decides itself (a public page such as /m/enrol stays open).
    if (res.status === 401 && !/\/auth\/(login|enrol|screen-challenges|me$)/.test(path)) onUnauthenticated?.();
    throw apiError;
  }
  if (json === undefined) throw new ApiError(res.status, 'BAD_RESPONSE', '服务器返回了无法识别的数据');
  return json as ApiEnvelope<T, M>;
}

export const api = {
  get: <T, M = Record<string, unknown>>(path: string, query?: Query, signal?: AbortSignal) => request<T, M>('GET', path, { query, signal }),
  post: <T, M = Record<string, unknown>>(path: string, body?: unknown) => request<T, M>('POST', path, { body: body ?? {} }),
  put: <T, M = Record<string, unknown>>(path: string, body?: unknown) => request<T, M>('PUT', path, { body: body ?? {} }),
  patch: <T, M = Record<string, unknown>>(path: string, body?: unknown) => request<T, M>('PATCH', path, { body: body ?? {} }),
  delete: <T, M = Record<string, unknown>>(path: string) => request<T, M>('DELETE', path),
  postForm: <T, M = Record<string, unknown>>(path: string, form: FormData) => request<T, M>('POST', path, { body: form }),
};

/** Message to show for any thrown value. */
export function errorMessage(e: unknown): string {
  if (e instanceof ApiError) return e.message;
  if (e instanceof Error) return e.message;
  return '发生未知错误';
}

/** Start a file download (xlsx/csv/docx) through the browser, keeping the session cookie. */
export function download(path: string, query?: Query): void {
  const a = document.createElement('a');
  a.href = buildUrl(path, query);
  a.rel = 'noopener';
  a.download = '';
  document.body.appendChild(a);
  a.click();
  a.remove();
}
