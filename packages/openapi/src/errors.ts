// Exceptions are for misuse and broken infrastructure; a wallet's answer (S/A/U/F) is a value, never one of these.
// One base class with a literal `name`, a stable `code` to switch on and the `cause`; thin subclasses.
// Messages never carry key material, tokens or signatures.

export type OpenApiErrorName =
  'OpenApiError' | 'SignatureError' | 'KeyFormatError' | 'TransportError' | 'TimeoutError' | 'ProtocolError';

/** Codes of `SignatureError`: a signed message that cannot be believed. */
export type SignatureErrorCode =
  | 'MISSING_HEADER'
  | 'MALFORMED_HEADER'
  | 'INVALID_SIGNATURE'
  | 'REQUEST_TIME_OUTSIDE_WINDOW'
  /** `verifyRequest` with a key lookup function that knows no key for the message's `Client-Id`. */
  | 'KEY_NOT_FOUND';

/** Codes of `ProtocolError`: the other side answered something that is not a well-formed OpenAPI message. */
export type ProtocolErrorCode =
  /** The body is not JSON (e.g. an HTML error page, even with HTTP 200). */
  | 'NOT_JSON'
  /** JSON, but a required field is missing or has the wrong shape; the message names the field. */
  | 'MALFORMED_BODY';

export type KeyFormatErrorCode = 'INVALID_KEY';
export type TransportErrorCode = 'NETWORK_ERROR' | 'BAD_GATEWAY';
export type TimeoutErrorCode = 'TIMEOUT';
/** Codes of a plain `OpenApiError`: the caller used the API wrongly. */
export type UsageErrorCode = 'BODY_NOT_RAW' | 'INVALID_ARGUMENT';

export type OpenApiErrorCode =
  SignatureErrorCode | ProtocolErrorCode | KeyFormatErrorCode | TransportErrorCode | TimeoutErrorCode | UsageErrorCode;

export interface OpenApiErrorOptions<C extends string = OpenApiErrorCode> {
  code: C;
  cause?: unknown;
}

/** The base of every error this package throws. `code` is stable; `message` is for people. */
export class OpenApiError extends Error {
  override readonly name: OpenApiErrorName = 'OpenApiError';
  readonly code: OpenApiErrorCode;

  constructor(message: string, options: OpenApiErrorOptions) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = options.code;
  }
}

/** A signed message that cannot be believed: missing or malformed headers, a bad signature, a replay. */
export class SignatureError extends OpenApiError {
  override readonly name = 'SignatureError' as const;
  declare readonly code: SignatureErrorCode;
  constructor(message: string, options: OpenApiErrorOptions<SignatureErrorCode>) {
    super(message, options);
  }
}

/** A key that does not parse, or is the wrong kind (public where a private one is needed, RSA for ECC224...). */
export class KeyFormatError extends OpenApiError {
  override readonly name = 'KeyFormatError' as const;
  declare readonly code: KeyFormatErrorCode;
  constructor(message: string, options: OpenApiErrorOptions<KeyFormatErrorCode> = { code: 'INVALID_KEY' }) {
    super(message, options);
  }
}

/** The request did not get an answer: connection refused or reset, DNS, a gateway error page (502/503/504). */
export class TransportError extends OpenApiError {
  override readonly name = 'TransportError' as const;
  declare readonly code: TransportErrorCode;
  constructor(message: string, options: OpenApiErrorOptions<TransportErrorCode>) {
    super(message, options);
  }
}

/** No complete answer within `timeoutMs`. The wallet may still have acted: retry with the same request id or inquire. */
export class TimeoutError extends OpenApiError {
  override readonly name = 'TimeoutError' as const;
  declare readonly code: TimeoutErrorCode;
  constructor(message: string, options: OpenApiErrorOptions<TimeoutErrorCode> = { code: 'TIMEOUT' }) {
    super(message, options);
  }
}

/** An answer that is not a well-formed OpenAPI message (not JSON, no valid `result`, a missing field). */
export class ProtocolError extends OpenApiError {
  override readonly name = 'ProtocolError' as const;
  declare readonly code: ProtocolErrorCode;
  /** The HTTP status of the answer, when there was one. */
  readonly httpStatus: number | undefined;
  constructor(message: string, options: OpenApiErrorOptions<ProtocolErrorCode> & { httpStatus?: number }) {
    super(message, options);
    this.httpStatus = options.httpStatus;
  }
}
