// What of an error goes into a log line.

/** An error for a log line: its class, code and message, never its cause chain (which may quote a request). */
export function errorSummary(error: unknown): { name: string; code?: string; message: string } {
  if (error instanceof Error) {
    const code = (error as { code?: unknown }).code;
    return { name: error.name, ...(typeof code === 'string' ? { code } : {}), message: error.message };
  }
  return { name: 'unknown', message: String(error) };
}
