// Exceptions are for misuse and broken infrastructure (a missing setting, a port in use, a database that will
// not open). Answers to HTTP callers are `HttpError`s, turned into `{ error: { code, message } }` by the app.

export type MerchantServerErrorCode =
  /** A setting required in production is missing; the message names the variable. */
  | 'CONFIG_MISSING'
  /** A setting is present but malformed; the message names it. */
  | 'CONFIG_INVALID'
  /** The port is taken; the message names `MINIPAY_MERCHANT_PORT` and `--port`. */
  | 'PORT_IN_USE'
  /** The database could not be opened or migrated. */
  | 'STORAGE_ERROR';

/** The one error class `startMerchantServer` and `loadConfig` throw. Messages never carry keys or secrets. */
export class MerchantServerError extends Error {
  override readonly name = 'MerchantServerError' as const;
  readonly code: MerchantServerErrorCode;

  constructor(message: string, options: { code: MerchantServerErrorCode; cause?: unknown }) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = options.code;
  }
}

/** An answer to an HTTP caller: a status and a stable code, with a message for people. */
export class HttpError extends Error {
  override readonly name = 'HttpError' as const;
  readonly statusCode: number;
  readonly code: string;

  constructor(message: string, options: { statusCode: number; code: string }) {
    super(message);
    this.statusCode = options.statusCode;
    this.code = options.code;
  }
}
