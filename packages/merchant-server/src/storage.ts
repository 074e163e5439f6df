// The storage layer as one interface, so that a PostgreSQL implementation can replace the embedded SQLite one
// when several instances run. Everything is async for that reason, even though better-sqlite3 is synchronous.
// Amounts are integers in minor units; times are epoch milliseconds (BIGINT in PostgreSQL).
import type { NewOrder, OrderEventRecord, OrderRecord, TransitionRequest } from './order-record';

/** A position in the PAYING list of `listPayingSince`: the last order of the previous page. */
export interface PayingCursor {
  payingSince: number;
  id: string;
}

/** What became of a received notification, for the audit log. */
export type NotificationOutcome = 'applied' | 'duplicate' | 'not-final' | 'conflict' | 'mismatch' | 'unknown-payment';

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

export interface Storage {
  createOrder(order: NewOrder): Promise<void>;
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
  /**
   * Orders PAYING since before `before`, oldest first (ties by id). With `after`, only those that come after that
   * order in this ordering: the reconciler pages through all of them instead of asking about the oldest page forever.
   */
  listPayingSince(before: number, limit: number, after?: PayingCursor): Promise<OrderRecord[]>;
  /** Orders CREATED whose `expiresAt` is before `now`. */
  listCreatedExpired(now: number, limit: number): Promise<OrderRecord[]>;
  /** The transitions applied to an order (or to all orders), in order. */
  listEvents(orderId?: string): Promise<OrderEventRecord[]>;
  recordNotification(notification: NotificationRecord): Promise<void>;
  saveCustomerToken(token: CustomerTokenRecord): Promise<void>;
  getCustomerToken(customerId: string): Promise<CustomerTokenRecord | undefined>;
  close(): Promise<void>;
}
