// `my` in the worker. Every asynchronous JSAPI takes the platform's callbacks (success, fail, complete) and,
// called without any of them, returns a promise instead. Calls that need the screen (toast, loading, alert,
// confirm, action sheet, title bar, selector queries, the cashier) are messages to the view; storage is
// synchronous here (kept in memory, persisted by the view); `my.request` goes through the preview's own
// server, as the IDE's simulator sends requests from its own process. A JSAPI of the platform that the
// preview does not implement throws an error naming it.
import PLATFORM_JSAPIS from 'virtual:platform-jsapis';
import type { SystemInfo } from '../shared/protocol';
import { callView, post, report } from './channel';
import type { Runtime } from './runtime';

type Fn = (...args: any[]) => any;
type Options = Record<string, any>;

/** The platform's `fail` argument. */
export interface JsapiFailure {
  error: number;
  errorMessage: string;
  [more: string]: unknown;
}

/** my.request's error codes (the platform's numbers). */
export const REQUEST_ERRORS = {
  invalidParameter: 2,
  network: 12,
  timeout: 13,
  decode: 14,
  httpStatus: 19,
} as const;

const STORAGE_LIMIT_KB = 10240;

export interface MyDependencies {
  runtime: () => Runtime;
  storage: Map<string, string>;
  system: SystemInfo;
  /** Where the preview server is (the worker's own origin). */
  serverOrigin: string;
}

function failure(error: number, errorMessage: string, more: Record<string, unknown> = {}): JsapiFailure {
  return { error, errorMessage, ...more };
}

/** Wraps an implementation in the platform's calling convention: callbacks, or a promise when none is given. */
function asyncApi(name: string, run: (options: Options) => Promise<unknown> | unknown): Fn {
  return (options: Options = {}) => {
    const opts = options ?? {};
    const promise = Promise.resolve().then(() => run(opts));
    const usesCallbacks = ['success', 'fail', 'complete'].some((key) => typeof opts[key] === 'function');
    const callback = (key: string, value: unknown) => {
      try {
        opts[key]?.(value);
      } catch (error) {
        report({
          code: 'CALLBACK',
          message: `the ${key} callback of my.${name} threw: ${error instanceof Error ? error.message : String(error)}`,
          ...(error instanceof Error && error.stack ? { stack: error.stack } : {}),
        });
      }
    };
    promise.then(
      (result) => {
        callback('success', result);
        callback('complete', result);
      },
      (error: unknown) => {
        const reason = isFailure(error) ? error : failure(3, error instanceof Error ? error.message : String(error));
        callback('fail', reason);
        callback('complete', reason);
      },
    );
    if (usesCallbacks) return undefined;
    return promise.catch((error: unknown) => {
      throw isFailure(error) ? error : failure(3, error instanceof Error ? error.message : String(error));
    });
  };
}

function isFailure(value: unknown): value is JsapiFailure {
  return typeof value === 'object' && value !== null && typeof (value as JsapiFailure).error === 'number';
}

function storageKey(options: Options, api: string): string {
  const key = options?.key;
  if (typeof key !== 'string' || key === '') throw failure(2, `my.${api}: key must be a non-empty string`);
  return key;
}

/** Storage keeps JSON text, as the platform does: what comes back is a copy. */
function stored(value: unknown): string {
  return JSON.stringify(value === undefined ? null : value);
}

