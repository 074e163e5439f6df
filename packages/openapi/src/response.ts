// A signed OpenAPI response: the wallet's answers to the merchant, and the merchant's acknowledgement of a
// notification. A response is signed over the request's method and path with its own Client-Id and Response-Time.
import { OpenApiError, SignatureError } from './errors';
import type { HeadersInput } from './internal/headers';
import { parseJsonBody } from './internal/json';
import { assertRawBody, rawBodyText, type RawBody } from './internal/raw-body';
import type { Algorithm, KeyInput } from './keys';
import { formatRequestTime, readClock, type Clock } from './request-time';
import {
  checkSignature,
  checkSignatureAsync,
  requireHeader,
  requireTime,
  type SignedMessage,
} from './internal/message-checks';
import { isResultStatus } from './internal/result';
import { signOptionsFor } from './internal/sign-options';
import { sign, signAsync, type SignOptions } from './sign';
import type { Result } from './types';

/** The acknowledgement that stops the wallet's notification retries. */
export const SUCCESS_RESULT: Result = Object.freeze({
  resultCode: 'SUCCESS',
  resultStatus: 'S',
  resultMessage: 'success',
});

export interface SignedResponseOptions {
  /** The body's `result`; the body becomes `{"result":{...}}`. Default: `SUCCESS_RESULT`. */
  result?: Result;
  /** A whole body object (serialised here) or raw JSON string, instead of `result`. */
  body?: object | string;
  /** Your Client-Id (for an acknowledgement: the one the notification carried). */
  clientId: string;
  privateKey: KeyInput;
  /** The request's method. Default `POST`. */
  method?: string;
  /** The request's path, as the sender sent it. */
  path: string;
  now?: Clock;
  algorithm?: Algorithm;
  keyVersion?: number | string;
}

/**
 * A signed response, framework-agnostic: write `headers` and send `body` byte for byte. The header names are
 * lowercase, as the platform sends them: the official Python and PHP SDKs look `client-id`, `response-time` and
 * `signature` up by their exact lowercase names, and HTTP/2 allows no other case.
 * @throws KeyFormatError; OpenApiError `INVALID_ARGUMENT`.
 */
export function signedResponse(options: SignedResponseOptions): { headers: Record<string, string>; body: string } {
  const { body, time, signOptions } = responseToSign(options);
  return { headers: responseHeaders(options.clientId, time, sign(signOptions)), body };
}

/** `signedResponse` with the signature computed in libuv's thread pool: the same checks, errors, headers and body. */
export async function signedResponseAsync(
  options: SignedResponseOptions,
): Promise<{ headers: Record<string, string>; body: string }> {
  const { body, time, signOptions } = responseToSign(options);
  return { headers: responseHeaders(options.clientId, time, await signAsync(signOptions)), body };
}

/** The body, the `Response-Time` (read from the clock once) and what `sign` gets. */
function responseToSign(options: SignedResponseOptions): { body: string; time: string; signOptions: SignOptions } {
  const body = responseBody(options);
  const time = formatRequestTime(readClock(options.now));
  return {
    body,
    time,
    signOptions: signOptionsFor(options, time, body),
  };
}

function responseHeaders(clientId: string, time: string, signature: string): Record<string, string> {
  return {
    'content-type': 'application/json; charset=UTF-8',
    'client-id': clientId,
    'response-time': time,
    signature,
  };
}

export interface VerifyResponseOptions {
  headers: HeadersInput;
  /** The raw response body exactly as received. */
  rawBody: RawBody;
  /** The request's method. Default `POST`. */
  method?: string;
  /** The request's path as sent, including the prefix. */
  path: string;
  /** The responder's public key (for wallet answers: the wallet's). */
  publicKey: KeyInput;
  /** When given, the response's Client-Id must be this one. */
  clientId?: string;
  /** The HTTP status, for messages. */
  httpStatus?: number;
}

/**
 * Verifies a signed response and returns its parsed body. Nothing in an unsigned or badly signed answer is believed.
 * @throws ProtocolError `NOT_JSON` (checked first: an HTML page has no signature to speak of); SignatureError
 *   `MISSING_HEADER`, `MALFORMED_HEADER` (also for a Response-Time in none of the `ACCEPTED_TIME_FORMS`), `INVALID_SIGNATURE`; KeyFormatError; OpenApiError `BODY_NOT_RAW`.
 */
export function verifyResponse(options: VerifyResponseOptions): unknown {
  const { body, message } = readSignedResponse(options);
  checkSignature(message, 'response');
  return body;
}

/**
 * `verifyResponse` with the signature verified in libuv's thread pool: the same checks in the same order, the same
 * errors (as rejections), the same parsed body.
 */
export async function verifyResponseAsync(options: VerifyResponseOptions): Promise<unknown> {
  const { body, message } = readSignedResponse(options);
  await checkSignatureAsync(message, 'response');
  return body;
}

/** The checks before the signature: the body is JSON, the headers are there, the Client-Id is the one expected. */
function readSignedResponse(options: VerifyResponseOptions): { body: unknown; message: SignedMessage } {
  const { headers, rawBody, path, publicKey } = options;
  const method = options.method ?? 'POST';
  assertRawBody(rawBody, 'rawBody');
  const body = parseJsonBody(rawBodyText(rawBody), 'the response body', options.httpStatus);
  const clientId = requireHeader(headers, 'Client-Id');
  const [time] = requireTime(headers, 'Response-Time');
  const signature = requireHeader(headers, 'Signature');
  if (options.clientId !== undefined && clientId !== options.clientId) {
    throw new SignatureError(
      `the response is for Client-Id ${JSON.stringify(clientId)}, not ${JSON.stringify(options.clientId)}`,
      {
        code: 'INVALID_SIGNATURE',
      },
    );
  }
  return { body, message: { method, path, clientId, time, body: rawBody, signature, publicKey } };
}

/**
 * The body to sign. Only an absent `result` means SUCCESS: a `null` one (a lookup that found nothing) must not
 * tell the wallet to stop retrying. @throws OpenApiError `INVALID_ARGUMENT`.
 */
function responseBody({ result, body }: SignedResponseOptions): string {
  const invalid = (message: string) => new OpenApiError(message, { code: 'INVALID_ARGUMENT' });
  if (body !== undefined) {
    if (result !== undefined) throw invalid('pass result or body, not both');
    if (typeof body === 'string') return body;
    if (typeof body !== 'object' || body === null) throw invalid('body must be an object or a JSON string');
    return JSON.stringify(body);
  }
  if (result === undefined) return JSON.stringify({ result: SUCCESS_RESULT });
  const { resultCode, resultStatus, resultMessage } = (result ?? {}) as Partial<Record<keyof Result, unknown>>;
  if (
    typeof result !== 'object' ||
    typeof resultCode !== 'string' ||
    resultCode === '' ||
    !isResultStatus(resultStatus) ||
    (resultMessage !== undefined && typeof resultMessage !== 'string')
  ) {
    throw invalid(
      'result must be { resultCode, resultStatus, resultMessage? }: a non-empty code and one of S, F, U, A, R',
    );
  }
  return JSON.stringify({ result: orderedResult(result) });
}

function orderedResult(result: Result): Result {
  // The wire's own field order, as the seed's acknowledgement example writes it.
  return {
    resultCode: result.resultCode,
    resultStatus: result.resultStatus,
    ...(result.resultMessage === undefined ? {} : { resultMessage: result.resultMessage }),
  } as Result;
}
