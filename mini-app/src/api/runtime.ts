/**
 * The part of the platform's `my` the API client uses. Declared here, narrowly, so the client can be
 * given the real `my` (which satisfies it) or a test double, and so a test never needs the whole JSAPI.
 */

export interface RequestSuccess {
  data: unknown;
  status: number;
  headers?: Record<string, string>;
}

/**
 * The platform calls `fail` for transport errors (e.g. `error: 12`, network) and also for HTTP
 * statuses outside 2xx (`error: 19`, "http status error"), in which case recent base libraries add
 * `status` and the parsed `data`.
 */
export interface RequestFailure {
  error?: number;
  errorMessage?: string;
  status?: number;
  data?: unknown;
}

export interface RequestOptions {
  url: string;
  method: 'GET' | 'POST';
  data?: string;
  headers: Record<string, string>;
  dataType: 'json';
  timeout?: number;
  success(result: RequestSuccess): void;
  fail(failure: RequestFailure): void;
}

export interface MiniRuntime {
  request(options: RequestOptions): unknown;
  getAuthCode(options: {
    scopes: string | string[];
    success(result: { authCode: string }): void;
    fail(failure: { error?: number; errorMessage?: string }): void;
  }): unknown;
  getStorageSync(options: { key: string }): { data: unknown } | null | undefined;
  setStorageSync(options: { key: string; data: unknown }): unknown;
  removeStorageSync(options: { key: string }): unknown;
}
