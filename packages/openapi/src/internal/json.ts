import { ProtocolError } from '../errors';

/** Parses a body that must be JSON; an HTML error page (even with HTTP 200) gets a clear `NOT_JSON`. */
export function parseJsonBody(text: string, what: string, httpStatus?: number): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    const start = text.trimStart();
    const looks =
      start === ''
        ? 'it is empty'
        : /^<(!doctype|html|\?xml|head|body)/i.test(start)
          ? 'it looks like an HTML/XML page (a proxy or web server answered, or the URL or path prefix is wrong)'
          : 'it does not parse';
    const status = httpStatus === undefined ? '' : ` (HTTP ${httpStatus})`;
    throw new ProtocolError(`${what}${status} is not JSON: ${looks}`, {
      code: 'NOT_JSON',
      cause: error,
      ...(httpStatus === undefined ? {} : { httpStatus }),
    });
  }
}
