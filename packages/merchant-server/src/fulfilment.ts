// The place where the merchant's own code runs when an order becomes PAID (ship the goods) and when a refund of it
// succeeds: the `fulfilment` function passed to `startMerchantServer`. It is fed by an outbox in the database: the
// event is written in the same transaction as the transition (or the refund) it reports, so a crash between "PAID"
// and "hook ran" cannot lose it, and it is marked delivered only when the hook returned, so a hook that threw (or a
// process that died while it ran) is called again, with backoff, until it succeeds. Each event is leased to one
// caller at a time across every instance (like an inquiry), and carries a stable `id`: a hook that records the ids it
// has handled in the same transaction as its own effect runs its effect exactly once even if it is called again.
import { randomBytes } from 'node:crypto';
import type { Order, Refund } from '@minipay/contract';
import type { FastifyBaseLogger } from 'fastify';
import { errorSummary } from './internal/error-summary';
import { truncate } from './internal/truncate';
import { toOrderJson, toRefundJson } from './order-json';
import type { OutboxEventType, OutboxRecord } from './order-record';
import type { Storage } from './storage';

/** What the hook is told. */
export interface FulfilmentEvent {
  /** Stable across deliveries of the same event (`evt_<n>`): the key to handle it once. */
  id: string;
  type: OutboxEventType;
  /** The order as it is when the hook is called (the customer's view of it, refunds included). */
  order: Order;
  /** For `order.refunded`: the refund that succeeded. */
  refund?: Refund;
  /** When the event happened (ISO 8601). */
  occurredAt: string;
  /** 1 on the first delivery. */
  attempt: number;
}

/** The merchant's code: resolve when done (the event is then delivered); throw to have it called again later. */
export type FulfilmentHook = (event: FulfilmentEvent) => Promise<void> | void;

export interface FulfilmentOptions {
  storage: Storage;
  hook: FulfilmentHook;
  log: FastifyBaseLogger;
  clock: () => number;
  payeeName: string;
  /** How often due events are looked for (besides right after each transition). Default 1000 ms. */
  intervalMs?: number;
  /** How long one delivery may take before another instance may try it. Default 60 s. */
  leaseMs?: number;
}

/** The wait before the next attempt after `attempts` failed ones: 1 s, 2 s, 4 s... at most an hour. */
export function fulfilmentBackoffMs(attempts: number): number {
  return Math.min(3_600_000, 1000 * 2 ** Math.max(0, attempts - 1));
}

export class Fulfilment {
  private timer: NodeJS.Timeout | undefined;
  private draining: Promise<void> | undefined;
  private again = false;
  private stopped = true;

  constructor(private readonly options: FulfilmentOptions) {}

  /** Delivers what is due now (events left by an earlier run included), then keeps looking. */
  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    this.kick();
  }

  /** Something was just written to the outbox: deliver it now rather than at the next interval. */
  kick(): void {
    if (this.stopped) return;
    if (this.draining !== undefined) {
      this.again = true;
      return;
    }
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
    this.draining = this.drain().finally(() => {
      this.draining = undefined;
      if (this.again) {
        this.again = false;
        this.kick();
      } else this.schedule();
    });
  }

  /** Stops looking and waits for a delivery under way. */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
    await this.draining;
  }

  private schedule(): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.kick();
    }, this.options.intervalMs ?? 1000);
    this.timer.unref();
  }

  /** Claims and delivers due events one by one until there is none. Never throws. */
  private async drain(): Promise<void> {
    const { storage, clock, log } = this.options;
    const leaseMs = this.options.leaseMs ?? 60_000;
    try {
      while (!this.stopped) {
        const holder = randomBytes(12).toString('hex');
        const now = clock();
        const event = await storage.claimOutbox(now, now + leaseMs, holder);
        if (event === undefined) return;
        await this.deliver(event, holder);
      }
    } catch (error) {
      log.error({ err: errorSummary(error) }, 'fulfilment: reading the outbox failed; will try again');
    }
  }

  private async deliver(event: OutboxRecord, holder: string): Promise<void> {
    const { storage, hook, log, clock } = this.options;
    const context = { outboxId: event.id, orderId: event.orderId, event: event.event, attempt: event.attempts };
    let payload: FulfilmentEvent;
    try {
      payload = await this.payload(event);
    } catch (error) {
      log.error({ ...context, err: errorSummary(error) }, 'fulfilment: the event cannot be built; will try again');
      await storage.finishOutbox(event.id, holder, {
        delivered: false,
        error: truncate((error as Error).message ?? String(error), 256),
        nextAttemptAt: clock() + fulfilmentBackoffMs(event.attempts),
      });
      return;
    }
    try {
      await hook(payload);
    } catch (error) {
      const retryInMs = fulfilmentBackoffMs(event.attempts);
      log.warn({ ...context, retryInMs, err: errorSummary(error) }, 'fulfilment hook failed; it will be called again');
      await storage.finishOutbox(event.id, holder, {
        delivered: false,
        error: truncate(error instanceof Error ? error.message : String(error), 256),
        nextAttemptAt: clock() + retryInMs,
      });
      return;
    }
    await storage.finishOutbox(event.id, holder, { delivered: true, at: clock() });
    log.info(context, 'fulfilment hook ran');
  }

  private async payload(event: OutboxRecord): Promise<FulfilmentEvent> {
    const { storage, payeeName } = this.options;
    const order = await storage.getOrder(event.orderId);
    if (order === undefined) throw new Error(`no order ${event.orderId}`);
    const refunds = await storage.listRefunds(order.id);
    const refund = refunds.find((each) => each.refundRequestId === event.refundRequestId);
    return {
      id: `evt_${event.id}`,
      type: event.event,
      order: toOrderJson(order, payeeName, refunds),
      ...(refund === undefined ? {} : { refund: toRefundJson(refund) }),
      occurredAt: new Date(event.createdAt).toISOString(),
      attempt: event.attempts,
    };
  }
}
