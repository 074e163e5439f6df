// Applying a verified payment notification, exactly once. It must name a payment of a known order, with exactly
// its amount and currency; the status change is a conditional update, so duplicates and races change nothing.
// Never throws for what the wallet says: the returned `ack` is what to sign and send back.
import type { FastifyBaseLogger } from 'fastify';
import type { NotifyPaymentRequest, Result } from '@minipay/openapi';
import { amountMismatch, toAmount } from './internal/money';
import type { Settlement } from './settlement';
import type { NotificationOutcome, Storage } from './storage';
import { notificationVerdict } from './verdicts';

/** The answer to a notification: the `result` the merchant signs and sends back, and what was done. */
export interface NotificationHandling {
  ack: Result;
  outcome: NotificationOutcome;
  orderId: string | null;
}

export interface NotificationHandlerOptions {
  storage: Storage;
  settlement: Settlement;
  log: FastifyBaseLogger;
  /** Epoch milliseconds. */
  clock: () => number;
}

const ACK_SUCCESS: Result = { resultStatus: 'S', resultCode: 'SUCCESS', resultMessage: 'success' };

export class NotificationHandler {
  constructor(private readonly options: NotificationHandlerOptions) {}

  async handle(notification: NotifyPaymentRequest, rawBody: string): Promise<NotificationHandling> {
    const { storage, settlement, log, clock } = this.options;
    const at = clock();
    const result = notification.paymentResult;
    const record = async (outcome: NotificationOutcome, orderId: string | null): Promise<void> => {
      await storage.recordNotification({
        orderId,
        paymentId: notification.paymentId ?? null,
        paymentRequestId: notification.paymentRequestId ?? null,
        resultStatus: String(result?.resultStatus ?? ''),
        resultCode: String(result?.resultCode ?? ''),
        outcome,
        body: rawBody,
        at,
      });
    };
    const refuse = async (
      outcome: NotificationOutcome,
      orderId: string | null,
      code: string,
      message: string,
    ): Promise<NotificationHandling> => {
      await record(outcome, orderId);
      return { ack: { resultStatus: 'F', resultCode: code, resultMessage: message }, outcome, orderId };
    };

    const order = await storage.findOrderByPayment({
      ...(notification.paymentId ? { paymentId: notification.paymentId } : {}),
      ...(notification.paymentRequestId ? { paymentRequestId: notification.paymentRequestId } : {}),
    });
    if (order === undefined) {
      log.error(
        { paymentId: notification.paymentId, paymentRequestId: notification.paymentRequestId },
        'notification for a payment of no known order: not applied',
      );
      return refuse('unknown-payment', null, 'PAYMENT_NOT_FOUND', 'no order of this merchant has this payment');
    }
    const idsDisagree =
      (notification.paymentRequestId !== undefined && notification.paymentRequestId !== order.paymentRequestId) ||
      (order.paymentId !== null && notification.paymentId !== undefined && notification.paymentId !== order.paymentId);
    if (idsDisagree) {
      log.error(
        { orderId: order.id, paymentId: notification.paymentId, paymentRequestId: notification.paymentRequestId },
        'notification names a paymentId and paymentRequestId of different orders: not applied',
      );
      return refuse(
        'mismatch',
        order.id,
        'PAYMENT_MISMATCH',
        'paymentId and paymentRequestId do not belong to the same order',
      );
    }
    const mismatch = amountMismatch(notification.paymentAmount, order.currency, order.amount);
    if (mismatch !== undefined) {
      log.error(
        { orderId: order.id, expected: toAmount(order.currency, order.amount), received: notification.paymentAmount },
        `notification ${mismatch} does not match the order: NOT APPLIED, order unchanged (possible tampering or a wallet bug)`,
      );
      return mismatch === 'currency'
        ? refuse('mismatch', order.id, 'CURRENCY_MISMATCH', 'paymentAmount.currency does not match the order')
        : refuse('mismatch', order.id, 'AMOUNT_MISMATCH', 'paymentAmount.value does not match the order');
    }

    const verdict = notificationVerdict(result, order, clock());
    if (verdict === undefined) {
      // Not final (U/A): nothing to apply; acknowledge so the wallet sends the final one when there is one.
      log.info(
        { orderId: order.id, resultStatus: result?.resultStatus, resultCode: result?.resultCode },
        'notification without a final status',
      );
      await record('not-final', order.id);
      return { ack: ACK_SUCCESS, outcome: 'not-final', orderId: order.id };
    }
    const outcome = await settlement.apply(order, verdict, 'notification', notification.paymentId);
    const handled: NotificationOutcome =
      outcome.status === 'applied' ? 'applied' : outcome.status === 'conflict' ? 'conflict' : 'duplicate';
    await record(handled, order.id);
    return { ack: ACK_SUCCESS, outcome: handled, orderId: order.id };
  }
}
