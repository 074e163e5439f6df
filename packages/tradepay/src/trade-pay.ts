import { TradePayError } from './errors';
import type { TradePayOutcome } from './outcome';
import { outcomeForResultCode } from './result-codes';
import type { MyLike } from './types';
import { globalMy } from './internal/host';
import { show } from './internal/show';

// Timers every mini program host provides. Declared here, scoped to this module, because the ES2017 lib
// does not declare them and this package must not depend on Node or DOM types (nor on a global .d.ts
// that a consumer compiling these sources would not load). Handles stay opaque.
declare function setTimeout(handler: () => void, ms: number): unknown;
declare function clearTimeout(handle: unknown): void;

/** The three ways to name a payment to `my.tradePay`. */
export type TradePayInput = 'paymentUrl' | 'tradeNO' | 'orderStr';

type Only<K extends TradePayInput> = { readonly [P in K]: string } & {
  readonly [P in Exclude<TradePayInput, K>]?: never;
};

/**
 * Exactly one of `{ paymentUrl }` (Alipay+ wallets: the cashier URL from the merchant server),
 * `{ tradeNO }` (Alipay China `trade_no`) or `{ orderStr }` (a full server-built order string),
 * a non-empty string. Passing two at once does not compile.
 */
export type TradePayRequest = Only<'paymentUrl'> | Only<'tradeNO'> | Only<'orderStr'>;

export interface TradePayOptions {
  /** The runtime to call; default the global `my`, looked up at call time. */
  my?: MyLike;
  /**
   * Resolve `{ status: 'unknown', resultCode: 'TIMEOUT' }` if the JSAPI has not called back after this
   * many milliseconds. Default: no timeout (the cashier may legitimately stay open for minutes).
   */
  timeoutMs?: number;
}

const INPUTS: readonly TradePayInput[] = ['paymentUrl', 'tradeNO', 'orderStr'];

// One cashier per runtime: the payment in flight on each `my`.
const inFlight = new WeakMap<object, { key: string; promise: Promise<TradePayOutcome> }>();

const invalid = (message: string) => new TradePayError(message, { code: 'INVALID_REQUEST' });

function readRequest(request: unknown): [TradePayInput, string] {
  const fields = request as Record<string, unknown>;
  // Fields set to undefined count as absent, so `{ paymentUrl: url, tradeNO: undefined }` is fine.
  const given =
    fields && typeof fields === 'object' ? Object.keys(fields).filter((key) => fields[key] !== undefined) : [];
  const name = given[0] as TradePayInput;
  if (given.length !== 1 || INPUTS.indexOf(name) < 0) {
    throw invalid(
      `tradePay: pass exactly one of paymentUrl, tradeNO, orderStr (no callbacks: await the promise); got ${given.join(' and ') || show(request)}`,
    );
  }
  const value = fields[name];
  if (typeof value !== 'string' || !value.trim()) {
    throw invalid(`tradePay: ${name} must be a non-empty string, got ${show(value)}`);
  }
  return [name, value];
}

function readRuntime(options: TradePayOptions): MyLike {
  const runtime = (options.my || globalMy()) as MyLike | undefined;
  if (!runtime || typeof runtime.tradePay !== 'function') {
    throw new TradePayError(
      'tradePay: no my.tradePay; this code is not running in a mini program (in tests, pass options.my)',
      { code: 'NO_RUNTIME' },
    );
  }
  return runtime;
}

function readTimeout(options: TradePayOptions): number | undefined {
  const { timeoutMs } = options;
  if (timeoutMs !== undefined && !(typeof timeoutMs === 'number' && timeoutMs > 0 && timeoutMs < Infinity)) {
    throw invalid('tradePay: options.timeoutMs must be a positive number, got ' + show(timeoutMs));
  }
  return timeoutMs;
}

function errorOutcome(failure: unknown): TradePayOutcome {
  const f = (failure || {}) as { error?: number | string; errorMessage?: unknown; message?: unknown };
  return {
    status: 'error',
    resultCode: 'ERROR',
    error: f.error,
    errorMessage: String(f.errorMessage || f.message || 'my.tradePay failed'),
    cause: failure,
  };
}

/**
 * Opens the wallet's cashier and resolves with the typed outcome. Payment results always resolve (even
 * failures, cancellations and a failing JSAPI); only misuse rejects, with a `TradePayError`:
 * `INVALID_REQUEST`, `NO_RUNTIME`, or `BUSY` (a different payment is in flight). The same request while
 * it is in flight returns the same promise, so a double tap opens one cashier.
 *
 * The outcome is what the phone was told, not the truth: confirm it with `confirmPayment`.
 */
export function tradePay(request: TradePayRequest, options: TradePayOptions = {}): Promise<TradePayOutcome> {
  let input: [TradePayInput, string];
  let runtime: MyLike;
  let timeoutMs: number | undefined;
  try {
    input = readRequest(request);
    options = options || {};
    timeoutMs = readTimeout(options);
    runtime = readRuntime(options);
  } catch (error) {
    return Promise.reject(error);
  }

  const key = input.join('\n');
  const current = inFlight.get(runtime);
  if (current) {
    return current.key === key
      ? current.promise
      : Promise.reject(new TradePayError('tradePay: another payment is in flight', { code: 'BUSY' }));
  }

  let resolve!: (outcome: TradePayOutcome) => void;
  const promise = new Promise<TradePayOutcome>((r) => (resolve = r));
  // Registered before the JSAPI runs: a host that calls back synchronously must find it to clear it.
  inFlight.set(runtime, { key, promise });

  let timer: unknown;
  let settled = false;
  // Hosts have been seen calling back twice, or both success and fail: the first answer wins.
  const settle = (outcome: TradePayOutcome) => {
    if (settled) return;
    settled = true;
    clearTimeout(timer);
    inFlight.delete(runtime);
    resolve(outcome);
  };
  const success = (result: unknown) =>
    settle(outcomeForResultCode(result && (result as { resultCode?: unknown }).resultCode));
  const fail = (failure: unknown) => settle(errorOutcome(failure));

  if (timeoutMs !== undefined)
    timer = setTimeout(() => settle({ status: 'unknown', resultCode: 'TIMEOUT' }), timeoutMs);
  try {
    const returned = runtime.tradePay({ [input[0]]: input[1], success, fail });
    // Promise-style hosts may answer only through the returned promise.
    if (returned && typeof (returned as PromiseLike<unknown>).then === 'function') {
      (returned as PromiseLike<unknown>).then(success, fail);
    }
  } catch (thrown) {
    settle(errorOutcome(thrown));
  }
  return promise;
}
