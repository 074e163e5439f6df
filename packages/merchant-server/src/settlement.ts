// Applying a verdict to an order, exactly once: the conditional transition of the state machine, the audit event,
// and what a contradiction means (a final order is never reopened; money taken for a closed order is logged at
// error level, noted on the order (`late_payment_at`, which makes it refundable) and handed to `onPaidAfterClose`,
// which refunds it automatically unless MINIPAY_AUTO_REFUND=0). Notifications and inquiries both settle through here.
import type { FastifyBaseLogger } from 'fastify';
import { transitionOrder, type TransitionOutcome } from './order-state';
import type { OrderRecord, TransitionCause, TransitionRequest } from './order-record';
import type { Storage } from './storage';
import type { Verdict } from './verdicts';

export interface SettlementOptions {
  storage: Storage;
  log: FastifyBaseLogger;
  /** Epoch milliseconds. */
  clock: () => number;
  /**
   * Money was received for an order already closed (FAILED, CANCELLED, EXPIRED); called after it is noted on the
   * order, for every report of it (duplicates included: the callee makes it happen once). Default: nothing more.
   */
  onPaidAfterClose?: (order: OrderRecord) => Promise<void>;
  /** An order just became PAID (its `order.paid` outbox event is written): the fulfilment hook can run now. */
  onPaid?: () => void;
  /** Whether `onPaidAfterClose` refunds the money (only changes what the log line tells a person to do). */
  refundsPaidAfterClose?: boolean;
}

export class Settlement {
  constructor(private readonly options: SettlementOptions) {}

  /**
   * Moves the order to the verdict's status if the state machine allows it now; logs a contradiction loudly.
   * `appliedNotification`: the notification reporting it, recorded with the change when it applies (see
   * `TransitionRequest`).
   */
  async apply(
    order: OrderRecord,
    verdict: Verdict,
    cause: TransitionCause,
    paymentId: string | undefined,
    appliedNotification?: TransitionRequest['appliedNotification'],
  ): Promise<TransitionOutcome> {
    const { storage, log, clock } = this.options;
    const set: { paymentId?: string; failCode?: string; failMessage?: string } = {};
    if (paymentId) set.paymentId = paymentId;
    if (verdict.failCode !== undefined) set.failCode = verdict.failCode;
    if (verdict.failMessage !== undefined) set.failMessage = verdict.failMessage;
    const outcome = await transitionOrder(storage, order.id, verdict.to, {
      at: clock(),
      cause,
      detail: verdict.detail,
      set,
      ...(appliedNotification === undefined ? {} : { appliedNotification }),
    });
    if (outcome.status === 'conflict') {
      const closedFamily = (s: string): boolean => s === 'CANCELLED' || s === 'EXPIRED';
      if (closedFamily(outcome.order.status) && closedFamily(verdict.to)) {
        log.info(
          { orderId: order.id, status: outcome.order.status, reported: verdict.to },
          `${cause}: payment closed, order already closed`,
        );
        return { status: 'unchanged', order: outcome.order };
      }
      if (verdict.to === 'PAID') {
        const closed = outcome.order.status;
        log.error(
          { orderId: order.id, status: closed, paymentId: paymentId ?? order.paymentId, cause },
          this.options.refundsPaidAfterClose
            ? `MONEY RECEIVED FOR A ${closed} ORDER: the wallet reports the payment succeeded; the order is not reopened. It is refunded automatically (MINIPAY_AUTO_REFUND=0 turns that off).`
            : `MONEY RECEIVED FOR A ${closed} ORDER: the wallet reports the payment succeeded; the order is not reopened. Refund or review it.`,
        );
        if (await storage.recordLatePayment(order.id, clock())) {
          const noted = (await storage.getOrder(order.id)) ?? outcome.order;
          await this.options.onPaidAfterClose?.(noted);
          return { status: 'conflict', order: noted };
        }
      } else {
        log.error(
          { orderId: order.id, status: outcome.order.status, reported: verdict.to, detail: verdict.detail, cause },
          `${cause} contradicts the order's final status ${outcome.order.status}; ignored. Review the payment at the wallet.`,
        );
      }
    } else {
      this.logTransition(outcome, cause);
    }
    return outcome;
  }

  /** CREATED past its expiry → EXPIRED. Returns the order as it is now. */
  async expireIfDue(order: OrderRecord): Promise<OrderRecord> {
    const { storage, clock } = this.options;
    if (order.status !== 'CREATED' || clock() < order.expiresAt) return order;
    const outcome = await transitionOrder(storage, order.id, 'EXPIRED', {
      at: clock(),
      cause: 'expiry',
      detail: 'never paid',
    });
    this.logTransition(outcome, 'expiry');
    return outcome.status === 'missing' ? order : outcome.order;
  }

  /** Logs an applied transition at info level (`order PAID`). */
  logTransition(outcome: TransitionOutcome, cause: string): void {
    if (outcome.status === 'applied') {
      if (outcome.order.status === 'PAID') this.options.onPaid?.();
      this.options.log.info(
        { orderId: outcome.order.id, status: outcome.order.status, cause },
        `order ${outcome.order.status}`,
      );
    }
  }
}
