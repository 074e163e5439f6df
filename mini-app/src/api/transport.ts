import { MerchantApiError, NetworkError, ServerError } from './errors';
import type { MiniRuntime, RequestFailure } from './runtime';

/** The platform's code for "the server answered with a status outside 2xx". */
const HTTP_STATUS_ERROR = 19;

export interface SendOptions {
  method: 'GET' | 'POST';
  url: string;
  body?: unknown;
  token?: string;
  timeoutMs?: number;
  /** More request headers (e.g. `Idempotency-Key`). */
  headers?: Record<string, string>;
}

/**
 * One `my.request` as a promise of the parsed JSON body. The body goes as a JSON string (the platform
 * would otherwise form-encode an object); `{ error: { code, message } }` answers become a
 * {@link ServerError}; anything that never reached the server becomes a {@link NetworkError}.
 */
export function sendJson<T>(runtime: MiniRuntime, options: SendOptions): Promise<T> {
  const headers: Record<string, string> = { Accept: 'application/json', ...options.headers };
  if (options.body !== undefined) headers['Content-Type'] = 'application/json';
  if (options.token) headers.Authorization = `Bearer ${options.token}`;
  return new Promise<T>((resolve, reject) => {
    try {
      runtime.request({
        url: options.url,
        method: options.method,
        data: options.body === undefined ? undefined : JSON.stringify(options.body),
        headers,
        dataType: 'json',
        timeout: options.timeoutMs,
        success: (result) => {
          if (result.status >= 200 && result.status < 300) resolve(parseBody<T>(result.data));
          else reject(serverError(result.status, result.data));
        },
        fail: (failure) => reject(fromFailure(failure)),
      });
    } catch (cause) {
      reject(new NetworkError('my.request threw before sending the request.', { cause: cause }));
    }
  });
}

function parseBody<T>(data: unknown): T {
  if (typeof data === 'string') {
    try {
      return JSON.parse(data) as T;
    } catch (cause) {
      throw new MerchantApiError('The merchant server did not answer with JSON.', { code: 'BAD_RESPONSE', cause });
    }
  }
  return data as T;
}

function fromFailure(failure: RequestFailure): MerchantApiError {
  if (typeof failure.status === 'number' && failure.status > 0) return serverError(failure.status, failure.data);
  if (failure.error === HTTP_STATUS_ERROR) {
    return new MerchantApiError(failure.errorMessage || 'The merchant server answered with an error status.', {
      code: 'HTTP_ERROR',
    });
  }
  return new NetworkError(
    `The merchant server could not be reached${failure.errorMessage ? `: ${failure.errorMessage}` : '.'}`,
    { cause: failure },
  );
}

function serverError(status: number, data: unknown): ServerError {
  let body: unknown = data;
  if (typeof data === 'string') {
    try {
      body = JSON.parse(data);
    } catch {
      body = undefined;
    }
  }
  const error = isErrorBody(body) ? body.error : undefined;
  return new ServerError(error?.message ?? `The merchant server answered ${status}.`, {
    code: error?.code ?? `HTTP_${status}`,
    status,
  });
}

function isErrorBody(body: unknown): body is { error: { code: string; message: string } } {
  if (typeof body !== 'object' || body === null) return false;
  const error = (body as { error?: unknown }).error;
  return typeof error === 'object' && error !== null && typeof (error as { code?: unknown }).code === 'string';
}
