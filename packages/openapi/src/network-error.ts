// What went wrong when a request got no answer at all, in the words a log line needs: fetch's own error only says
// "fetch failed"; the reason (ECONNREFUSED, ENOTFOUND, a TLS failure) is in its cause. The client's TransportError
// and the wallet sandbox's notification attempts both describe failures with this.

/** `ECONNREFUSED`, `ENOTFOUND`, `UND_ERR_SOCKET`...: the cause's code, else its message, else the error's own message. */
export function describeNetworkError(error: unknown): string {
  const cause = (error as { cause?: { code?: unknown; message?: unknown } } | null | undefined)?.cause;
  if (cause && typeof cause.code === 'string') return cause.code;
  if (cause && typeof cause.message === 'string') return cause.message;
  return error instanceof Error ? error.message : String(error);
}
