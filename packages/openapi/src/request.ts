// A signed OpenAPI request: the merchant → wallet calls, and the wallet → merchant notification.
import { OpenApiError, SignatureError } from './errors';
import type { HeadersInput } from './internal/headers';
import { parseJsonBody } from './internal/json';
import {
  checkSignature,
  checkSignatureAsync,
  requireHeader,
  requireTime,
  type SignedMessage,
} from './internal/message-checks';
import { assertRawBody, rawBodyText, type RawBody } from './internal/raw-body';
import type { Algorithm, KeyInput } from './keys';
import { formatRequestTime, readClock, type Clock } from './request-time';
import { signOptionsFor } from './internal/sign-options';
import { sign, signAsync, type SignOptions } from './sign';

export type { HeadersInput } from './internal/headers';
export type { RawBody } from './internal/raw-body';

export interface SignRequestOptions {
  /** Default `POST`. */
  method?: string;
  /** The path as sent, including the prefix, e.g. `/api/open/v2/payments/pay`. */
  path: string;
  clientId: string;
  /** The raw body exactly as it will be sent (a JSON string), never an object. */
  body: RawBody;
  privateKey: KeyInput;
  algorithm?: Algorithm;
  keyVersion?: number | string;
  /** The clock for `Request-Time`: a Date or a function returning one. Default the system clock. */
  now?: Clock;
}

/** The headers of a signed request: `Content-Type`, `Client-Id`, `Request-Time`, `Signature`. */
export function signRequest(options: SignRequestOptions): Record<string, string> {
  const { time, signOptions } = requestToSign(options);
  return requestHeaders(options.clientId, time, sign(signOptions));
}

/** `signRequest` with the signature computed in libuv's thread pool: the same checks, errors and headers. */
export async function signRequestAsync(options: SignRequestOptions): Promise<Record<string, string>> {
  const { time, signOptions } = requestToSign(options);
  return requestHeaders(options.clientId, time, await signAsync(signOptions));
}

/** The `Request-Time` (read from the clock once) and what `sign` gets. */
function requestToSign(options: SignRequestOptions): { time: string; signOptions: SignOptions } {
  const time = formatRequestTime(readClock(options.now));
  return {
    time,
    signOptions: signOptionsFor(options, time, options.body),
  };
}

function requestHeaders(clientId: string, time: string, signature: string): Record<string, string> {
  return {
    'Content-Type': 'application/json; charset=UTF-8',
    'Client-Id': clientId,
    'Request-Time': time,
    Signature: signature,
  };
}

/** The signer's public key, or a lookup by the message's `Client-Id` (undefined or null = unknown client). */
export type PublicKeySource = KeyInput | ((clientId: string) => KeyInput | undefined | null);

export interface VerifyRequestOptions {
  /** The request's headers (node:http `req.headers`, a record, or fetch `Headers`); names case-insensitive. */
  headers: HeadersInput;
  /** The raw body exactly as received, never the parsed JSON. */
  rawBody: RawBody;
  publicKey: PublicKeySource;
  /** Default `POST`. */
  method?: string;
  /** The path the sender signed: the path as sent, including any prefix (before a proxy rewrites it). */
  path: string;
  /** The clock for the replay window. Default the system clock. */
  now?: Clock;
  /** How far `Request-Time` may be from now, either way. Default 300. */
  toleranceSeconds?: number;
}

export interface VerifiedRequest {
  clientId: string;
  time: string;
  body: unknown;
}

/**
 * Verifies a signed request and parses its body.
 * @throws SignatureError `MISSING_HEADER`, `MALFORMED_HEADER`, `INVALID_SIGNATURE`, `REQUEST_TIME_OUTSIDE_WINDOW`,
 *   `KEY_NOT_FOUND`; ProtocolError `NOT_JSON`; KeyFormatError; OpenApiError `BODY_NOT_RAW`.
 */
export function verifyRequest(options: VerifyRequestOptions): VerifiedRequest {
  const read = readSignedRequest(options);
  checkSignature(read.message, 'request');
  return acceptRequest(options, read);
}

/**
 * `verifyRequest` with the signature verified in libuv's thread pool: the same checks in the same order, the same
 * errors (as rejections), the same result.
 */
export async function verifyRequestAsync(options: VerifyRequestOptions): Promise<VerifiedRequest> {
  const read = readSignedRequest(options);
  await checkSignatureAsync(read.message, 'request');
  return acceptRequest(options, read);
}

/** The checks before the signature: the raw body, the headers, the key. @throws as `verifyRequest`. */
function readSignedRequest(options: VerifyRequestOptions): { message: SignedMessage; timestamp: number } {
  const { headers, rawBody, path } = options;
  const method = options.method ?? 'POST';
  assertRawBody(rawBody, 'rawBody');
  const clientId = requireHeader(headers, 'Client-Id');
  const [time, timestamp] = requireTime(headers, 'Request-Time');
  const signature = requireHeader(headers, 'Signature');
  const publicKey = typeof options.publicKey === 'function' ? options.publicKey(clientId) : options.publicKey;
  // null too: a database lookup answers null for a client it does not know.
  if (publicKey === undefined || publicKey === null) {
    throw new SignatureError(`no public key is known for Client-Id ${JSON.stringify(clientId)}`, {
      code: 'KEY_NOT_FOUND',
    });
  }
  return { message: { method, path, clientId, time, body: rawBody, signature, publicKey }, timestamp };
}

/** The checks after the signature: the replay window, then the body. @throws as `verifyRequest`. */
function acceptRequest(
  options: VerifyRequestOptions,
  { message, timestamp }: { message: SignedMessage; timestamp: number },
): VerifiedRequest {
  const toleranceSeconds = options.toleranceSeconds ?? 300;
  if (typeof toleranceSeconds !== 'number' || !(toleranceSeconds >= 0)) {
    throw new OpenApiError('toleranceSeconds must be a number >= 0', { code: 'INVALID_ARGUMENT' });
  }
  const skewMs = timestamp - readClock(options.now).getTime();
  if (Math.abs(skewMs) > toleranceSeconds * 1000) {
    // Rounded up: 300.4 s must not read "300 s ... outside the 300 s window".
    throw new SignatureError(
      `Request-Time is ${Math.ceil(Math.abs(skewMs) / 1000)} s ${skewMs < 0 ? 'in the past' : 'in the future'}, outside the ` +
        `${toleranceSeconds} s window: a replayed message, or a clock that is off (check NTP on both sides)`,
      { code: 'REQUEST_TIME_OUTSIDE_WINDOW' },
    );
  }
  return {
    clientId: message.clientId,
    time: message.time,
    body: parseJsonBody(rawBodyText(message.body), 'the request body'),
  };
}
