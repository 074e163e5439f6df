// Applying a verified payment notification, exactly once. It must name a payment of a known order, with exactly
// its amount and currency; the status change is a conditional update, so duplicates and races change nothing.
// Never throws for what the wallet says: the returned `ack` is what to sign and send back.
import type { FastifyBaseLogger } from 'fastify';
import type { NotifyPaymentRequest, Result } from '@minipay/openapi';
import { amountMismatch, toAmount } from './internal/money';
import type { Settlement } from './settlement';
import type { NotificationOutcome, NotificationRecord } from './order-record';
import type { Storage } from './storage';
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

/**
 * What is wrong with a notification's `paymentAmount`, or undefined when it is an amount: an object with an ISO 4217
 * `currency` and a `value` of digits (minor units, as a string). A value like "0100" is an amount (just not the
 * order's: AMOUNT_MISMATCH); "14.50", 1450, "usd" or nothing are not amounts at all.
 */
export function amountProblem(amount: unknown): string | undefined {
  if (amount === undefined) return 'paymentAmount is missing';
  if (typeof amount !== 'object' || amount === null || Array.isArray(amount))
    return `paymentAmount must be an object { currency, value }, got ${JSON.stringify(amount)}`;
  const { currency, value } = amount as Record<string, unknown>;
  if (typeof currency !== 'string' || !/^[A-Z]{3}$/.test(currency))
    return `paymentAmount.currency must be an ISO 4217 code like "USD", got ${JSON.stringify(currency) ?? 'nothing'}`;
  if (typeof value !== 'string' || !/^\d+$/.test(value))
    return `paymentAmount.value must be minor units as a string of digits (e.g. "1450"), got ${JSON.stringify(value) ?? 'nothing'}`;
  return undefined;
}

const ACK_SUCCESS: Result = { resultStatus: 'S', resultCode: 'SUCCESS', resultMessage: 'success' };

export class NotificationHandler {
  constructor(private readonly options: NotificationHandlerOptions) {}

  /**
   * A notification whose signature verified but whose `paymentAmount` is not an amount (`amountProblem`): never
   * applied. It is recorded (`malformed-amount`, with the order when its ids name one), logged at error level, and
   * answered with a signed F `AMOUNT_MALFORMED`, so the wallet's operators read why; the order is unchanged, and the
   * reconciler's inquiry settles it from the wallet's own record.
   */
  async refuseMalformedAmount(
    body: Record<string, unknown>,
    rawBody: string,
    problem: string,
  ): Promise<NotificationHandling> {
    const { storage, log, clock } = this.options;
    const id = (field: string): string | undefined =>
      typeof body[field] === 'string' ? (body[field] as string) : undefined;
    const paymentId = id('paymentId');
    const paymentRequestId = id('paymentRequestId');
    const order =
      paymentId === undefined && paymentRequestId === undefined
        ? undefined
        : await storage.findOrderByPayment({
            ...(paymentId === undefined ? {} : { paymentId }),
            ...(paymentRequestId === undefined ? {} : { paymentRequestId }),
          });
    const result = (
      typeof body.paymentResult === 'object' && body.paymentResult !== null ? body.paymentResult : {}
    ) as Record<string, unknown>;
    const orderId = order?.id ?? null;
    log.error(
      { orderId, paymentId, paymentRequestId, problem },
      `notification with a malformed amount: NOT APPLIED, order unchanged (${problem})`,
    );
    await storage.recordNotification({
      orderId,
      paymentId: paymentId ?? null,
      paymentRequestId: paymentRequestId ?? null,
      resultStatus: String(result.resultStatus ?? '').slice(0, 8),
      resultCode: String(result.resultCode ?? '').slice(0, 64),
      outcome: 'malformed-amount',
      body: rawBody,
      at: clock(),
    });
    return {
      ack: { resultStatus: 'F', resultCode: 'AMOUNT_MALFORMED', resultMessage: problem.slice(0, 256) },
      outcome: 'malformed-amount',
      orderId,
    };
  }

  async handle(notification: NotifyPaymentRequest, rawBody: string): Promise<NotificationHandling> {
    const { storage, settlement, log, clock } = this.options;
    const at = clock();
    const result = notification.paymentResult;
    const recordOf = (orderId: string | null): Omit<NotificationRecord, 'outcome'> => ({
      orderId,
      paymentId: notification.paymentId ?? null,
      paymentRequestId: notification.paymentRequestId ?? null,
      resultStatus: String(result?.resultStatus ?? ''),
      resultCode: String(result?.resultCode ?? ''),
      body: rawBody,
      at,
    });
    const record = async (outcome: NotificationOutcome, orderId: string | null): Promise<void> => {
      await storage.recordNotification({ ...recordOf(orderId), outcome });
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
    // Applied, the notification is recorded in the transition's own transaction (one commit); otherwise after it.
    const outcome = await settlement.apply(order, verdict, 'notification', notification.paymentId, recordOf(order.id));
    if (outcome.status === 'applied') return { ack: ACK_SUCCESS, outcome: 'applied', orderId: order.id };
    const handled: NotificationOutcome = outcome.status === 'conflict' ? 'conflict' : 'duplicate';
    await record(handled, order.id);
    return { ack: ACK_SUCCESS, outcome: handled, orderId: order.id };
  }
}
