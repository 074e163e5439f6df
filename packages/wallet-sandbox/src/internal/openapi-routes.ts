// The wallet side of the OpenAPI (docs/PROTOCOL.md §4–§5): every request's signature is verified against the
// registered merchant key, every answer (errors included) is signed with the wallet key and sent with HTTP 200:
// the `result` carries the status. A refused request gets the signature doctor's short diagnosis as its
// resultMessage; the request log keeps the whole diagnosis with the request and its answer.
import {
  describeSignedContent,
  diagnoseRequest,
  formatDiagnosis,
  parseSignatureHeader,
  signedResponseAsync,
  verifyRequestAsync,
  OpenApiError,
  type CheckedContent,
  type Result,
  type SignatureDiagnosis,
} from '@minipay/openapi';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Faults } from '../faults';
import type { SandboxContext } from './context';
import type { Payment } from './payments';
import { GLOBAL_FAULTS } from './state-store';
import { loggedBody, maskHeaders, type Verdict } from './request-log';
import { validateApplyToken, validatePay, validatePaymentReference, validateRefund, InvalidField } from './validate';

export type Answer = { result: Result } & Record<string, unknown>;
type Handler = (body: unknown, clientId: string) => Answer;

/** docs/PROTOCOL.md §4.4: `resultMessage` is at most 256 characters. */
export function failed(resultCode: string, resultMessage: string): Answer {
  const message = resultMessage.length > 256 ? `${resultMessage.slice(0, 253)}...` : resultMessage;
  return { result: { resultStatus: 'F', resultCode, resultMessage: message } };
}

function unknown(resultCode: string, resultMessage: string): Answer {
  return { result: { resultStatus: 'U', resultCode, resultMessage } };
}

/**
 * The payment's own `refundResult` fault, else the global one, counted down as it is used (`refundResultTimes`,
 * default 1) and removed when spent.
 */
function takeRefundFault(payment: Payment, context: SandboxContext): 'U' | 'F' | undefined {
  const own = payment.faults?.refundResult !== undefined;
  const set = own ? (payment.faults as Faults) : context.faults.global;
  const result = set.refundResult;
  if (result === undefined) return undefined;
  const left = (set.refundResultTimes ?? 1) - 1;
  if (left > 0) set.refundResultTimes = left;
  else {
    delete set.refundResult;
    delete set.refundResultTimes;
  }
  // What is left of the fault is state like the rest: a restart must not give back a fault already spent.
  context.store.saveFaults(own ? payment.paymentId : GLOBAL_FAULTS, set);
  return result;
}

function succeeded(fields: Record<string, unknown>): Answer {
  return { result: { resultStatus: 'S', resultCode: 'SUCCESS', resultMessage: 'success' }, ...fields };
}

