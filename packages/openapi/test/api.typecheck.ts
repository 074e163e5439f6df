// Type-level tests, proven by `npm run typecheck -w @minipay/openapi` (never executed).
import {
  OpenApiClient,
  sign,
  verifyAsync,
  verifyNotification,
  verifyNotificationAsync,
  type NotifyPaymentRequest,
  type OpenApiResult,
  type PayResponse,
} from '@minipay/openapi';

// A switch over a result's status must handle S, A, U and F; nothing else can come.
export function nextStep(result: OpenApiResult<PayResponse>): string {
  switch (result.status) {
    case 'S':
      return 'paid';
    case 'A':
      return result.data.redirectActionForm?.redirectionUrl ?? 'cashier';
    case 'U':
      return 'inquire';
    case 'F':
      return `failed: ${result.code}`;
    default: {
      const unreachable: never = result.status;
      return unreachable;
    }
  }
}

// @ts-expect-error R is folded into A: a result never says R
export const folded: OpenApiResult<PayResponse>['status'] = 'R';

export function misuse(client: OpenApiClient): void {
  // @ts-expect-error the body is the raw string that travels, never an object
  sign({ method: 'POST', path: '/p', clientId: 'C', time: 't', body: { a: 1 }, privateKey: '' });
  void client.pay({
    paymentRequestId: 'r',
    // @ts-expect-error amounts are strings of minor units, not numbers
    paymentAmount: { currency: 'USD', value: 100 },
    order: { referenceOrderId: 'o', orderDescription: 'd', orderAmount: { currency: 'USD', value: '100' } },
  });
  // @ts-expect-error a notification handler must say which path the wallet signed
  verifyNotification({ headers: {}, rawBody: '', publicKey: '' });
}

export const typed: (n: NotifyPaymentRequest) => string = (n) => n.paymentResult.resultStatus;

// A diagnosis is a union on `cause`: a switch must handle every cause, and each carries its own evidence.
export function advice(diagnosis: import('@minipay/openapi').SignatureDiagnosis): string {
  switch (diagnosis.cause) {
    case 'VERIFIED':
      return 'ok';
    case 'MISSING_HEADER':
      return `send ${diagnosis.header}`;
    case 'TIME_OUTSIDE_WINDOW':
      return `clock off by ${diagnosis.skewSeconds} s (window ${diagnosis.toleranceSeconds} s)`;
    case 'WRONG_KEY':
      return diagnosis.keyThatVerifies?.fingerprint ?? 'unknown key';
    case 'PATH_PREFIX_MISSING':
    case 'PATH_PREFIX_EXTRA':
    case 'PATH_DIFFERS':
      return `sign ${diagnosis.signedPath}`;
    case 'BODY_RESERIALISED':
      return diagnosis.signedLayout;
    case 'CLIENT_ID_MISMATCH':
      return diagnosis.expectedClientId;
    case 'MALFORMED_SIGNATURE_HEADER':
    case 'TIME_FORMAT_NOT_ACCEPTED':
    case 'SIGNATURE_NOT_URL_DECODED':
    case 'SIGNATURE_PLUS_AS_SPACE':
    case 'UNKNOWN_KEY':
    case 'ALGORITHM_KEY_MISMATCH':
    case 'BODY_CHANGED':
    case 'UNEXPLAINED':
      return diagnosis.summary;
    default: {
      const unreachable: never = diagnosis;
      return unreachable;
    }
  }
}

export function evidenceBelongsToItsCause(diagnosis: import('@minipay/openapi').SignatureDiagnosis): void {
  // @ts-expect-error signedPath exists only on the PATH_* causes
  void diagnosis.signedPath;
}

// The pooled forms answer promises: a verdict used without `await` is a type error, not an always-truthy promise.
export async function pooled(options: import('@minipay/openapi').VerifyOptions): Promise<boolean> {
  const verdict: boolean = await verifyAsync(options);
  // @ts-expect-error a Promise<boolean> is not a boolean: the await is missing
  const forgotten: boolean = verifyAsync(options);
  // @ts-expect-error the pooled notification check takes the same options, the signed path included
  void verifyNotificationAsync({ headers: {}, rawBody: '', publicKey: '' });
  return verdict && forgotten;
}
