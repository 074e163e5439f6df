// The dev-only shim that lets a mini program in the IDE simulator pay at the local sandbox: `my.tradePay`
// for sandbox cashier URLs asks the developer for an outcome (an action sheet) and applies it through the
// sandbox's scripting API; `my.getAuthCode` returns sandbox auth codes. ES2017, no Node built-ins, no
// imports but the shared outcome table.
import { SandboxError } from '../errors';
import { OUTCOMES, isOutcome, type Outcome } from '../outcomes';

// The option types below use method signatures and optional fields on purpose: the real `my` (typed by
// @mini-types/alipay) must be assignable to `SandboxMy` without a cast (test/mini-types.typecheck.ts).

/** A JSAPI failure as the callbacks receive it: Alipay uses numeric codes; the shim's own are strings. */
export interface ShimFailure {
  error?: number | string;
  errorMessage?: string;
}

/** `my.tradePay`'s options (docs/PROTOCOL.md §3): exactly one of the three inputs, and the callbacks. */
export interface ShimTradePayOptions {
  paymentUrl?: string;
  tradeNO?: string;
  orderStr?: string;
  success?(result: { resultCode: string }): void;
  fail?(error: ShimFailure): void;
  complete?(result?: unknown): void;
}

export interface ShimGetAuthCodeOptions {
  scopes?: string | string[];
  success?(result: { authCode: string; authSuccessScopes: string[]; authErrorScopes: Record<string, string> }): void;
  fail?(error: ShimFailure): void;
  complete?(result?: unknown): void;
}

/** What the shim asks of `my.request` (Alipay's names: `headers`, `dataType`, `status`). */
export interface ShimRequestOptions {
  url: string;
  method: 'POST';
  headers: Record<string, string>;
  data: string;
  dataType: 'json';
  success(response: { data?: unknown; status?: number; statusCode?: number }): void;
  fail(error: ShimFailure): void;
}

export interface ShimActionSheetOptions {
  title: string;
  items: string[];
  cancelButtonText: string;
  success(result: { index?: number }): void;
  fail(error?: unknown): void;
}

/** The parts of the mini program's `my` the shim touches. */
export interface SandboxMy {
  tradePay(options: ShimTradePayOptions): unknown;
  getAuthCode?(options: ShimGetAuthCodeOptions): unknown;
  request(options: ShimRequestOptions): unknown;
  showActionSheet?(options: ShimActionSheetOptions): unknown;
}

export interface InstallSandboxOptions {
  /** The sandbox, as the simulator reaches it, e.g. `http://127.0.0.1:8210`. */
  baseUrl: string;
  /** Picks the outcome instead of the action sheet (tests, scripted demos). May return a promise. */
  choose?: (paymentId: string) => Outcome | Promise<Outcome>;
  /**
   * The sandbox customer `getAuthCode` signs in as. Default: a fresh customer on the first call, then the same
   * one for as long as the shim is installed.
   */
  customerId?: string;
}

/** What the shim hands to `fail`: always both fields. */
interface Failure {
  error: number | string;
  errorMessage: string;
}

/** Alipay's `my.request` error for an HTTP error status. */
const HTTP_ERROR = 19;

/**
 * Wraps `my.tradePay` (sandbox cashier URLs only; other `paymentUrl`s, `tradeNO` and `orderStr` go to the
 * original untouched) and replaces `my.getAuthCode`. Returns a function that puts the originals back.
 */
