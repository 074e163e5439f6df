// Asking the wallet about a payment it has said nothing about for too long (`inquiryPayment`), for whoever needs to
// know: the result page's read and the reconciler both call `refresh`, which holds the one "refresh if stale" rule.
// This is also the one place that de-duplicates inquiries (one in flight per order) and rate-limits them (at most one
// per order per `minIntervalMs`), so however many readers and timers ask, the wallet is asked once.
import type { FastifyBaseLogger } from 'fastify';
import { errorSummary } from './internal/error-summary';
import { toAmount } from './internal/money';
import type { OrderRecord } from './order-record';
import type { Settlement } from './settlement';
import type { Storage } from './storage';
import { inquiryVerdict } from './verdicts';
import type { WalletApi } from './wallet-api';

export interface InquirerOptions {
  storage: Storage;
  wallet: WalletApi;
  settlement: Settlement;
  log: FastifyBaseLogger;
  /** Epoch milliseconds. */
  clock: () => number;
  /** An order PAYING longer than this is stale: the wallet is asked about it. */
  reconcileAfterMs: number;
  /** At most one inquiry per order this often. */
  minIntervalMs: number;
}

export class Inquirer {
  /** Inquiries under way, per order: a second caller waits for the first instead of asking again. */
  private readonly inquiries = new Map<string, Promise<OrderRecord>>();
  /** When each order was last asked about (in memory: a restart may ask once more, which is harmless). */
  private readonly lastInquiry = new Map<string, number>();

  constructor(private readonly options: InquirerOptions) {}

  /** Orders PAYING since before this moment are stale (the reconciler's storage query uses it too). */
  staleBefore(): number {
    return this.options.clock() - this.options.reconcileAfterMs;
  }

  /** The rule: a PAYING order is stale once it has been PAYING longer than `reconcileAfterMs`. */
  isStale(order: OrderRecord): boolean {
    return order.status === 'PAYING' && order.payingSince !== null && order.payingSince < this.staleBefore();
  }

  /**
   * The order as it is now, refreshed if stale: a CREATED order past its expiry is expired; a stale PAYING one is
   * asked about (once at a time, and at most once per `minIntervalMs`) and the answer applied. With `waitMs`, resolves
   * after at most that long with what is known then; the inquiry goes on and a later read sees its result. Never
   * throws for the wallet's failures (the order just stays PAYING).
   */
  async refresh(order: OrderRecord, options: { waitMs?: number } = {}): Promise<OrderRecord> {
    if (order.status === 'CREATED') return this.options.settlement.expireIfDue(order);
    if (!this.isStale(order)) return order;
    const last = this.lastInquiry.get(order.id);
    if (!this.inquiries.has(order.id) && last !== undefined && this.options.clock() - last < this.options.minIntervalMs)
      return order;
    const inquiry = this.inquire(order);
    if (options.waitMs === undefined) return inquiry;
    let timer: NodeJS.Timeout | undefined;
    const waited = new Promise<OrderRecord>((resolve) => {
      timer = setTimeout(() => resolve(order), options.waitMs);
      timer.unref();
    });
    try {
      return await Promise.race([inquiry, waited]);
    } finally {
      clearTimeout(timer);
    }
  }

  /**
   * Asks now, whatever the order's age and the rate limit (after a `pay` that was refused on retry, or an order past
   * its expiry): what became of the payment decides the order. Still one inquiry at a time per order.
   */
  inquire(order: OrderRecord): Promise<OrderRecord> {
    if (order.status !== 'PAYING') return Promise.resolve(order);
    const running = this.inquiries.get(order.id);
    if (running !== undefined) return running;
    this.lastInquiry.set(order.id, this.options.clock());
    const inquiry = this.ask(order).finally(() => this.inquiries.delete(order.id));
    this.inquiries.set(order.id, inquiry);
    return inquiry;
  }

  /**
   * Resolves when no inquiry is under way. An inquiry can outlive the request that started it (a read waits at most
   * a few seconds; an expired order's inquiry is not awaited at all), so a graceful shutdown waits for this before it
   * closes the storage: the wallet's answer is applied instead of failing on a closed database.
   */
  async whenIdle(): Promise<void> {
    while (this.inquiries.size > 0) await Promise.allSettled([...this.inquiries.values()]);
  }

  /** Forgets the bookkeeping of an order that reached a final status (so the map does not grow forever). */
  forget(orderId: string): void {
    this.lastInquiry.delete(orderId);
  }

  private async ask(order: OrderRecord): Promise<OrderRecord> {
    const { wallet, storage, settlement, log, clock } = this.options;
    let answer;
    try {
      answer = await wallet.inquiryPayment({
        ...(order.paymentId !== null ? { paymentId: order.paymentId } : {}),
        ...(order.paymentRequestId !== null ? { paymentRequestId: order.paymentRequestId } : {}),
      });
    } catch (error) {
      log.warn({ orderId: order.id, err: errorSummary(error) }, 'inquiryPayment: no usable answer; will ask again');
      return order;
    }
    const reading = inquiryVerdict(answer, order, clock());
    switch (reading.kind) {
      case 'final': {
        const outcome = await settlement.apply(order, reading.verdict, 'inquiry', answer.data.paymentId);
        return outcome.status === 'missing' ? order : outcome.order;
      }
      case 'mismatch':
        log.error(
          { orderId: order.id, expected: toAmount(order.currency, order.amount), received: answer.data.paymentAmount },
          `inquiryPayment SUCCESS with a ${reading.mismatch} that does not match the order: NOT APPLIED, order stays PAYING`,
        );
        return (await storage.getOrder(order.id)) ?? order;
      case 'no-status':
        // U: ask again later. F (other than "no such payment"): a configuration or wallet problem worth a look.
        log[reading.refused ? 'warn' : 'info'](
          { orderId: order.id, resultStatus: answer.status, resultCode: answer.code },
          'inquiryPayment: no status yet; will ask again',
        );
        return order;
      case 'not-final':
        return (await storage.getOrder(order.id)) ?? order;
    }
  }
}
