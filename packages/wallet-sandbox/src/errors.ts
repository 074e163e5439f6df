// The sandbox's error, in the workspace's convention: a literal `name`, a typed `code`, the `cause`. The mini
// program shim throws it too, so it is ES2017: `Error` has no `cause` option there, the field is set by hand.

export type SandboxErrorCode =
  /** `startSandbox` or `installSandbox` was called with a missing or malformed option; the message names it. */
  | 'INVALID_OPTION'
  /** A scripting API request whose body cannot be read (answered 400 BAD_REQUEST with the message). */
  | 'BAD_REQUEST'
  /** The state file cannot be opened: another sandbox holds it, it is not a sandbox database, or it is newer. */
  | 'STATE_ERROR';

export class SandboxError extends Error {
  override readonly name = 'SandboxError' as const;
  readonly code: SandboxErrorCode;
  declare readonly cause?: unknown;

  constructor(message: string, options: { code: SandboxErrorCode; cause?: unknown }) {
    super(message);
    this.code = options.code;
    if (options.cause !== undefined) (this as { cause?: unknown }).cause = options.cause;
    Object.setPrototypeOf(this, new.target.prototype);
  }
}
