/**
 * Why a call was refused. Stable strings: match on `code`, never on `message`.
 * - `INVALID_REQUEST`: the request or options are malformed (nothing was sent to the wallet).
 * - `NO_RUNTIME`: there is no `my.tradePay` (the code is not running in a mini program).
 * - `BUSY`: another payment is in flight on this runtime.
 * - `ABORTED`: `confirmPayment` was aborted through its `signal`.
 * - `INVALID_ORDER`: `check()` resolved something that is not an order with a string `status`
 *   (only seen as `PaymentResult.error`; a bad answer counts as a failed check).
 */
export type TradePayErrorCode = 'INVALID_REQUEST' | 'NO_RUNTIME' | 'BUSY' | 'ABORTED' | 'INVALID_ORDER';

/**
 * Thrown (as a rejection) for misuse and missing infrastructure only. Payment results, good or bad,
 * are never errors: they resolve as a `TradePayOutcome`.
 */
export class TradePayError extends Error {
  // A literal name survives minification, unlike `constructor.name`.
  override readonly name = 'TradePayError' as const;
  readonly code: TradePayErrorCode;
  /** What caused this error, e.g. the abort signal's `reason`. */
  declare readonly cause?: unknown;

  constructor(message: string, options: { code: TradePayErrorCode; cause?: unknown }) {
    super(message);
    this.code = options.code;
    if (options.cause !== undefined) this.cause = options.cause;
  }
}
