// The preview's own errors: bad options, a folder that is not a mini program. Problems inside the mini
// program (a template that does not parse, a missing file) are not thrown: they become PreviewProblems,
// shown by the browser's overlay with the file and line.

export type PreviewErrorCode = 'INVALID_OPTION' | 'NOT_A_MINI_PROGRAM' | 'PORT_IN_USE';

export class PreviewError extends Error {
  override readonly name = 'PreviewError';
  constructor(
    readonly code: PreviewErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}