export function installSandbox(my: SandboxMy, options: InstallSandboxOptions): () => void {
  if (!my || typeof my.tradePay !== 'function' || typeof my.request !== 'function') {
    throw new SandboxError(
      'installSandbox(my, options) needs the mini program runtime `my`, with tradePay and request',
      { code: 'INVALID_OPTION' },
    );
  }
  if (!options || typeof options.baseUrl !== 'string' || !/^https?:\/\/[^/]/.test(options.baseUrl)) {
    throw new SandboxError(
      'installSandbox needs options.baseUrl, the sandbox URL, e.g. { baseUrl: "http://127.0.0.1:8210" }',
      { code: 'INVALID_OPTION' },
    );
  }
  const baseUrl = options.baseUrl.replace(/\/+$/, '');
  const cashierPrefix = `${baseUrl}/cashier/`;
  const originalTradePay = my.tradePay;
  const originalGetAuthCode = my.getAuthCode;
  const hadGetAuthCode = Object.prototype.hasOwnProperty.call(my, 'getAuthCode');
  let customerId = options.customerId;

  function post(path: string, body: object): Promise<Record<string, unknown>> {
    return new Promise((resolve, reject) => {
      const failWith = (failure: Failure) => reject(failure);
      try {
        my.request({
          url: baseUrl + path,
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          data: JSON.stringify(body),
          dataType: 'json',
          success(response) {
            let data = response ? response.data : undefined;
            if (typeof data === 'string') {
              try {
                data = JSON.parse(data);
              } catch (_error) {
                data = undefined;
              }
            }
            const status = response
              ? response.status !== undefined
                ? response.status
                : response.statusCode
              : undefined;
            const record = data !== null && typeof data === 'object' ? (data as Record<string, unknown>) : undefined;
            if ((status !== undefined && status >= 400) || !record) {
              const problem = record && record.error ? (record.error as { message?: unknown }).message : undefined;
              failWith({
                error: HTTP_ERROR,
                errorMessage:
                  typeof problem === 'string' ? problem : `the sandbox answered HTTP ${String(status)} at ${path}`,
              });
              return;
            }
            resolve(record);
          },
          fail(error) {
            failWith({
              error: error && error.error !== undefined ? error.error : 'REQUEST_FAILED',
              errorMessage:
                (error && error.errorMessage) || `my.request to ${baseUrl + path} failed; is the sandbox running?`,
            });
          },
        });
      } catch (error) {
        failWith({ error: 'REQUEST_FAILED', errorMessage: String(error) });
      }
    });
  }

  function pick(paymentId: string): Promise<Outcome> {
    const choose = options.choose;
    if (choose) {
      return Promise.resolve()
        .then(() => choose(paymentId))
        .then((outcome) => {
          if (!isOutcome(outcome)) {
            throw {
              error: 'SANDBOX_INVALID_OUTCOME',
              errorMessage: `choose() must give one of ${OUTCOMES.map((o) => o.outcome).join(', ')}`,
            };
          }
          return outcome;
        });
    }
    const showActionSheet = my.showActionSheet;
    if (typeof showActionSheet !== 'function') {
      return Promise.reject({
        error: 'SANDBOX_NO_CHOICE',
        errorMessage: 'my.showActionSheet is missing; pass choose() to installSandbox',
      });
    }
    return new Promise((resolve) => {
      showActionSheet.call(my, {
        title: `Sandbox payment ${paymentId}`,
        items: OUTCOMES.map((definition) => definition.label),
        cancelButtonText: 'Cancel',
        success(result) {
          // Dismissing the sheet gives index -1 on Alipay: that is the user cancelling.
          const definition = result && typeof result.index === 'number' ? OUTCOMES[result.index] : undefined;
          resolve(definition ? definition.outcome : 'cancel');
        },
        fail() {
          resolve('cancel');
        },
      });
    });
  }

  function toFailure(error: unknown): Failure {
    if (error && typeof error === 'object' && 'errorMessage' in error) return error as Failure;
    return { error: 'SANDBOX_SHIM_ERROR', errorMessage: error instanceof Error ? error.message : String(error) };
  }

  const tradePay = function (request: ShimTradePayOptions): unknown {
    const paymentUrl = request ? request.paymentUrl : undefined;
    if (typeof paymentUrl !== 'string' || paymentUrl.indexOf(cashierPrefix) !== 0) {
      return originalTradePay.call(my, request);
    }
    const paymentId = decodeURIComponent(paymentUrl.slice(cashierPrefix.length).split(/[?#/]/)[0] || '');
    pick(paymentId)
      .then((outcome) => post(`/sandbox/payments/${encodeURIComponent(paymentId)}/complete`, { outcome }))
      .then(
        (data) => ({ ok: true as const, resultCode: String(data.resultCode) }),
        (error: unknown) => ({ ok: false as const, failure: toFailure(error) }),
      )
      .then((outcome) => {
        try {
          if (outcome.ok) {
            if (request.success) request.success({ resultCode: outcome.resultCode });
          } else if (request.fail) {
            request.fail(outcome.failure);
          }
        } finally {
          if (request.complete) request.complete(outcome.ok ? { resultCode: outcome.resultCode } : outcome.failure);
        }
      });
    return undefined;
  };

  const getAuthCode = function (request: ShimGetAuthCodeOptions): unknown {
    const scopes = request && request.scopes !== undefined ? ([] as string[]).concat(request.scopes) : ['auth_base'];
    post('/sandbox/auth-codes', customerId ? { customerId } : {})
      .then(
        (data) => {
          if (typeof data.customerId === 'string') customerId = data.customerId;
          return { ok: true as const, authCode: String(data.authCode) };
        },
        (error: unknown) => ({ ok: false as const, failure: toFailure(error) }),
      )
      .then((outcome) => {
        const handlers = request || {};
        try {
          if (outcome.ok) {
            if (handlers.success)
              handlers.success({ authCode: outcome.authCode, authSuccessScopes: scopes, authErrorScopes: {} });
          } else if (handlers.fail) {
            handlers.fail(outcome.failure);
          }
        } finally {
          if (handlers.complete) handlers.complete();
        }
      });
    return undefined;
  };

  my.tradePay = tradePay;
  my.getAuthCode = getAuthCode;

  return function uninstall(): void {
    if (my.tradePay === tradePay) my.tradePay = originalTradePay;
    if (my.getAuthCode === getAuthCode) {
      if (hadGetAuthCode) my.getAuthCode = originalGetAuthCode;
      else delete my.getAuthCode;
    }
  };
}
