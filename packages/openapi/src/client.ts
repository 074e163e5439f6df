// The merchant's side of the payment OpenAPIs (docs/PROTOCOL.md §5): every request signed, every answer verified with the
// wallet's public key before anything in it is believed, wallet answers returned as values, everything else thrown.
import type { KeyObject } from 'node:crypto';
import { OpenApiError, ProtocolError, TimeoutError, TransportError } from './errors';
import { readResult } from './internal/result';
import { describeNetworkError } from './network-error';
import { decideRetry, type AttemptOutcome, type RetryPolicy } from './internal/retry';
import { formatKeyVersion, KEY_VERSION_RULE } from './internal/signature-header';
import { assertKeyFits, parsePrivateKey, parsePublicKey, type Algorithm, type KeyInput } from './keys';
import { signRequestAsync } from './request';
import { verifyResponseAsync } from './response';
import type {
  ApplyTokenRequest,
  ApplyTokenResponse,
  CancelPaymentRequest,
  CancelPaymentResponse,
  InquiryPaymentRequest,
  InquiryPaymentResponse,
  PayRequest,
  PayResponse,
  RefundRequest,
  RefundResponse,
} from './types';

/**
 * A verified wallet answer. `status`: `S` success, `A` accepted (go on, e.g. to the cashier; the wire's `R` is
 * folded in), `U` unknown (retried already; inquire or wait for the notification, never treat as failed),
 * `F` failed. `code`/`message` are the wire's `resultCode`/`resultMessage`; `data` is the whole response body.
 */
export interface OpenApiResult<T> {
  status: 'S' | 'A' | 'U' | 'F';
  code: string;
  message: string;
  data: T;
}

export interface OpenApiClientOptions {
  /** The wallet's OpenAPI origin, e.g. `https://open.wallet.example` or `http://127.0.0.1:8210`. */
  baseUrl: string;
  /** The wallet's path prefix before `/v2/...`; differs by wallet (GCash `/api`, TNG `/acl/api`). Default `/api/open`. */
  pathPrefix?: string;
  /** Your `Client-Id` at the wallet. */
  clientId: string;
  /** Your private key (you gave the wallet its public key). */
  privateKey: KeyInput;
  /** The wallet's public key, to verify every answer. */
  walletPublicKey: KeyInput;
  /** Default `RSA256`. */
  algorithm?: Algorithm;
  /** Default 1. */
  keyVersion?: number | string;
  /** Per attempt, until the whole answer is read. Default 10000. */
  timeoutMs?: number;
  /** Retries after the first attempt for transport failures, timeouts and `U`. Default 2. */
  maxRetries?: number;
  /** Backoff: `{ initialMs = 500, maxMs = 5000 }` (doubling, capped, with jitter) or an explicit list of ms. */
  retryDelays?: { initialMs?: number; maxMs?: number } | readonly number[];
  /** Default the global `fetch`. */
  fetch?: typeof fetch;
  /** The clock for `Request-Time`. Default the system clock. */
  now?: () => Date;
  /** How to wait between attempts (tests make it instant). */
  sleep?: (ms: number) => Promise<void>;
  /** The jitter source, a number in [0, 1). Default `Math.random`. */
  random?: () => number;
}

const MAX_TIMER_MS = 2 ** 31 - 1;

const defaultSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export class OpenApiClient {
  readonly #baseUrl: string;
  readonly #pathPrefix: string;
  readonly #clientId: string;
  readonly #privateKey: KeyObject;
  readonly #walletPublicKey: KeyObject;
  readonly #algorithm: Algorithm;
  readonly #keyVersion: number | string;
  readonly #timeoutMs: number;
  readonly #policy: RetryPolicy;
  readonly #fetch: typeof fetch;
  readonly #now: () => Date;
  readonly #sleep: (ms: number) => Promise<void>;
  readonly #random: () => number;

  /** @throws OpenApiError `INVALID_ARGUMENT` naming the option; KeyFormatError for a key that does not parse. */
  constructor(options: OpenApiClientOptions) {
    if (!options || typeof options !== 'object') invalid('OpenApiClient needs an options object');
    let base: URL;
    try {
      base = new URL(options.baseUrl);
    } catch {
      // Echoed to help, but never with credentials in it.
      invalid(
        `baseUrl must be an absolute http(s) URL, got ${JSON.stringify(String(options.baseUrl).replace(/\/\/[^/]*@/, '//***@'))}`,
      );
    }
    if (base.protocol !== 'http:' && base.protocol !== 'https:') invalid('baseUrl must be an http or https URL');
    // Error messages carry the URL, and fetch refuses one with credentials anyway.
    if (base.username || base.password) invalid('baseUrl must not carry credentials (user:password@)');
    // The API path is appended to baseUrl: a query or fragment would swallow it, and the signed path would be wrong.
    if (base.search || base.hash)
      invalid('baseUrl must be an origin with an optional path, without a query or fragment');
    if (typeof options.clientId !== 'string' || options.clientId === '')
      invalid('clientId is required (your Client-Id at the wallet)');
    const prefix = options.pathPrefix ?? '/api/open';
    if (typeof prefix !== 'string' || (prefix !== '' && !prefix.startsWith('/')) || /[?#]/.test(prefix)) {
      invalid('pathPrefix must start with "/" (e.g. /api/open) or be empty, without a query or fragment');
    }
    this.#baseUrl = base.href.replace(/\/+$/, '');
    this.#pathPrefix = prefix.replace(/\/+$/, '');
    this.#clientId = options.clientId;
    this.#algorithm = options.algorithm ?? 'RSA256';
    if (this.#algorithm !== 'RSA256' && this.#algorithm !== 'ECC224') invalid("algorithm must be 'RSA256' or 'ECC224'");
    this.#privateKey = parsePrivateKey(options.privateKey, 'privateKey');
    assertKeyFits(this.#privateKey, this.#algorithm, 'privateKey');
    this.#walletPublicKey = parsePublicKey(options.walletPublicKey, 'walletPublicKey');
    this.#keyVersion = options.keyVersion ?? 1;
    // Checked here so that a bad value fails at start-up, not on the first payment.
    if (formatKeyVersion(this.#keyVersion) === undefined) invalid(KEY_VERSION_RULE);
    const timeoutMs = options.timeoutMs ?? 10_000;
    // setTimeout fires at once for a delay past 2^31 - 1 ms, and 0 would abort every attempt before it is sent.
    if (typeof timeoutMs !== 'number' || !(timeoutMs > 0 && timeoutMs <= MAX_TIMER_MS)) {
      invalid(`timeoutMs must be a number of milliseconds > 0 and at most ${MAX_TIMER_MS}`);
    }
    this.#timeoutMs = timeoutMs;
    const maxRetries = options.maxRetries ?? 2;
    if (!Number.isSafeInteger(maxRetries) || maxRetries < 0) invalid('maxRetries must be a whole number >= 0');
    const delays = options.retryDelays;
    this.#policy = {
      maxRetries,
      initialDelayMs: Array.isArray(delays)
        ? 0
        : nonNegative((delays as { initialMs?: number } | undefined)?.initialMs ?? 500, 'retryDelays.initialMs'),
      maxDelayMs: Array.isArray(delays)
        ? 0
        : nonNegative((delays as { maxMs?: number } | undefined)?.maxMs ?? 5_000, 'retryDelays.maxMs'),
      ...(Array.isArray(delays) ? { delays: delays.map((d, i) => nonNegative(d, `retryDelays[${i}]`)) } : {}),
    };
    const fetchImpl = options.fetch ?? globalThis.fetch;
    if (typeof fetchImpl !== 'function') invalid('no fetch: pass options.fetch (Node 18+ has a global fetch)');
    this.#fetch = fetchImpl;
    this.#now = options.now ?? (() => new Date());
    this.#sleep = options.sleep ?? defaultSleep;
    this.#random = options.random ?? Math.random;
  }

  /** `POST /v2/payments/pay`. `A` → send the user to the cashier; `U` → inquire or wait; `F` → it will not succeed. */
  async pay(request: PayRequest): Promise<OpenApiResult<PayResponse>> {
    requireString(request?.paymentRequestId, 'paymentRequestId', 64);
    requireAmount(request.paymentAmount, 'paymentAmount');
    return this.#call<PayResponse>('/v2/payments/pay', request);
  }

  /**
   * `POST /v2/payments/inquiryPayment` by `paymentId` or `paymentRequestId`.
   * @throws ProtocolError `MALFORMED_BODY` when the answer names another payment than the one asked about.
   */
  async inquiryPayment(request: InquiryPaymentRequest): Promise<OpenApiResult<InquiryPaymentResponse>> {
    requireReference(request);
    const answer = await this.#call<InquiryPaymentResponse>('/v2/payments/inquiryPayment', request);
    // A response's signature does not cover the request it answers: a captured SUCCESS about one payment, replayed
    // (or misrouted) as the answer about another, verifies. The ids it carries are what tie it to this question.
    for (const field of ['paymentId', 'paymentRequestId'] as const) {
      const asked = request[field];
      const told = (answer.data as Partial<InquiryPaymentResponse> | undefined)?.[field];
      if (typeof asked === 'string' && typeof told === 'string' && asked !== told) {
        throw new ProtocolError(
          `the inquiry answer is about another payment: "${field}" is ${JSON.stringify(told)}, not ${JSON.stringify(asked)} (a replayed or misrouted response)`,
          { code: 'MALFORMED_BODY' },
        );
      }
    }
    return answer;
  }

  /** `POST /v2/payments/cancel` by `paymentId` or `paymentRequestId` (paymentId wins). */
  async cancelPayment(request: CancelPaymentRequest): Promise<OpenApiResult<CancelPaymentResponse>> {
    requireReference(request);
    return this.#call<CancelPaymentResponse>('/v2/payments/cancel', request);
  }

  /** `POST /v2/payments/refund`; retries reuse `refundRequestId`. */
  async refund(request: RefundRequest): Promise<OpenApiResult<RefundResponse>> {
    requireString(request?.refundRequestId, 'refundRequestId', 64);
    requireReference(request);
    requireAmount(request.refundAmount, 'refundAmount');
    return this.#call<RefundResponse>('/v2/payments/refund', request);
  }

  /** `POST /v2/authorizations/applyToken`. Keep the access token on the server. */
  async applyToken(request: ApplyTokenRequest): Promise<OpenApiResult<ApplyTokenResponse>> {
    if (request?.grantType !== 'AUTHORIZATION_CODE' && request?.grantType !== 'REFRESH_TOKEN') {
      invalid("grantType must be 'AUTHORIZATION_CODE' or 'REFRESH_TOKEN'");
    }
    if (request.grantType === 'AUTHORIZATION_CODE') requireString(request.authCode, 'authCode');
    else requireString(request.refreshToken, 'refreshToken');
    return this.#call<ApplyTokenResponse>('/v2/authorizations/applyToken', request);
  }

  async #call<T>(apiPath: string, request: object): Promise<OpenApiResult<T>> {
    const url = `${this.#baseUrl}${this.#pathPrefix}${apiPath}`;
    const path = new URL(url).pathname;
    // Serialised once: every retry sends these exact bytes, so the same request id with the same content.
    const body = JSON.stringify(request);
    for (let retries = 0; ; retries++) {
      let outcome: AttemptOutcome;
      let result: OpenApiResult<T> | undefined;
      let failure: unknown;
      try {
        result = await this.#attempt<T>(url, path, body);
        outcome = { kind: 'result', status: result.status };
      } catch (error) {
        failure = error;
        outcome =
          error instanceof TimeoutError
            ? { kind: 'timeout' }
            : error instanceof TransportError
              ? { kind: 'transport' }
              : { kind: 'error' };
      }
      const decision = decideRetry(outcome, retries, this.#policy, this.#random);
      if (!decision.retry) {
        if (result) return result;
        throw failure;
      }
      await this.#sleep(decision.delayMs);
    }
  }

  async #attempt<T>(url: string, path: string, body: string): Promise<OpenApiResult<T>> {
    // Signed and verified in libuv's thread pool: the event loop serves other requests while the key works.
    const headers = await signRequestAsync({
      path,
      clientId: this.#clientId,
      body,
      privateKey: this.#privateKey,
      algorithm: this.#algorithm,
      keyVersion: this.#keyVersion,
      now: this.#now,
    });
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), this.#timeoutMs);
    let response: Response;
    let text: string;
    try {
      response = await this.#fetch(url, { method: 'POST', headers, body, signal: controller.signal });
      text = await response.text();
    } catch (error) {
      if (controller.signal.aborted) {
        throw new TimeoutError(`POST ${url} got no complete answer within ${this.#timeoutMs} ms`, {
          code: 'TIMEOUT',
          cause: error,
        });
      }
      throw new TransportError(`POST ${url} failed: ${describeNetworkError(error)}`, {
        code: 'NETWORK_ERROR',
        cause: error,
      });
    } finally {
      clearTimeout(timer);
    }
    const httpStatus = response.status;
    if (
      (httpStatus === 502 || httpStatus === 503 || httpStatus === 504) &&
      (!looksLikeJson(text) || !response.headers.has('signature'))
    ) {
      // A gateway's error page (HTML or its own unsigned JSON): the wallet was not reached or did not answer;
      // safe to retry with the same body.
      throw new TransportError(`POST ${url} got HTTP ${httpStatus} from a gateway, not a wallet answer`, {
        code: 'BAD_GATEWAY',
      });
    }
    const data = await verifyResponseAsync({
      headers: response.headers,
      rawBody: text,
      path,
      publicKey: this.#walletPublicKey,
      // The Client-Id is inside the signed content: an answer signed for another merchant is not ours.
      clientId: this.#clientId,
      httpStatus,
    });
    const wire = readResult(data, 'result', httpStatus);
    return {
      status: wire.resultStatus === 'R' ? 'A' : wire.resultStatus,
      code: wire.resultCode,
      message: wire.resultMessage ?? '',
      data: data as T,
    };
  }
}

function invalid(message: string): never {
  throw new OpenApiError(message, { code: 'INVALID_ARGUMENT' });
}

function nonNegative(value: unknown, name: string): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) invalid(`${name} must be a number >= 0`);
  return value;
}

