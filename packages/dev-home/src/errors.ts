// The workspace's error convention: a literal `name`, a typed `code`, the `cause`. Messages never quote config.json,
// which holds the session secret.

export type DevHomeErrorCode =
  /** `config.json` is not JSON, or does not hold `{ clientId, sessionSecret }`. */
  'INVALID_CONFIG';

export class DevHomeError extends Error {
  override readonly name = 'DevHomeError' as const;
  readonly code: DevHomeErrorCode;

  constructor(message: string, options: { code: DevHomeErrorCode; cause?: unknown }) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = options.code;
  }
}
