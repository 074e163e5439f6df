// The checks every signed message (request or response) goes through before anything in it is believed.
import { OpenApiError, SignatureError } from '../errors';
import type { KeyInput } from '../keys';
import { parseRequestTime } from '../request-time';
import { assertPath, parseSignatureHeader, verify } from '../sign';
import { readHeader, type HeadersInput } from './headers';
import type { RawBody } from './raw-body';

/** @throws SignatureError `MISSING_HEADER` naming the header; OpenApiError `INVALID_ARGUMENT` when `headers` is not headers. */
export function requireHeader(headers: HeadersInput, name: string): string {
  if (typeof headers !== 'object' || headers === null) {
    throw new OpenApiError("headers must be the message's headers (node:http req.headers, a plain object or a fetch Headers)", {
      code: 'INVALID_ARGUMENT',
    });
  }
  const value = readHeader(headers, name);
  if (value === undefined) throw new SignatureError(`the ${name} header is missing`, { code: 'MISSING_HEADER' });
  return value;
}

/**
 * The time header `name` (`Request-Time` or `Response-Time`) as sent, and its instant.
 * @throws SignatureError `MISSING_HEADER`, or `MALFORMED_HEADER` when it is not ISO 8601 with an offset.
 */
export function requireTime(headers: HeadersInput, name: 'Request-Time' | 'Response-Time'): [string, number] {
  const time = requireHeader(headers, name);
  const timestamp = parseRequestTime(time);
  if (timestamp === undefined) {
    throw new SignatureError(`the ${name} header is not ISO 8601 with an offset (e.g. 2019-04-04T12:08:56.253+05:30)`, {
      code: 'MALFORMED_HEADER',
    });
  }
  return [time, timestamp];
}

/** @throws SignatureError `MALFORMED_HEADER` or `INVALID_SIGNATURE`, with the usual causes in the message. */
export function checkSignature(
  message: { method: string; path: string; clientId: string; time: string; body: RawBody; signature: string; publicKey: KeyInput },
  kind: 'request' | 'response',
): void {
  assertPath(message.path);
  if (parseSignatureHeader(message.signature) === undefined) {
    throw new SignatureError('the Signature header is not "algorithm=RSA256|ECC224, keyVersion=1, signature=<url-encoded base64>"', {
      code: 'MALFORMED_HEADER',
    });
  }
  if (!verify(message)) {
    throw new SignatureError(
      `the ${kind} signature does not verify for ${message.method.toUpperCase()} ${message.path}: check that the raw body ` +
        `is unchanged, that the path is the one the sender signed (with its prefix, e.g. /api/open), and that the key ` +
        `is the sender's public key`,
      { code: 'INVALID_SIGNATURE' },
    );
  }
}
