// The one error this package throws, in the workspace's convention: a literal `name`, a typed `code`, the `cause`.
// It runs in the mini program (ES2017), whose `Error` has no `cause` option: the field is set by hand.

export type ContractErrorCode =
  /** A port that is not a whole number from 0 to 65535; the message names where it came from. */
  | 'INVALID_PORT'
  /** An amount that is not a whole number of minor units (or a decimal that does not fit the currency). */
  | 'INVALID_AMOUNT'
  /** A currency that is not an active ISO 4217 code, so its exponent is unknown. */
  | 'UNKNOWN_CURRENCY';

export interface ContractErrorOptions {
  code: ContractErrorCode;
  cause?: unknown;
}

export class ContractError extends Error {
  // A literal name survives minification, unlike `constructor.name`.
  override readonly name = 'ContractError' as const;
  readonly code: ContractErrorCode;
  declare readonly cause?: unknown;

  constructor(message: string, options: ContractErrorOptions) {
    super(message);
    this.code = options.code;
    if (options.cause !== undefined) (this as { cause?: unknown }).cause = options.cause;
    // Keeps `instanceof` working when a host's tooling compiles classes down to ES5 functions.
    Object.setPrototypeOf(this, new.target.prototype);
  }
}
