// The storage layer as one interface with two implementations: the embedded SQLite file (one instance) and
// PostgreSQL (several instances on one database). Everything is async for the networked one. Every guarantee the
// server makes across instances is a statement of this interface that the database enforces: a conditional status
// update, a unique payment request id, a conditional claim of an order's inquiry lease.
// Amounts are integers in minor units; times are epoch milliseconds (BIGINT).
import type { OrderListQuery } from './internal/portable-sql';
import type {
  NewOrder,
  NewRefund,
  NotificationRecord,
  OrderEventRecord,
  OrderRecord,
  OutboxRecord,
  RefundRecord,
  RefundReservation,
  RefundSettlement,
  TransitionRequest,
} from './order-record';

export type { OrderListQuery };

/**
 * A claim of an order's inquiry lease: granted only to one caller at a time, and (unless `notAskedSince` is left out)
 * only if nobody asked about the order after `notAskedSince`. It expires at `leaseUntil`, so a holder that dies does
 * not block the order.
 */
export interface InquiryClaim {
  /** Who claims: a random token per claim, which `releaseInquiry` must present. */
  holder: string;
  /** Now (epoch ms): recorded as `lastInquiryAt`; a lease that ended by then is free. */
  at: number;
  leaseUntil: number;
  /** The rate limit: granted only if the order was last asked about at or before this moment (or never). */
  notAskedSince?: number;
}

/** What a claim came to: the order as it is now, whether or not this caller got the lease. */
export interface InquiryClaimResult {
  claimed: boolean;
  order: OrderRecord | undefined;
}

/** The wallet's tokens for a customer; they never leave the server. */
export interface CustomerTokenRecord {
  customerId: string;
  accessToken: string;
  accessTokenExpiresAt: number | null;
  refreshToken: string | null;
  refreshTokenExpiresAt: number | null;
  at: number;
}

/** The `Idempotency-Key` an order is created under, and what identifies the request that created it. */
export interface OrderIdempotency {
  key: string;
  /** A digest of the request (its cart): the same key with another request is a client's mistake, not a retry. */
  requestHash: string;
}

/** What `createOrderOnce` came to: the order that holds the key, whether this call created it, and its request. */
export interface CreateOrderOnceResult {
  created: boolean;
  order: OrderRecord;
  /** The `requestHash` the order was created with (this call's when `created`). */
  requestHash: string;
}

export interface Storage {
  createOrder(order: NewOrder): Promise<void>;
  /**
   * Creates the order unless its customer already created one under `idempotency.key`; then that order is returned
   * and nothing is written. The database decides (the key is the primary key of its table, taken in the same
   * transaction as the order is written), so of concurrent calls with one key, on any number of instances, exactly
   * one creates an order. Keys are kept as long as their orders.
   */
  createOrderOnce(order: NewOrder, idempotency: OrderIdempotency): Promise<CreateOrderOnceResult>;
  getOrder(id: string): Promise<OrderRecord | undefined>;
  /** The order a payment belongs to: by `paymentId`, else by `paymentRequestId`. */
  findOrderByPayment(reference: { paymentId?: string; paymentRequestId?: string }): Promise<OrderRecord | undefined>;
  /**
   * Applies `request` as one conditional update (`... WHERE id = ? AND status IN (from)`) and records the event in
   * the same transaction (and, for a transition to PAID, the `order.paid` event of the fulfilment outbox; and
   * `request.appliedNotification`, when given, as a notification with the outcome `applied`). True when this call
   * changed the row; false when the order was not in a `from` status (someone else won, or it never was), in which
   * case nothing changed, the notification's record included.
   */
  transition(request: TransitionRequest): Promise<boolean>;
  /** Stores what `pay` answered, unless a different `paymentId` is already stored. True when stored or already equal. */
  setPaymentDetails(
    orderId: string,
    details: { paymentId: string; paymentUrl: string | null },
    at: number,
  ): Promise<boolean>;
  /** Claims the inquiry lease of a PAYING order (one conditional update). */
  claimInquiry(orderId: string, claim: InquiryClaim): Promise<InquiryClaimResult>;
  /**
   * Claims the inquiry lease of one order PAYING since before `staleBefore` whose lease is free and that was not asked
   * about after `claim.notAskedSince`: the least recently asked first (never asked first), then the oldest. Several
   * callers at once get different orders (PostgreSQL: `FOR UPDATE SKIP LOCKED`). Undefined when there is none.
   */
  claimStaleInquiry(
    staleBefore: number,
    claim: InquiryClaim & { notAskedSince: number },
  ): Promise<OrderRecord | undefined>;
  /** Ends the lease `holder` has on the order (nothing if it expired and someone else holds it now). */
  releaseInquiry(orderId: string, holder: string): Promise<void>;
  /** Orders CREATED whose `expiresAt` is before `now`. */
  listCreatedExpired(now: number, limit: number): Promise<OrderRecord[]>;
  /** The transitions applied to an order (or to all orders), in order. */
  listEvents(orderId?: string): Promise<OrderEventRecord[]>;
  recordNotification(notification: NotificationRecord): Promise<void>;
  /** Orders newest first (by creation, then id), filtered; `after` is the last order of the previous page. */
  listOrders(query: OrderListQuery): Promise<OrderRecord[]>;
  /**
   * Reserves a refund and stores it PENDING, in one transaction, before the wallet is asked: only if money was
   * received for the order (PAID, or a late payment) and the refunds reserved so far plus this one are at most the
   * paid amount. The reservation is a conditional update the database serialises, so concurrent reservations (from
   * any number of instances) never exceed the amount; a CHECK constraint backs it.
   */
  reserveRefund(refund: NewRefund): Promise<RefundReservation>;
  /**
   * The wallet's final word on a PENDING refund, once: SUCCEEDED adds to the order's refunded amount, FAILED frees
   * its reservation; either records a `refund` event of the order in the same transaction. False when the refund was
   * not PENDING (settled already) or does not exist.
   */
  settleRefund(refundRequestId: string, settlement: RefundSettlement): Promise<boolean>;
  getRefund(refundRequestId: string): Promise<RefundRecord | undefined>;
  /** An order's refunds, oldest first. */
  listRefunds(orderId: string): Promise<RefundRecord[]>;
  /**
   * Claims one PENDING refund last tried at or before `lastAttemptBefore` (the least recently tried first), marking
   * it tried at `at`; several callers at once get different refunds. Undefined when there is none.
   */
  claimPendingRefund(lastAttemptBefore: number, at: number): Promise<RefundRecord | undefined>;
  /** Notes that the wallet reported money received for a closed order (FAILED, CANCELLED, EXPIRED). True when it is such an order. */
  recordLatePayment(orderId: string, at: number): Promise<boolean>;
  /**
   * Claims one undelivered outbox event that is due (its next attempt at or before `at`) and whose lease is free,
   * the oldest first, leasing it to `holder` until `leaseUntil`; several callers at once get different events.
   */
  claimOutbox(at: number, leaseUntil: number, holder: string): Promise<OutboxRecord | undefined>;
  /** The holder's delivery succeeded (once) or failed (tried again at `nextAttemptAt`). */
  finishOutbox(
    id: number,
    holder: string,
    result: { delivered: true; at: number } | { delivered: false; error: string; nextAttemptAt: number },
  ): Promise<void>;
  /** Every outbox event, oldest first (for tests and tools). */
  listOutbox(): Promise<OutboxRecord[]>;
  saveCustomerToken(token: CustomerTokenRecord): Promise<void>;
  getCustomerToken(customerId: string): Promise<CustomerTokenRecord | undefined>;
  close(): Promise<void>;
}
