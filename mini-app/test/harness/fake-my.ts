/**
 * A fake `my` for the pages under test. Only the wallet app and the IDE are faked: `request` goes over
 * real HTTP (fetch) to the servers the test started. Storage, toasts, alerts, titles and requests are
 * recorded for assertions; navigation is delegated to the runtime's page stack.
 */
export interface RecordedRequest {
  method: string;
  url: string;
  headers: Record<string, string>;
  body: string | undefined;
  status: number | undefined;
}

export interface TradePayCall {
  paymentUrl?: string;
  tradeNO?: string;
  orderStr?: string;
  success?(result: { resultCode: string }): void;
  fail?(failure: { error: unknown; errorMessage: string }): void;
  complete?(result?: unknown): void;
}

export interface Navigator {
  navigateTo(url: string): void;
  redirectTo(url: string): void;
  navigateBack(delta: number): void;
  reLaunch(url: string): void;
}

export interface FakeMyOptions {
  language?: string;
  /** The wallet's own `my.tradePay` (what the sandbox shim falls back to). Default: fails like a host without a cashier. */
  tradePay?: (call: TradePayCall) => void;
  /** Default: fails (a wallet that gives no auth code); the sandbox shim replaces it. */
  getAuthCode?: (options: { success(result: { authCode: string }): void; fail(failure: unknown): void }) => void;
  /** Turns every request into a network failure while set (server unreachable). */
  offline?: boolean;
  /** Which item `my.showActionSheet` picks, given the items shown; -1 dismisses. Default: dismiss. */
  actionSheet?: (items: string[]) => number;
}

type Callbacks<S> = { success?(result: S): void; fail?(failure: unknown): void; complete?(result?: unknown): void };

export class FakeMy {
  readonly storage = new Map<string, unknown>();
  readonly storageLog: Array<{ op: 'set' | 'remove'; key: string; data?: unknown }> = [];
  readonly toasts: Array<{ content?: string; type?: string }> = [];
  readonly alerts: Array<{ title?: string; content?: string }> = [];
  readonly titles: string[] = [];
  readonly actionSheets: Array<{ title?: string; items: string[] }> = [];
  readonly requests: RecordedRequest[] = [];
  readonly navigations: Array<{ kind: string; url?: string; delta?: number }> = [];
  offline: boolean;
  language: string;
  /**
   * Answers chosen requests without the network (for the few answers the real stack cannot be made to
   * give): return `{ status, body }` to answer, `undefined` to let the request go out.
   */
  intercept: ((request: { method: string; url: string }) => { status: number; body: unknown } | undefined) | undefined;
  navigator: Navigator | undefined;
  private readonly pickActionSheet: ((items: string[]) => number) | undefined;
  /** Replaced by the sandbox shim when a test installs it. */
  tradePay: (call: TradePayCall) => unknown;
  getAuthCode: (request: Callbacks<{ authCode: string }> & { scopes?: string | string[] }) => unknown;

  constructor(options: FakeMyOptions = {}) {
    this.language = options.language ?? 'en';
    this.offline = options.offline ?? false;
    this.pickActionSheet = options.actionSheet;
    this.tradePay = (call: TradePayCall) => {
      if (options.tradePay) return options.tradePay(call);
      call.fail?.({ error: 3, errorMessage: 'no cashier in the test wallet' });
      call.complete?.();
    };
    this.getAuthCode = (request: Callbacks<{ authCode: string }>) => {
      if (options.getAuthCode) {
        return options.getAuthCode({
          success: (result) => request.success?.(result),
          fail: (failure) => request.fail?.(failure),
        });
      }
      request.fail?.({ error: 11, errorMessage: 'the test wallet gives no auth code' });
    };
  }

