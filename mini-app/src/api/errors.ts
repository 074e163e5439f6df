/**
 * What can go wrong talking to the merchant server. One base class with a literal `name` and a stable
 * `code`; thin subclasses for the cases a page treats differently (unreachable vs. refused).
 */
export class MerchantApiError extends Error {
  override readonly name: string = 'MerchantApiError';
  /** Stable, machine-readable: the server's `error.code`, or one of this module's own codes. */
  readonly code: string;
  /** HTTP status when the server answered. */
  readonly status: number | undefined;
  /** What caused it (declared here: ES2017's `Error` has no `cause`). */
  declare readonly cause: unknown;
  constructor(message: string, options: { code: string; status?: number; cause?: unknown }) {
    super(message);
    this.code = options.code;
    this.status = options.status;
    (this as { cause: unknown }).cause = options.cause;
    // Keeps `instanceof` working when compiled down to ES5-style classes by a host's tooling.
    Object.setPrototypeOf(this, new.target.prototype);
  }
}

/** The server could not be reached (no network, refused, timed out): the page offers "retry". */
export class NetworkError extends MerchantApiError {
  override readonly name = 'NetworkError';
  constructor(message: string, options: { cause?: unknown } = {}) {
    super(message, { code: 'NETWORK_ERROR', ...options });
  }
}

/** The server answered with `{ error: { code, message } }` and a 4xx/5xx status. */
export class ServerError extends MerchantApiError {
  override readonly name = 'ServerError';
}

/** `my.getAuthCode` failed, so no session could be started. */
export class AuthCodeError extends MerchantApiError {
  override readonly name = 'AuthCodeError';
  constructor(message: string, options: { cause?: unknown } = {}) {
    super(message, { code: 'AUTH_CODE_FAILED', ...options });
  }
}
