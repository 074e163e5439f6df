// The wallet's payment notification (`notifyPayment`): a request signed by the wallet, verified by the merchant.
import { ProtocolError } from './errors';
import { isObject, readAmount, readResult, readString } from './internal/result';
import { verifyRequest, verifyRequestAsync, type VerifyRequestOptions } from './request';
import type { NotifyPaymentRequest } from './types';

export type VerifyNotificationOptions = VerifyRequestOptions;

/**
 * Verifies a notification (signature, replay window) and checks its body.
 * @returns the typed `notifyPayment` body.
 * @throws SignatureError (`MISSING_HEADER`, `MALFORMED_HEADER`, `INVALID_SIGNATURE`, `REQUEST_TIME_OUTSIDE_WINDOW`),
 *   ProtocolError (`NOT_JSON`, `MALFORMED_BODY` naming the field), KeyFormatError, OpenApiError `BODY_NOT_RAW`.
 */
export function verifyNotification(options: VerifyNotificationOptions): NotifyPaymentRequest {
  return checkNotificationBody(verifyRequest(options).body);
}

/**
 * `verifyNotification` with the signature verified in libuv's thread pool: the same checks, the same errors (as
 * rejections), the same typed body. What a server's notification route should call.
 */
export async function verifyNotificationAsync(options: VerifyNotificationOptions): Promise<NotifyPaymentRequest> {
  return checkNotificationBody((await verifyRequestAsync(options)).body);
}

/** @throws ProtocolError `MALFORMED_BODY` naming the field. */
function checkNotificationBody(body: unknown): NotifyPaymentRequest {
  if (!isObject(body))
    throw new ProtocolError('the notification body must be a JSON object', { code: 'MALFORMED_BODY' });
  readString(body, 'paymentId');
  readString(body, 'paymentRequestId');
  readResult(body, 'paymentResult');
  readAmount(body, 'paymentAmount');
  return body as unknown as NotifyPaymentRequest;
}
