// `my.request` leaves the browser through the preview server, which makes the HTTP call from Node, as the
// IDE's simulator makes it from its own process: the mini program's backend needs no CORS, and the answer
// keeps every header. Failures become the platform's numeric codes: 12 the network (refused, unreachable,
// reset), 13 the timeout. HTTP error statuses are answers, not failures: the worker turns them into 19.

export interface ProxiedRequest {
  url: string;
  method: string;
  headers: Record<string, string>;
  body?: string;
  timeoutMs: number;
}

export type ProxiedAnswer =
  | { ok: true; status: number; headers: Record<string, string>; body: string }
  | { ok: false; error: number; errorMessage: string };

const METHODS = new Set(['GET', 'POST', 'PUT', 'DELETE', 'HEAD', 'OPTIONS', 'PATCH', 'TRACE', 'CONNECT']);
/** Headers the browser-side platform would not let a mini program set, and that fetch manages itself. */
const DROPPED_HEADERS = new Set(['host', 'content-length', 'connection', 'transfer-encoding']);

export function checkRequest(value: unknown): ProxiedRequest | string {
  if (!value || typeof value !== 'object') return 'the body must be a JSON object';
  const request = value as Record<string, unknown>;
  if (typeof request.url !== 'string' || !/^https?:\/\/[^/]/.test(request.url)) return 'url must be an http(s) URL';
  const method = typeof request.method === 'string' ? request.method.toUpperCase() : 'GET';
  if (!METHODS.has(method)) return `method ${String(request.method)} is not an HTTP method`;
  const headers: Record<string, string> = {};
  if (request.headers && typeof request.headers === 'object') {
    for (const [name, header] of Object.entries(request.headers as Record<string, unknown>)) {
      if (!DROPPED_HEADERS.has(name.toLowerCase())) headers[name] = String(header);
    }
  }
  const timeoutMs =
    typeof request.timeoutMs === 'number' && request.timeoutMs > 0 ? Math.min(request.timeoutMs, 600_000) : 30_000;
  return {
    url: request.url,
    method,
    headers,
    ...(typeof request.body === 'string' ? { body: request.body } : {}),
    timeoutMs,
  };
}

export async function proxyRequest(request: ProxiedRequest, fetchImpl: typeof fetch = fetch): Promise<ProxiedAnswer> {
  const controller = new AbortController();
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    controller.abort();
  }, request.timeoutMs);
  try {
    const response = await fetchImpl(request.url, {
      method: request.method,
      headers: request.headers,
      ...(request.body !== undefined && request.method !== 'GET' && request.method !== 'HEAD'
        ? { body: request.body }
        : {}),
      signal: controller.signal,
      redirect: 'follow',
    });
    const body = await response.text();
    const headers: Record<string, string> = {};
    response.headers.forEach((value, name) => (headers[name] = value));
    return { ok: true, status: response.status, headers, body };
  } catch (error) {
    if (timedOut) return { ok: false, error: 13, errorMessage: `request timed out after ${request.timeoutMs} ms` };
    const cause = (error as { cause?: { code?: string; message?: string } }).cause;
    const detail = cause?.code ?? cause?.message ?? (error as Error).message;
    return { ok: false, error: 12, errorMessage: `network error: ${detail}` };
  } finally {
    clearTimeout(timer);
  }
}