  request(options: {
    url: string;
    method?: string;
    data?: unknown;
    headers?: Record<string, string>;
    dataType?: string;
    success?(result: { data: unknown; status: number; headers: Record<string, string> }): void;
    fail?(failure: { error: number; errorMessage: string; status?: number; data?: unknown }): void;
    complete?(result?: unknown): void;
  }): void {
    const method = (options.method ?? 'GET').toUpperCase();
    const headers = { ...(options.headers ?? {}) };
    if (options.data !== undefined && typeof options.data !== 'string') {
      throw new TypeError('the fake my.request only takes a string `data` (JSON.stringify it)');
    }
    const body = method === 'GET' || method === 'HEAD' ? undefined : (options.data as string | undefined);
    const record: RecordedRequest = { method, url: options.url, headers, body, status: undefined };
    this.requests.push(record);
    const finish = (fn: () => void) => {
      try {
        fn();
      } finally {
        options.complete?.();
      }
    };
    const scripted = this.intercept?.({ method, url: options.url });
    if (scripted) {
      record.status = scripted.status;
      const { status, body: data } = scripted;
      setTimeout(() => {
        if (status >= 200 && status < 300) finish(() => options.success?.({ data, status, headers: {} }));
        else finish(() => options.fail?.({ error: 19, errorMessage: 'http status error', status, data }));
      }, 0);
      return;
    }
    if (this.offline) {
      setTimeout(() => finish(() => options.fail?.({ error: 12, errorMessage: 'network error' })), 0);
      return;
    }
    fetch(options.url, { method, headers, body }).then(
      async (response) => {
        const text = await response.text();
        record.status = response.status;
        let data: unknown = text;
        if ((options.dataType ?? 'json') === 'json') {
          try {
            data = text === '' ? '' : JSON.parse(text);
          } catch {
            return finish(() => options.fail?.({ error: 14, errorMessage: 'JSON parse data error' }));
          }
        }
        const responseHeaders: Record<string, string> = {};
        response.headers.forEach((value, name) => (responseHeaders[name] = value));
        if (response.status >= 200 && response.status < 300) {
          finish(() => options.success?.({ data, status: response.status, headers: responseHeaders }));
        } else {
          // The platform: a status outside 2xx goes to `fail` with error 19, plus status and data.
          finish(() => options.fail?.({ error: 19, errorMessage: 'http status error', status: response.status, data }));
        }
      },
      () => finish(() => options.fail?.({ error: 12, errorMessage: 'network error' })),
    );
  }

  getStorageSync({ key }: { key: string }): { data: unknown } {
    return { data: this.storage.has(key) ? jsonCopy(this.storage.get(key)) : null };
  }

  setStorageSync({ key, data }: { key: string; data: unknown }): { success: true } {
    this.storage.set(key, jsonCopy(data));
    this.storageLog.push({ op: 'set', key, data });
    return { success: true };
  }

  removeStorageSync({ key }: { key: string }): { success: true } {
    this.storage.delete(key);
    this.storageLog.push({ op: 'remove', key });
    return { success: true };
  }

  getSystemInfoSync(): { language: string; platform: string; version: string; model: string } {
    return { language: this.language, platform: 'iOS', version: '10.5.0', model: 'jest' };
  }

  canIUse(): boolean {
    return true;
  }

  showToast(options: { content?: string; type?: string } & Callbacks<void> = {}): void {
    this.toasts.push({ content: options.content, type: options.type });
    options.success?.();
  }

  alert(options: { title?: string; content?: string } & Callbacks<void> = {}): void {
    this.alerts.push({ title: options.title, content: options.content });
    options.success?.();
  }

  showActionSheet(options: { title?: string; items: string[] } & Callbacks<{ index: number }>): void {
    this.actionSheets.push({ title: options.title, items: [...options.items] });
    const index = this.pickActionSheet ? this.pickActionSheet(options.items) : -1;
    setTimeout(() => options.success?.({ index }), 0);
  }

  showLoading(): void {}
  hideLoading(): void {}

  setNavigationBar(options: { title?: string }): void {
    if (options.title !== undefined) this.titles.push(options.title);
  }

  navigateTo(options: { url: string } & Callbacks<void>): void {
    this.navigations.push({ kind: 'navigateTo', url: options.url });
    this.nav().navigateTo(options.url);
    options.success?.();
  }

  redirectTo(options: { url: string } & Callbacks<void>): void {
    this.navigations.push({ kind: 'redirectTo', url: options.url });
    this.nav().redirectTo(options.url);
    options.success?.();
  }

  navigateBack(options: { delta?: number } & Callbacks<void> = {}): void {
    this.navigations.push({ kind: 'navigateBack', delta: options.delta ?? 1 });
    this.nav().navigateBack(options.delta ?? 1);
    options.success?.();
  }

  reLaunch(options: { url: string } & Callbacks<void>): void {
    this.navigations.push({ kind: 'reLaunch', url: options.url });
    this.nav().reLaunch(options.url);
    options.success?.();
  }

  private nav(): Navigator {
    if (!this.navigator) throw new Error('navigation before the runtime was attached to this fake my');
    return this.navigator;
  }
}

/** The platform keeps storage as JSON: what comes back is a copy, without functions or `undefined` members. */
function jsonCopy<T>(value: T): T {
  return value === undefined ? value : (JSON.parse(JSON.stringify(value)) as T);
}
