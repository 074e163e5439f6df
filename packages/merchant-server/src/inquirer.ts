// Asking the wallet about a payment it has said nothing about for too long (`inquiryPayment`), for whoever needs to
// know: the result page's read and the reconciler both come here, which holds the one "refresh if stale" rule.
// However many readers, timers and instances ask, the wallet is asked once: an inquiry needs the order's inquiry
// lease, a conditional update in the database (one holder at a time, across every instance), which is also the rate
// limit (granted only if nobody asked in the last `minIntervalMs`). A reader that finds the lease taken waits for
// that inquiry's answer: through the promise when the holder is this process, by re-reading the order otherwise.
import { randomBytes } from 'node:crypto';
import type { FastifyBaseLogger } from 'fastify';
import type { Canceller } from './cancels';
import { errorSummary } from './internal/error-summary';
import { toAmount } from './internal/money';
import type { OrderRecord } from './order-record';
import type { Settlement } from './settlement';
import type { InquiryClaim, Storage } from './storage';
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
  /**
   * How long an inquiry's lease lasts: longer than one wallet call and applying its answer, so it is released before
   * it ends; if the holder dies, another instance may ask once it has ended.
   */
  leaseMs: number;
  /** How often a reader waiting for another instance's inquiry re-reads the order. Default 25 ms. */
  pollMs?: number;
  /**
   * Cancels at the wallet a payment still PROCESSING after the order expired, before the order is closed (the wallet
   * could otherwise still take the money). Without one, such an order stays PAYING until the wallet closes it.
   */
  canceller?: Pick<Canceller, 'cancel'>;
}

export class Inquirer {
  /**
   * The inquiries this process holds the lease of, per order: a reader in this process waits on the promise instead
   * of re-reading the database (the lease, not this map, is what keeps other instances from asking too).
   */
  private readonly inquiries = new Map<string, Promise<OrderRecord>>();
  /** Everything under way (claims, inquiries, waits), for `whenIdle`. */
  private readonly pending = new Set<Promise<unknown>>();

  constructor(private readonly options: InquirerOptions) {}

  /** Orders PAYING since before this moment are stale. */
  staleBefore(): number {
    return this.options.clock() - this.options.reconcileAfterMs;
  }

  /** The rule: a PAYING order is stale once it has been PAYING longer than `reconcileAfterMs`. */
  isStale(order: OrderRecord): boolean {
    return order.status === 'PAYING' && order.payingSince !== null && order.payingSince < this.staleBefore();
  }

  /**
   * The order as it is now, refreshed if stale: a CREATED order past its expiry is expired; a stale PAYING one is
   * asked about (once at a time across instances, and at most once per `minIntervalMs`) and the answer applied. If
   * another caller (here or in another instance) is asking, waits for that answer. With `waitMs`, resolves after at
   * most that long with what is known then; an inquiry under way goes on and a later read sees its result. Never
   * throws for the wallet's failures (the order just stays PAYING).
   */
  async refresh(order: OrderRecord, options: { waitMs?: number } = {}): Promise<OrderRecord> {
    if (order.status === 'CREATED') return this.options.settlement.expireIfDue(order);
    if (!this.isStale(order)) return order;
    const now = this.options.clock();
    const deadline = now + (options.waitMs ?? this.options.leaseMs);
    const answer =
      this.inquiries.get(order.id) ??
      this.underWay(this.claimAndAsk(order, now - this.options.minIntervalMs, deadline));
    return options.waitMs === undefined ? answer : this.within(answer, order, options.waitMs);
  }

  /**
   * Asks now, whatever the order's age and the rate limit (after a `pay` that was refused on retry, or an order past
   * its expiry): what became of the payment decides the order. Still one inquiry at a time per order; if one is
   * under way, waits for its answer (up to the lease).
   */
  inquire(order: OrderRecord): Promise<OrderRecord> {
    if (order.status !== 'PAYING') return Promise.resolve(order);
    return (
      this.inquiries.get(order.id) ??
      this.underWay(this.claimAndAsk(order, undefined, this.options.clock() + this.options.leaseMs))
    );
  }

  /**
   * For the reconciler: claims one stale order nobody is asking about and that was not asked about in the last
   * `minIntervalMs` (the least recently asked first), and asks about it. With `askedBefore`, only an order last asked
   * about before that moment (a reconciler run asks about each order once). Undefined when there is none; otherwise
   * resolves with the order once the answer is applied.
   */
  inquireNextStale(options: { askedBefore?: number } = {}): Promise<OrderRecord | undefined> {
    return this.underWay(this.claimNextStale(options.askedBefore));
  }

