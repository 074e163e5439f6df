// The checks every signed message (request or response) goes through before anything in it is believed.
import { OpenApiError, SignatureError } from '../errors';
import { ACCEPTED_TIME_FORMS, readTime, timeFormHint } from '../request-time';
import { assertPath, parseSignatureHeader, verify, verifyAsync, type VerifyOptions } from '../sign';
import { readHeader, type HeadersInput } from './headers';

/** @throws SignatureError `MISSING_HEADER` naming the header; OpenApiError `INVALID_ARGUMENT` when `headers` is not headers. */
export function requireHeader(headers: HeadersInput, name: string): string {
  if (typeof headers !== 'object' || headers === null) {
    throw new OpenApiError(
      "headers must be the message's headers (node:http req.headers, a plain object or a fetch Headers)",
      {
        code: 'INVALID_ARGUMENT',
      },
    );
  }
  const value = readHeader(headers, name);
  if (value === undefined) throw new SignatureError(`the ${name} header is missing`, { code: 'MISSING_HEADER' });
  return value;
}

/**
 * The time header `name` (`Request-Time` or `Response-Time`) as sent, and its instant.
 * @throws SignatureError `MISSING_HEADER`, or `MALFORMED_HEADER` when it is none of the accepted forms.
 */
export function requireTime(headers: HeadersInput, name: 'Request-Time' | 'Response-Time'): [string, number] {
  const time = requireHeader(headers, name);
  const read = readTime(time);
  if (read === undefined) throw new SignatureError(timeRefusal(name, time), { code: 'MALFORMED_HEADER' });
  return [time, read.ms];
}

/** Why a time header is refused, with the forms that are accepted (short enough for a 256-character resultMessage). */
export function timeRefusal(name: 'Request-Time' | 'Response-Time', time: string): string {
  const shown = time.length > 23 ? `${time.slice(0, 20)}...` : time;
  return `the ${name} header ${JSON.stringify(shown)} is not an accepted time (${timeFormHint(time)}); accepted: ${ACCEPTED_TIME_FORMS}`;
}

/** A signed message as a verifier checks it: what `verify` gets. */
export type SignedMessage = VerifyOptions;

/** @throws SignatureError `MALFORMED_HEADER` or `INVALID_SIGNATURE`, with the usual causes in the message. */
export function checkSignature(message: SignedMessage, kind: 'request' | 'response'): void {
  assertVerifiable(message);
  if (!verify(message)) throw invalidSignature(message, kind);
}

/** `checkSignature` with the verification in libuv's thread pool: the same checks, the same errors. */
export async function checkSignatureAsync(message: SignedMessage, kind: 'request' | 'response'): Promise<void> {
  assertVerifiable(message);
  if (!(await verifyAsync(message))) throw invalidSignature(message, kind);
}

/** @throws OpenApiError `INVALID_ARGUMENT` for a path that is not one; SignatureError `MALFORMED_HEADER`. */
function assertVerifiable(message: SignedMessage): void {
  assertPath(message.path);
  if (parseSignatureHeader(message.signature) === undefined) {
    throw new SignatureError(
      'the Signature header is not "algorithm=RSA256|ECC224, keyVersion=1, signature=<url-encoded base64>"',
      {
        code: 'MALFORMED_HEADER',
      },
    );
  }
}

function invalidSignature(message: SignedMessage, kind: 'request' | 'response'): SignatureError {
  return new SignatureError(
    `the ${kind} signature does not verify for ${message.method.toUpperCase()} ${message.path}: check that the raw body ` +
      `is unchanged, that the path is the one the sender signed (with its prefix, e.g. /api/open), and that the key ` +
      `is the sender's public key`,
    { code: 'INVALID_SIGNATURE' },
  );
}
