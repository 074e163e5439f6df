// Giving money back (`POST /v2/payments/refund`): full or partial, each refund with its own `refundRequestId`.
//
// Rules a merchant copying this should keep:
// - The refund is stored (PENDING, its amount reserved against what was paid) before the wallet is asked, in one
//   conditional update the database serialises: concurrent refunds, from any number of instances, never add up to
//   more than the paid amount.
// - Every retry sends the same request with the same `refundRequestId` (the wallet answers a repeated request with
//   the same result, docs/PROTOCOL.md §4.5), so a retry never refunds twice.
// - `U`, a timeout or a broken connection is "not answered yet", never "failed": the refund stays PENDING and is
//   retried (the reconciler's `retryNextPending`) until the wallet says S or F. Only F frees the reservation.
// The Alipay+ Mini Program OpenAPI names no refund inquiry (Antom's `inquiryRefund` is another API family), so a
// PENDING refund is resolved by sending the same request again.
import { randomBytes } from 'node:crypto';
import type { FastifyBaseLogger } from 'fastify';
import type { RefundRequest } from '@minipay/openapi';
import { errorSummary } from './internal/error-summary';
import { toAmount } from './internal/money';
import type { OrderRecord, RefundInitiator, RefundRecord, RefundReservation } from './order-record';
import type { Storage } from './storage';
import { refundVerdict } from './verdicts';
import type { WalletApi } from './wallet-api';

export interface RefunderOptions {
  storage: Storage;
  wallet: WalletApi;
  log: FastifyBaseLogger;
  /** Epoch milliseconds. */
  clock: () => number;
  /** A PENDING refund is sent again once this long has passed since it was last sent. */
  retryAfterMs: number;
  /** A refund just succeeded (its `order.refunded` outbox event is written). */
  onRefunded?: () => void;
}

export interface RefundAsk {
  /** Minor units; default: everything left to refund. */
  amount?: number;
  reason?: string;
  initiator: RefundInitiator;
  /** Default: a new random one. The automatic refund of a late payment uses one derived from the order. */
  refundRequestId?: string;
}

/** What asking for a refund came to. */
export type RefundOutcome =
  /** The refund is stored; `refund.status` says whether the wallet confirmed it, refused it, or has not said yet. */
  | { status: 'sent'; refund: RefundRecord; order: OrderRecord }
  /** A refund with this `refundRequestId` already existed: it is what it was (not sent again here). */
  | { status: 'duplicate'; refund: RefundRecord; order: OrderRecord }
  | { status: 'exceeds'; refundable: number; order: OrderRecord }
  | { status: 'not-refundable'; order: OrderRecord }
  | { status: 'invalid-amount'; order: OrderRecord }
  | { status: 'missing' };

/** The `refundRequestId` of the automatic refund of money received for a closed order: one per order, whatever happens. */
export function autoRefundRequestId(orderId: string): string {
  return `rf_auto_${orderId}`.slice(0, 64);
}

export class Refunder {
  /** Sends under way, for `whenIdle`. */
  private readonly pending = new Set<Promise<unknown>>();

  constructor(private readonly options: RefunderOptions) {}

  /** Reserves the refund, then asks the wallet; resolves once the wallet answered (or did not). */
  async refund(orderId: string, ask: RefundAsk): Promise<RefundOutcome> {
    const reserved = await this.reserve(orderId, ask);
    if (reserved.status !== 'reserved') return reserved;
    const refund = await this.send(reserved.refund);
    return { status: 'sent', refund, order: (await this.options.storage.getOrder(orderId)) ?? reserved.order };
  }