  /**
   * Resolves when nothing of this process is under way. An inquiry can outlive the request that started it (a read
   * waits at most a few seconds; an expired order's inquiry is not awaited at all), so a graceful shutdown waits for
   * this before it closes the storage: the wallet's answer is applied and the lease released.
   */
  async whenIdle(): Promise<void> {
    while (this.pending.size > 0) await Promise.allSettled([...this.pending]);
  }

  private async claimNextStale(askedBefore: number | undefined): Promise<OrderRecord | undefined> {
    const claim = this.newClaim();
    const notAskedSince = claim.at - this.options.minIntervalMs;
    const order = await this.options.storage.claimStaleInquiry(this.staleBefore(), {
      ...claim,
      notAskedSince: askedBefore === undefined ? notAskedSince : Math.min(notAskedSince, askedBefore - 1),
    });
    return order === undefined ? undefined : this.track(order.id, this.askAndRelease(order, claim.holder));
  }

  /** Claims the lease (rate-limited unless `notAskedSince` is undefined); asks if granted, else waits for the holder. */
  private async claimAndAsk(
    order: OrderRecord,
    notAskedSince: number | undefined,
    waitUntil: number,
  ): Promise<OrderRecord> {
    const claim = this.newClaim();
    const result = await this.options.storage.claimInquiry(order.id, {
      ...claim,
      ...(notAskedSince === undefined ? {} : { notAskedSince }),
    });
    if (result.claimed && result.order !== undefined) {
      return this.track(order.id, this.askAndRelease(result.order, claim.holder));
    }
    const current = result.order ?? order;
    // Asked about too recently, or no longer PAYING: what is stored is the answer. Otherwise someone holds the lease.
    const running = this.inquiries.get(order.id);
    if (running !== undefined) return running;
    return this.awaitOtherInquiry(current, waitUntil);
  }

  /** Re-reads the order until the lease holder has answered (the lease is gone or the order moved on), or until `until`. */
  private async awaitOtherInquiry(order: OrderRecord, until: number): Promise<OrderRecord> {
    const { storage, clock } = this.options;
    let current = order;
    while (leaseHeld(current, clock()) && clock() < until) {
      await new Promise((resolve) => setTimeout(resolve, this.options.pollMs ?? 25));
      current = (await storage.getOrder(order.id)) ?? current;
    }
    return current;
  }

  private underWay<T>(work: Promise<T>): Promise<T> {
    this.pending.add(work);
    const done = (): void => void this.pending.delete(work);
    work.then(done, done);
    return work;
  }

  private newClaim(): InquiryClaim {
    const at = this.options.clock();
    return { holder: randomBytes(12).toString('hex'), at, leaseUntil: at + this.options.leaseMs };
  }

  private track(orderId: string, inquiry: Promise<OrderRecord>): Promise<OrderRecord> {
    const tracked = inquiry.finally(() => {
      if (this.inquiries.get(orderId) === tracked) this.inquiries.delete(orderId);
    });
    this.inquiries.set(orderId, tracked);
    return tracked;
  }

  private async askAndRelease(order: OrderRecord, holder: string): Promise<OrderRecord> {
    try {
      return await this.ask(order);
    } finally {
      await this.options.storage.releaseInquiry(order.id, holder).catch((error: unknown) => {
        // It ends by itself at its deadline; until then other instances wait a little longer.
        this.options.log.warn({ orderId: order.id, err: errorSummary(error) }, 'could not release the inquiry lease');
      });
    }
  }

  private async within(answer: Promise<OrderRecord>, order: OrderRecord, waitMs: number): Promise<OrderRecord> {
    let timer: NodeJS.Timeout | undefined;
    const waited = new Promise<OrderRecord>((resolve) => {
      timer = setTimeout(() => resolve(order), waitMs);
      timer.unref();
    });
    try {
      return await Promise.race([answer, waited]);
    } finally {
      clearTimeout(timer);
    }
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
      case 'not-final': {
        const current = (await storage.getOrder(order.id)) ?? order;
        if (current.status !== 'PAYING' || clock() < current.expiresAt || this.options.canceller === undefined) {
          return current;
        }
        // Expired (or abandoned: nobody finished paying before the order's time ran out), and the wallet still
        // holds the payment open: close it there first, then here.
        const cancelled = await this.options.canceller.cancel(
          current,
          'EXPIRED',
          'cancelled at the wallet after expiry',
        );
        return cancelled.status === 'missing' ? current : cancelled.order;
      }
    }
  }
}

/** Someone is asking the wallet about this PAYING order right now. */
function leaseHeld(order: OrderRecord, now: number): boolean {
  return order.status === 'PAYING' && order.inquiryLeaseUntil !== null && order.inquiryLeaseUntil > now;
}