export function createMy(deps: MyDependencies): Record<string, unknown> {
  const { storage } = deps;
  const persist = (key: string) =>
    post({ t: 'storage', key, value: storage.has(key) ? (storage.get(key) as string) : null });

  const navigation = (mode: 'push' | 'redirect' | 'relaunch', api: string) =>
    asyncApi(api, (options) => {
      const url = options.url;
      if (typeof url !== 'string' || url === '')
        throw failure(2, `my.${api}: url must be a page path, e.g. /pages/index/index?id=1`);
      // Navigation completes after the call returns, as on the platform.
      return new Promise((resolve, reject) =>
        setTimeout(() => {
          try {
            deps.runtime().openPage(url, mode);
            resolve({ success: true });
          } catch (error) {
            reject(failure(mode === 'push' ? 12 : 3, `my.${api}: ${(error as Error).message}`));
          }
        }, 0),
      );
    });

  const syncStorage = {
    getStorageSync: (options: Options) => {
      const key = storageKey(options, 'getStorageSync');
      return { data: storage.has(key) ? JSON.parse(storage.get(key) as string) : null };
    },
    setStorageSync: (options: Options) => {
      const key = storageKey(options, 'setStorageSync');
      storage.set(key, stored(options.data));
      persist(key);
      return { success: true };
    },
    removeStorageSync: (options: Options) => {
      const key = storageKey(options, 'removeStorageSync');
      storage.delete(key);
      persist(key);
      return { success: true };
    },
    clearStorageSync: () => {
      const keys = [...storage.keys()];
      storage.clear();
      for (const key of keys) persist(key);
      return { success: true };
    },
    getStorageInfoSync: () => {
      let bytes = 0;
      for (const [key, value] of storage) bytes += key.length + value.length;
      return { keys: [...storage.keys()], currentSize: Math.ceil(bytes / 1024), limitSize: STORAGE_LIMIT_KB };
    },
  };

  const implemented: Record<string, unknown> = {
    ...syncStorage,
    getStorage: asyncApi('getStorage', (options) => syncStorage.getStorageSync(options)),
    setStorage: asyncApi('setStorage', (options) => syncStorage.setStorageSync(options)),
    removeStorage: asyncApi('removeStorage', (options) => syncStorage.removeStorageSync(options)),
    clearStorage: asyncApi('clearStorage', () => syncStorage.clearStorageSync()),
    getStorageInfo: asyncApi('getStorageInfo', () => syncStorage.getStorageInfoSync()),

    getSystemInfoSync: () => ({ ...deps.system }),
    getSystemInfo: asyncApi('getSystemInfo', () => ({ ...deps.system })),
    canIUse: (name: unknown) => {
      if (name === 'component2') return true;
      if (typeof name !== 'string') return false;
      const api = name.split('.')[0] as string;
      return Object.prototype.hasOwnProperty.call(implemented, api);
    },

    request: asyncApi('request', (options) => request(deps.serverOrigin, options)),
    httpRequest: asyncApi('httpRequest', (options) => request(deps.serverOrigin, options)),

    showToast: asyncApi('showToast', (options) =>
      callView('showToast', {
        content: String(options.content ?? ''),
        type: options.type ?? 'none',
        duration: Number(options.duration ?? 2000),
      }),
    ),
    hideToast: asyncApi('hideToast', () => callView('hideToast', {})),
    showLoading: asyncApi('showLoading', (options) =>
      callView('showLoading', { content: String(options.content ?? '') }),
    ),
    hideLoading: asyncApi('hideLoading', () => callView('hideLoading', {})),
    alert: asyncApi('alert', (options) =>
      callView('alert', {
        title: options.title ?? '',
        content: options.content ?? '',
        buttonText: options.buttonText ?? 'OK',
      }),
    ),
    confirm: asyncApi('confirm', (options) =>
      callView('confirm', {
        title: options.title ?? '',
        content: options.content ?? '',
        confirmButtonText: options.confirmButtonText ?? 'OK',
        cancelButtonText: options.cancelButtonText ?? 'Cancel',
      }),
    ),
    showActionSheet: asyncApi('showActionSheet', (options) => {
      if (!Array.isArray(options.items) || options.items.length === 0)
        throw failure(2, 'my.showActionSheet: items must be a non-empty array of strings');
      return callView('showActionSheet', {
        title: options.title ?? '',
        items: options.items.map(String),
        cancelButtonText: options.cancelButtonText ?? 'Cancel',
      });
    }),
    setNavigationBar: asyncApi('setNavigationBar', (options) =>
      callView('setNavigationBar', {
        page: deps.runtime().currentPageId(),
        title: options.title,
        backgroundColor: options.backgroundColor,
      }),
    ),

    navigateTo: navigation('push', 'navigateTo'),
    redirectTo: navigation('redirect', 'redirectTo'),
    reLaunch: navigation('relaunch', 'reLaunch'),
    navigateBack: asyncApi(
      'navigateBack',
      (options) =>
        new Promise((resolve) =>
          setTimeout(() => {
            deps.runtime().navigateBack(Number(options.delta ?? 1));
            resolve({ success: true });
          }, 0),
        ),
    ),

    getAuthCode: asyncApi('getAuthCode', async (options) => {
      const scopes = options.scopes === undefined ? ['auth_base'] : ([] as string[]).concat(options.scopes);
      const answer = await postJson(deps.serverOrigin, '/__preview/auth-code', {});
      if (!answer.ok) throw failure(Number(answer.error ?? 3), String(answer.errorMessage));
      return { authCode: answer.authCode, authSuccessScopes: scopes, authErrorScopes: {} };
    }),
    tradePay: asyncApi('tradePay', async (options) => {
      if (typeof options.paymentUrl !== 'string' || options.paymentUrl === '') {
        const given =
          options.tradeNO !== undefined ? 'tradeNO' : options.orderStr !== undefined ? 'orderStr' : undefined;
        throw failure(
          2,
          given
            ? `my.tradePay: the preview pays a paymentUrl only (${given} needs the real wallet)`
            : 'my.tradePay needs a paymentUrl',
        );
      }
      if (!/^https?:\/\//.test(options.paymentUrl))
        throw failure(2, `my.tradePay: paymentUrl must be an http(s) URL, got ${options.paymentUrl}`);
      return callView('tradePay', { paymentUrl: options.paymentUrl });
    }),

    createSelectorQuery: () => selectorQuery(() => deps.runtime().currentPageId()),
  };

  const platform = new Set<string>(PLATFORM_JSAPIS);
  return new Proxy(implemented, {
    get(target, property, receiver) {
      if (typeof property !== 'string' || Object.prototype.hasOwnProperty.call(target, property))
        return Reflect.get(target, property, receiver);
      if (!platform.has(property)) return undefined; // not a JSAPI of the platform either
      return () => {
        const message = `my.${property} is a JSAPI the preview does not implement (packages/preview/README.md lists the ones it does)`;
        report({ code: 'NOT_IMPLEMENTED', message });
        throw new Error(message);
      };
    },
  });
}

async function postJson(origin: string, path: string, body: unknown): Promise<Record<string, any>> {
  const response = await fetch(origin + path, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  return (await response.json()) as Record<string, any>;
}

/** `data` as the body or query: a string as it is; a flat object form-encoded, or JSON when the content type says so. */
function encodeData(data: unknown, contentType: string): string | undefined {
  if (data === undefined || data === null) return undefined;
  if (typeof data === 'string') return data;
  if (typeof data === 'object') {
    if (/json/i.test(contentType)) return JSON.stringify(data);
    return Object.entries(data as Record<string, unknown>)
      .map(
        ([key, value]) =>
          `${encodeURIComponent(key)}=${encodeURIComponent(typeof value === 'object' ? JSON.stringify(value) : String(value))}`,
      )
      .join('&');
  }
  return String(data);
}

async function request(origin: string, options: Options): Promise<unknown> {
  const url = options.url;
  if (typeof url !== 'string' || !/^https?:\/\/[^/]/.test(url))
    throw failure(
      REQUEST_ERRORS.invalidParameter,
      `my.request: url must be an http(s) URL, got ${JSON.stringify(url)}`,
    );
  const method = String(options.method ?? 'GET').toUpperCase();
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries((options.headers ?? options.header ?? {}) as Record<string, unknown>))
    headers[name] = String(value);
  const contentTypeName = Object.keys(headers).find((name) => name.toLowerCase() === 'content-type');
  if (!contentTypeName && method !== 'GET') headers['content-type'] = 'application/x-www-form-urlencoded';
  const contentType = headers[contentTypeName ?? 'content-type'] ?? '';
  const encoded = encodeData(options.data, contentType);
  let target = url;
  let body: string | undefined;
  if (method === 'GET' || method === 'HEAD') {
    if (encoded) target += (url.includes('?') ? '&' : '?') + encoded;
  } else {
    body = encoded;
  }
  const timeoutMs = Number(options.timeout ?? 30000);
  const answer = await postJson(origin, '/__preview/request', { url: target, method, headers, body, timeoutMs });
  if (!answer.ok) throw failure(Number(answer.error), String(answer.errorMessage));
  const dataType = String(options.dataType ?? 'json').toLowerCase();
  let data: unknown = answer.body;
  let parseFailed = false;
  if (dataType === 'json' && typeof answer.body === 'string' && answer.body !== '') {
    try {
      data = JSON.parse(answer.body);
    } catch {
      parseFailed = true;
    }
  }
  const status = Number(answer.status);
  if (status < 200 || status >= 300) {
    throw failure(REQUEST_ERRORS.httpStatus, 'http status error', { status, data, headers: answer.headers });
  }
  if (parseFailed) throw failure(REQUEST_ERRORS.decode, 'JSON parse data error');
  return { data, status, headers: answer.headers };
}

/** `my.createSelectorQuery()`: select / selectAll / selectViewport, boundingClientRect / scrollOffset, exec. */
function selectorQuery(page: () => number | undefined) {
  const operations: Array<{ selector: string; all: boolean; fields: 'rect' | 'scroll'; callback?: Fn }> = [];
  let current: { selector: string; all: boolean } | undefined;
  const node = {
    boundingClientRect(callback?: Fn) {
      if (current) operations.push({ ...current, fields: 'rect', ...(callback ? { callback } : {}) });
      return query;
    },
    scrollOffset(callback?: Fn) {
      if (current) operations.push({ ...current, fields: 'scroll', ...(callback ? { callback } : {}) });
      return query;
    },
  };
  const query = {
    select(selector: string) {
      current = { selector, all: false };
      return node;
    },
    selectAll(selector: string) {
      current = { selector, all: true };
      return node;
    },
    selectViewport() {
      current = { selector: 'viewport', all: false };
      return node;
    },
    exec(callback?: Fn) {
      callView<unknown[]>('selectorQuery', {
        page: page(),
        operations: operations.map(({ callback: _callback, ...rest }) => rest),
      }).then((results) => {
        operations.forEach((operation, index) => operation.callback?.(results[index]));
        callback?.(results);
      });
    },
  };
  return query;
}