  /** Stores the refund PENDING with its amount reserved; nothing is sent yet. */
  async reserve(
    orderId: string,
    ask: RefundAsk,
  ): Promise<Exclude<RefundOutcome, { status: 'sent' }> | Extract<RefundReservation, { status: 'reserved' }>> {
    const { storage, clock } = this.options;
    const order = await storage.getOrder(orderId);
    if (order === undefined) return { status: 'missing' };
    const amount = ask.amount ?? order.amount - order.refundReserved;
    if (ask.amount !== undefined && (!Number.isSafeInteger(amount) || amount <= 0)) {
      return { status: 'invalid-amount', order };
    }
    if (amount <= 0) {
      // Nothing left: the same answer as a refund that would exceed it (or one of an order never paid).
      return order.status === 'PAID' || order.latePaymentAt !== null
        ? { status: 'exceeds', refundable: 0, order }
        : { status: 'not-refundable', order };
    }
    return storage.reserveRefund({
      refundRequestId: ask.refundRequestId ?? newRefundRequestId(),
      orderId,
      amount,
      reason: ask.reason ?? null,
      initiator: ask.initiator,
      at: clock(),
    });
  }

  /** Asks the wallet about a stored refund (again) and applies its answer. Never throws for the wallet's failures. */
  send(refund: RefundRecord): Promise<RefundRecord> {
    return this.underWay(this.ask(refund));
  }

  /** For the reconciler: claims one PENDING refund not sent for `retryAfterMs`, and sends it again. */
  async retryNextPending(): Promise<RefundRecord | undefined> {
    const { storage, clock, retryAfterMs } = this.options;
    const now = clock();
    const refund = await storage.claimPendingRefund(now - retryAfterMs, now);
    return refund === undefined ? undefined : this.send(refund);
  }

  /** Resolves when no send of this process is under way (a graceful shutdown waits for it). */
  async whenIdle(): Promise<void> {
    while (this.pending.size > 0) await Promise.allSettled([...this.pending]);
  }

  private underWay<T>(work: Promise<T>): Promise<T> {
    this.pending.add(work);
    const done = (): void => void this.pending.delete(work);
    work.then(done, done);
    return work;
  }

  private async ask(refund: RefundRecord): Promise<RefundRecord> {
    const { storage, wallet, log, clock } = this.options;
    let answer;
    try {
      answer = await wallet.refund(refundRequest(refund));
    } catch (error) {
      log.warn(
        { orderId: refund.orderId, refundRequestId: refund.refundRequestId, err: errorSummary(error) },
        'refund: no usable answer from the wallet; the refund stays PENDING and is sent again',
      );
      return (await storage.getRefund(refund.refundRequestId)) ?? refund;
    }
    const reading = refundVerdict(answer);
    const at = clock();
    const context = { orderId: refund.orderId, refundRequestId: refund.refundRequestId, amount: refund.amount };
    switch (reading.kind) {
      case 'succeeded':
        if (
          await storage.settleRefund(refund.refundRequestId, { status: 'SUCCEEDED', refundId: reading.refundId, at })
        ) {
          log.info({ ...context, refundId: reading.refundId }, 'refund SUCCEEDED');
          this.options.onRefunded?.();
        }
        break;
      case 'failed':
        if (
          await storage.settleRefund(refund.refundRequestId, {
            status: 'FAILED',
            failCode: reading.failCode,
            failMessage: reading.failMessage,
            at,
          })
        ) {
          log.warn({ ...context, resultCode: reading.failCode }, 'refund FAILED: the wallet refused it');
        }
        break;
      case 'pending':
        log.warn(
          { ...context, resultCode: reading.code },
          'refund: result unknown (U); the refund stays PENDING and is sent again',
        );
        break;
    }
    return (await storage.getRefund(refund.refundRequestId)) ?? refund;
  }
}

/** The request of a stored refund: built only from its row, so every retry sends the same content. */
export function refundRequest(refund: RefundRecord): RefundRequest {
  return {
    refundRequestId: refund.refundRequestId,
    ...(refund.paymentId === null ? {} : { paymentId: refund.paymentId }),
    paymentRequestId: refund.paymentRequestId,
    refundAmount: toAmount(refund.currency, refund.amount),
    ...(refund.reason === null ? {} : { refundReason: refund.reason }),
  };
}

function newRefundRequestId(): string {
  return `rf_${randomBytes(16).toString('hex')}`;
}
