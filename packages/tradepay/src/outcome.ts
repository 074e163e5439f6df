/** Every status `tradePay` can resolve with; see docs/PROTOCOL.md §3 and the README's outcome table. */
export type TradePayStatus =
  'paid' | 'processing' | 'failed' | 'cancelled' | 'network-error' | 'unknown' | 'not-permitted' | 'error';

interface OutcomeOf<S extends TradePayStatus> {
  readonly status: S;
  /**
   * The wallet's raw result code as a string (hosts that send numbers are normalised: `9000` → `'9000'`).
   * Outcomes the wrapper makes itself carry `'TIMEOUT'` (no callback in time) or `'ERROR'` (the JSAPI failed).
   */
  readonly resultCode: string;
}

/** The cashier reported 9000. A hint only: confirm with the server before showing "paid". */
export type PaidOutcome = OutcomeOf<'paid'>;
export type ProcessingOutcome = OutcomeOf<'processing'>;
export type FailedOutcome = OutcomeOf<'failed'>;
export type CancelledOutcome = OutcomeOf<'cancelled'>;
export type NetworkErrorOutcome = OutcomeOf<'network-error'>;
/** 6004, any code this table does not know, or `'TIMEOUT'`: the payment may or may not have happened. */
export type UnknownOutcome = OutcomeOf<'unknown'>;
export type NotPermittedOutcome = OutcomeOf<'not-permitted'>;

/** The JSAPI itself failed (its `fail` callback, or it threw): the cashier most likely never opened. */
export interface ErrorOutcome extends OutcomeOf<'error'> {
  /** The `error` code from the JSAPI's `fail` callback; `undefined` when `my.tradePay` threw. */
  readonly error: number | string | undefined;
  /** The host's `errorMessage`, or the thrown error's message. */
  readonly errorMessage: string;
  /** What the host gave: the `fail` callback's argument, the rejection, or the thrown value. */
  readonly cause: unknown;
}

/** What `tradePay` resolves with: a union on `status`, so a `switch` must handle every case. */
export type TradePayOutcome =
  | PaidOutcome
  | ProcessingOutcome
  | FailedOutcome
  | CancelledOutcome
  | NetworkErrorOutcome
  | UnknownOutcome
  | NotPermittedOutcome
  | ErrorOutcome;
