// The storage layer as one interface with two implementations: the embedded SQLite file (one instance) and
// PostgreSQL (several instances on one database). Everything is async for the networked one. Every guarantee the
// server makes across instances is a statement of this interface that the database enforces: a conditional status
// update, a unique payment request id, a conditional claim of an order's inquiry lease.
// Amounts are integers in minor units; times are epoch milliseconds (BIGINT).
import type { NewOrder, OrderEventRecord, OrderRecord, TransitionRequest } from './order-record';

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

/** What became of a received notification, for the audit log. */
export type NotificationOutcome =
  | 'applied'
  | 'duplicate'
  | 'not-final'
  | 'conflict'
  | 'mismatch'
  | 'unknown-payment'
  /** Signed by the wallet, but its `paymentAmount` is not an amount (missing, a number, "14.50", "usd"). */
  | 'malformed-amount';

export interface NotificationRecord {
  orderId: string | null;
  paymentId: string | null;
  paymentRequestId: string | null;
  resultStatus: string;
  resultCode: string;
  outcome: NotificationOutcome;
  /** The raw, verified body as it travelled. */
  body: string;
  at: number;
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
   * the same transaction. True when this call changed the row; false when the order was not in a `from` status
   * (someone else won, or it never was), in which case nothing changed.
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
  saveCustomerToken(token: CustomerTokenRecord): Promise<void>;
  getCustomerToken(customerId: string): Promise<CustomerTokenRecord | undefined>;
  close(): Promise<void>;
}
