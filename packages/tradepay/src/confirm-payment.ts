import { TradePayError } from './errors';
import type { TradePayOutcome } from './outcome';
import type { AbortSignalLike } from './types';
import { show } from './internal/show';

// Timers every mini program host provides. Declared here, scoped to this module, because the ES2017 lib
// does not declare them and this package must not depend on Node or DOM types (nor on a global .d.ts
// that a consumer compiling these sources would not load). Handles stay opaque.
declare function setTimeout(handler: () => void, ms: number): unknown;
declare function clearTimeout(handle: unknown): void;

/** The payment as the merchant server knows it. `pending`: the server had no final answer in time. */
export type PaymentStatus = 'paid' | 'failed' | 'cancelled' | 'pending';

/**
 * The order JSON the merchant server returns (docs/PROTOCOL.md §6). Only `status` is read:
 * `PAID` → paid, `FAILED` → failed, `CANCELLED` and `EXPIRED` → cancelled, anything else
 * (`CREATED`, `PAYING`, ...) → ask again.
 */
export interface OrderLike {
  readonly status: string;
}

export interface PaymentResult<O extends OrderLike = OrderLike> {
  /** From the server's order only, whatever the client's result code was. */
  readonly status: PaymentStatus;
  /** The last order `check()` returned; `undefined` if every check failed. */
  readonly order: O | undefined;
  /** The client-side outcome that was being confirmed. */
  readonly outcome: TradePayOutcome;
  /** How many times `check()` was called. */
  readonly checks: number;
  /** Why the last check failed (what it threw, or a `TradePayError` `INVALID_ORDER`); `undefined` if it succeeded. */
  readonly error: unknown;
}

export interface ConfirmPaymentOptions<O extends OrderLike> {
  /**
   * Asks the merchant server for the order (e.g. `GET /api/orders/:id`) and resolves its JSON. Throwing or
   * rejecting = try again. Each check is awaited before the next delay starts: give the request a timeout.
   */
  check: () => O | PromiseLike<O>;
  /** Aborting rejects the promise with a `TradePayError` whose code is `ABORTED` (e.g. the page was left). */
  signal?: AbortSignalLike;
  /** Milliseconds to wait before each check; the number of entries is the number of checks. Default `DEFAULT_SCHEDULE`. */
  schedule?: readonly number[];
}

/**
 * Check at once, then back off to every 5 s: 15 checks over 60 s, the platform docs' advice for
 * inquiring a payment (poll every 5 s for up to a minute).
 */
export const DEFAULT_SCHEDULE: readonly number[] = Object.freeze([
  0, 1000, 2000, 3000, 4000, 5000, 5000, 5000, 5000, 5000, 5000, 5000, 5000, 5000, 5000,
]);

const FINAL: { readonly [status: string]: PaymentStatus | undefined } = {
  PAID: 'paid',
  FAILED: 'failed',
  CANCELLED: 'cancelled',
  EXPIRED: 'cancelled',
};

/**
 * Confirms a `tradePay` outcome with the merchant server: calls `check()` after each delay of `schedule`
 * until the order is final, and resolves with what the server said; `pending` if the schedule ran out
 * first. Never `paid` unless the server's order is `PAID`. Rejects only for misuse (`INVALID_REQUEST`)
 * or when `signal` aborts (`ABORTED`, with the signal's reason as `cause`).
 */
export function confirmPayment<O extends OrderLike>(
  outcome: TradePayOutcome,
  options: ConfirmPaymentOptions<O>,
): Promise<PaymentResult<O>> {
  return new Promise<PaymentResult<O>>((resolve, reject) => {
    const { check, signal, schedule = DEFAULT_SCHEDULE } = options || ({} as ConfirmPaymentOptions<O>);
    if (typeof check !== 'function') {
      return reject(
        new TradePayError('confirmPayment: options.check must be a function resolving the order', {
          code: 'INVALID_REQUEST',
        }),
      );
    }
    if (
      !Array.isArray(schedule) ||
      !schedule.length ||
      schedule.some((ms) => !(typeof ms === 'number' && ms >= 0 && ms < Infinity))
    ) {
      return reject(
        new TradePayError('confirmPayment: options.schedule must be a non-empty array of delays in ms', {
          code: 'INVALID_REQUEST',
        }),
      );
    }

    let checks = 0;
    let order: O | undefined;
    let error: unknown;
    let timer: unknown;
    let stopped = false;

    const stop = () => {
      stopped = true;
      clearTimeout(timer);
      if (signal) signal.removeEventListener('abort', onAbort);
    };
    const done = (status: PaymentStatus) => {
      stop();
      resolve({ status, order, outcome, checks, error });
    };
    function onAbort() {
      stop();
      reject(new TradePayError('confirmPayment: aborted', { code: 'ABORTED', cause: signal && signal.reason }));
    }
    const next = () => {
      if (checks === schedule.length) done('pending');
      else timer = setTimeout(run, schedule[checks] as number);
    };
    const run = () => {
      checks++;
      new Promise<O>((r) => r(check())).then(
        (answer) => {
          if (stopped) return;
          if (!answer || typeof answer.status !== 'string') {
            error = new TradePayError(
              'confirmPayment: check() must resolve the order JSON with a string status, got ' + show(answer),
              { code: 'INVALID_ORDER' },
            );
            return next();
          }
          order = answer;
          error = undefined;
          const status = FINAL[answer.status];
          // typeof: a status such as 'constructor' must not pick up Object.prototype.
          if (typeof status === 'string') done(status);
          else next();
        },
        (failure: unknown) => {
          if (stopped) return;
          error = failure;
          next();
        },
      );
    };

    if (signal) {
      if (signal.aborted) return onAbort();
      signal.addEventListener('abort', onAbort);
    }
    next();
  });
}