function requireString(value: unknown, name: string, max?: number): void {
  if (typeof value !== 'string' || value === '') invalid(`${name} is required (a non-empty string)`);
  if (max !== undefined && value.length > max) invalid(`${name} is at most ${max} characters`);
}

function requireAmount(value: unknown, name: string): void {
  const amount = value as { currency?: unknown; value?: unknown } | undefined;
  // The same rule readAmount applies to what the wallet sends: an ISO 4217 code, minor units as a string.
  if (
    !amount ||
    typeof amount.currency !== 'string' ||
    !/^[A-Z]{3}$/.test(amount.currency) ||
    typeof amount.value !== 'string' ||
    !/^\d+$/.test(amount.value)
  ) {
    invalid(
      `${name} must be { currency: "USD", value: "10000" }: an ISO 4217 currency code and an integer number of minor units as a string`,
    );
  }
}

function requireReference(value: { paymentId?: unknown; paymentRequestId?: unknown } | undefined): void {
  const ok = (v: unknown) => typeof v === 'string' && v !== '';
  if (!value || (!ok(value.paymentId) && !ok(value.paymentRequestId)))
    invalid('paymentId or paymentRequestId is required');
}

function looksLikeJson(text: string): boolean {
  const start = text.trimStart()[0];
  return start === '{' || start === '[';
}