function header(request: FastifyRequest, name: string): string | undefined {
  const value = request.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

/** The body's bytes exactly as received (the sandbox parses every body as a Buffer), '' when there was none. */
function rawBodyOf(request: FastifyRequest): Buffer {
  const body: unknown = request.body;
  if (Buffer.isBuffer(body)) return body;
  return Buffer.from(typeof body === 'string' ? body : '', 'utf8');
}

/** What the request log records about a call's check: the verdict, and for a refusal the doctor's diagnosis. */
export interface CallCheck {
  verdict: Verdict;
  clientId: string | null;
  content: CheckedContent | null;
  diagnosis: SignatureDiagnosis | null;
}

/** A call that never reached the signature check (a body over the limit, a malformed URL). */
const UNREAD: CallCheck = { verdict: 'unread', clientId: null, content: null, diagnosis: null };

/** Whether a request is addressed to the OpenAPI (under the path prefix), whose every answer is a signed result. */
export function isOpenApiRequest(context: SandboxContext, url: string): boolean {
  return url.startsWith(`${context.pathPrefix}/`);
}

/**
 * Sends a wallet answer: signed over the request's method and path with the wallet key (in libuv's thread pool, so
 * other requests go on meanwhile), HTTP 200 (the `result` carries the status), logged as the call's one line (path,
 * client id, result, ms since `startedMs`) and recorded in the request log with `check`. The path is the origin
 * form: the server rewrote an absolute-form target.
 */
export async function sendWalletAnswer(
  context: SandboxContext,
  request: FastifyRequest,
  reply: FastifyReply,
  body: Answer,
  startedMs: number,
  check: CallCheck = UNREAD,
): Promise<FastifyReply> {
  const path = request.url;
  const clientIdHeader = header(request, 'client-id');
  const signed = await signedResponseAsync({
    body,
    clientId: clientIdHeader || context.clientId,
    privateKey: context.walletPrivateKey,
    keyVersion: context.walletKeyVersion,
    method: request.method,
    path,
    now: context.now(),
  });
  const durationMs = Math.round(performance.now() - startedMs);
  context.log(
    `${request.method} ${path.split('?')[0]} client=${clientIdHeader ?? '-'} ${body.result.resultStatus} ${body.result.resultCode} ${durationMs}ms`,
  );
  const requestBody = loggedBody(rawBodyOf(request).toString('utf8'));
  const answerBody = loggedBody(signed.body);
  context.requestLog.add({
    at: context.formatTime(context.now()),
    method: request.method,
    path,
    target: request.originalUrl === path ? null : request.originalUrl,
    clientId: check.clientId ?? clientIdHeader ?? null,
    verdict: check.verdict,
    content: check.content,
    diagnosis: check.diagnosis,
    diagnosisText: check.diagnosis ? formatDiagnosis(check.diagnosis) : null,
    request: { headers: maskHeaders(request.raw.rawHeaders), ...requestBody },
    answer: { status: 200, headers: signed.headers, ...answerBody, result: body.result },
    durationMs,
  });
  return reply.code(200).headers(signed.headers).send(signed.body);
}

const LOG_HINT = ' (details: GET /sandbox/requests)';

/** The doctor's summary, pointing at the request log when the 256 characters allow it. */
function withLogHint(summary: string): string {
  return summary.length + LOG_HINT.length <= 256 ? summary + LOG_HINT : summary;
}

export function registerOpenApiRoutes(app: FastifyInstance, context: SandboxContext): void {
  const { payments, authorizations } = context;

  const handlers: Record<string, Handler> = {
    '/v2/payments/pay': (body, clientId) => {
      const request = validatePay(body, context.now().getTime());
      const created = payments.create(request, clientId);
      if (created.kind === 'inconsistent') {
        return failed(
          'REPEAT_REQ_INCONSISTENT',
          `paymentRequestId ${request.paymentRequestId} was already used with different content ` +
            '(only paymentExpiryTime and order.orderCreateTime may differ between retries)',
        );
      }
      return created.payment.payResponse as Answer;
    },

    '/v2/payments/inquiryPayment': (body, clientId) => {
      const payment = payments.find(validatePaymentReference(body), clientId);
      if (!payment) return failed('ORDER_NOT_EXIST', 'The payment does not exist.');
      return succeeded({
        paymentId: payment.paymentId,
        paymentRequestId: payment.paymentRequestId,
        paymentStatus: payment.status,
        paymentAmount: payment.request.paymentAmount,
        ...(payment.paymentTime ? { paymentTime: context.formatTime(payment.paymentTime) } : {}),
        ...(payment.status === 'FAIL' && payment.finalResult
          ? {
              paymentFailReason: {
                resultCode: payment.finalResult.resultCode,
                resultMessage: payment.finalResult.resultMessage,
              },
            }
          : {}),
        ...(payment.request.extendInfo === undefined ? {} : { extendInfo: payment.request.extendInfo }),
      });
    },

    '/v2/payments/cancel': (body, clientId) => {
      const payment = payments.find(validatePaymentReference(body), clientId);
      if (!payment) return failed('ORDER_NOT_EXIST', 'The payment does not exist.');
      const cancelled = payments.cancel(payment);
      if ('error' in cancelled) return failed(cancelled.error, cancelled.message);
      return succeeded({
        paymentId: payment.paymentId,
        paymentRequestId: payment.paymentRequestId,
        cancelTime: context.formatTime(payment.finishedAt ?? context.now()),
      });
    },

    '/v2/payments/refund': (body, clientId) => {
      const request = validateRefund(body);
      // The refundResult fault answers this one refund U or F, then is gone (from the payment, else the global set).
      const payment = payments.find(request, clientId);
      const fault = payment === undefined ? undefined : takeRefundFault(payment, context);
      if (fault === 'F') return failed('PROCESS_FAIL', 'The refund failed (sandbox fault refundResult=F).');
      const refunded = payments.refund(request, clientId);
      if (fault === 'U')
        return unknown('UNKNOWN_EXCEPTION', 'The refund result is unknown (sandbox fault refundResult=U).');
      if (refunded.kind === 'error') return failed(refunded.resultCode, refunded.message);
      return succeeded({
        refundId: refunded.refund.refundId,
        refundRequestId: refunded.refund.refundRequestId,
        paymentId: refunded.payment.paymentId,
        refundAmount: refunded.refund.refundAmount,
        refundTime: refunded.refund.refundTime,
      });
    },

    '/v2/authorizations/applyToken': (body) => {
      const request = validateApplyToken(body);
      const granted =
        request.grantType === 'AUTHORIZATION_CODE'
          ? authorizations.exchangeCode(request.authCode as string)
          : authorizations.refresh(request.refreshToken as string);
      if (!granted.ok) return failed(granted.resultCode, granted.message);
      const grant = granted.grant;
      return succeeded({
        accessToken: grant.accessToken,
        accessTokenExpiryTime: context.formatTime(grant.accessTokenExpiryTime),
        refreshToken: grant.refreshToken,
        refreshTokenExpiryTime: context.formatTime(grant.refreshTokenExpiryTime),
        customerId: grant.customerId,
      });
    },
  };

  for (const [api, handler] of Object.entries(handlers)) {
    app.post(context.pathPrefix + api, (request, reply) => answer(request, reply, handler));
  }

  // Anything else under the prefix is a wallet answer too (signed F INVALID_API), so a merchant with a typo in
  // its path gets a diagnosis instead of an unsigned 404 page.
  app.setNotFoundHandler((request, reply) => {
    if (isOpenApiRequest(context, request.url)) {
      return answer(request, reply, () =>
        failed(
          'INVALID_API',
          `${request.method} ${request.url.split('?')[0]} is not an API of this wallet; see the sandbox README`,
        ),
      );
    }
    return reply
      .code(404)
      .send({ error: { code: 'NOT_FOUND', message: `${request.method} ${request.url} is not a sandbox page or API` } });
  });

  async function answer(request: FastifyRequest, reply: FastifyReply, handler: Handler): Promise<FastifyReply> {
    const started = performance.now();
    const checked = await authenticate(request);
    const body = 'answer' in checked ? checked.answer : run(request, handler, checked.body, checked.clientId);
    return sendWalletAnswer(context, request, reply, body, started, checked.check);
  }

  /** The verified body, or the F answer when the request cannot be believed; with what the request log records. */
  async function authenticate(
    request: FastifyRequest,
  ): Promise<{ body: unknown; clientId: string; check: CallCheck } | { answer: Answer; check: CallCheck }> {
    const path = request.url;
    const rawBody = rawBodyOf(request);
    const clientId = header(request, 'client-id');
    const signature = header(request, 'signature');
    const content = describeSignedContent({
      method: request.method,
      path,
      clientId,
      time: header(request, 'request-time'),
      signature,
      body: rawBody,
    });
    const check = (verdict: Verdict, diagnosis: SignatureDiagnosis | null): CallCheck => ({
      verdict,
      clientId: clientId ?? null,
      content,
      diagnosis,
    });
    /** F `resultCode`; the message is `message`, or the doctor's summary when `message` is undefined. */
    const refuse = (resultCode: string, message?: string) => {
      const diagnosis = diagnose(request, rawBody);
      return {
        answer: failed(resultCode, message ?? withLogHint(diagnosis.summary)),
        check: check('refused', diagnosis),
      };
    };
    if (!clientId) return refuse('PARAM_ILLEGAL', 'the Client-Id header is required');
    if (clientId !== context.clientId) {
      return refuse(
        'ACCESS_DENIED',
        `Client-Id ${clientId} is not registered at this sandbox; the registered client is ${context.clientId} (config.json in ${context.home})`,
      );
    }
    if (!signature) return refuse('INVALID_SIGNATURE', 'the Signature header is missing: every request must be signed');
    const parsedSignature = parseSignatureHeader(signature);
    const keyVersion = parsedSignature?.keyVersion;
    if (keyVersion !== undefined && keyVersion !== '1') {
      return refuse('KEY_NOT_FOUND', `the sandbox holds key version 1 of ${clientId}, not keyVersion=${keyVersion}`);
    }
    try {
      const verified = await verifyRequestAsync({
        headers: request.headers,
        rawBody,
        publicKey: (id) => (id === context.clientId ? context.merchantPublicKey : undefined),
        method: request.method,
        path,
        now: context.now(),
      });
      return { body: verified.body, clientId, check: check('verified', null) };
    } catch (error) {
      if (!(error instanceof OpenApiError)) throw error;
      switch (error.code) {
        case 'INVALID_SIGNATURE':
          return refuse('INVALID_SIGNATURE');
        case 'MALFORMED_HEADER':
          // Either the Signature header (not a signature at all) or Request-Time (none of the accepted forms).
          return refuse(parsedSignature === undefined ? 'INVALID_SIGNATURE' : 'PARAM_ILLEGAL');
        case 'REQUEST_TIME_OUTSIDE_WINDOW':
          return refuse('PARAM_ILLEGAL');
        case 'KEY_NOT_FOUND':
          return refuse('ACCESS_DENIED', error.message);
        case 'NOT_JSON':
        case 'MALFORMED_BODY':
          // The signature verified: the merchant signed a body that is not JSON.
          return { answer: failed('PARAM_ILLEGAL', 'the body must be a JSON object'), check: check('verified', null) };
        default:
          // MISSING_HEADER (Request-Time): the message names the header.
          return refuse('PARAM_ILLEGAL', error.message);
      }
    }
  }

  /** The doctor's diagnosis of a refused request, with the keys this sandbox knows. */
  function diagnose(request: FastifyRequest, rawBody: Buffer): SignatureDiagnosis {
    return diagnoseRequest({
      headers: request.headers,
      rawBody,
      method: request.method,
      path: request.url,
      publicKey: context.merchantPublicKey,
      keyName: `merchant-public.pem (${context.clientId})`,
      otherKeys: [{ name: 'wallet-public.pem', key: context.walletPublicKey }],
      prefixes: [context.pathPrefix],
      now: context.now(),
    });
  }

  function run(request: FastifyRequest, handler: Handler, body: unknown, clientId: string): Answer {
    try {
      return handler(body, clientId);
    } catch (error) {
      if (error instanceof InvalidField) return failed('PARAM_ILLEGAL', error.message);
      context.log(`internal error in ${request.url}: ${error instanceof Error ? error.message : String(error)}`);
      return {
        result: {
          resultStatus: 'U',
          resultCode: 'UNKNOWN_EXCEPTION',
          resultMessage: 'The sandbox failed unexpectedly; inquire or retry.',
        },
      };
    }
  }
}
