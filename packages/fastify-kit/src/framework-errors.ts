// Errors Fastify raises before routing — a malformed %-escape, a path segment over 100 characters — are answered in
// Fastify's own shape unless a server says otherwise. Both servers answer them in the one error shape of their APIs,
// `{ error: { code, message } }`, with these codes and words.

export interface FrameworkErrorAnswer {
  status: 400 | 414;
  code: 'INVALID_URL' | 'URI_TOO_LONG';
  message: string;
}

/** The answer to a Fastify `frameworkErrors` error (from its `code`). */
export function frameworkErrorAnswer(error: { code?: string }): FrameworkErrorAnswer {
  return error.code === 'FST_ERR_MAX_PARAM_LENGTH'
    ? { status: 414, code: 'URI_TOO_LONG', message: 'a path segment of the URL is longer than 100 characters' }
    : { status: 400, code: 'INVALID_URL', message: 'the URL path is not valid (a malformed %-escape?)' };
}
