// The storage layer as one interface, so that a PostgreSQL implementation can replace the embedded SQLite one
// when several instances run. Everything is async for that reason, even though better-sqlite3 is synchronous.
// Amounts are integers in minor units; times are epoch milliseconds (BIGINT in PostgreSQL).
import type { OrderStatus } from './order-state';

/** One line of an order, priced from the catalog when the order was created. */
export interface OrderLineRecord {
  productId: string;
  name: string;
  quantity: number;
  /** Minor units. */
  unitPrice: number;
  /** Minor units: `unitPrice * quantity`. */
  lineTotal: number;
}

export interface OrderRecord {
  id: string;
  customerId: string;
  status: OrderStatus;
  currency: string;
  /** Minor units. */
  amount: number;
  lines: OrderLineRecord[];
  /** The `pay` idempotency key: set once, together with CREATED → PAYING, and reused by every retry. */
  paymentRequestId: string | null;
  /** The wallet's id of the payment, once `pay` answered or a notification told us. */
  paymentId: string | null;
  /** The cashier URL `pay` answered, returned again when the client asks twice. */
  paymentUrl: string | null;
  failCode: string | null;
  failMessage: string | null;
  createdAt: number;
  updatedAt: number;
  /** After this the order can no longer be paid; also the payment's `paymentExpiryTime`. */
  expiresAt: number;
  /** When the order entered PAYING; the reconciler asks about orders PAYING for too long. */
  payingSince: number | null;
}

export type NewOrder = Pick<OrderRecord, 'id' | 'customerId' | 'currency' | 'amount' | 'lines' | 'createdAt' | 'expiresAt'>;

/** A position in the PAYING list of `listPayingSince`: the last order of the previous page. */
export interface PayingCursor {
  payingSince: number;
  id: string;
}

/** Who or what caused a transition, kept in `order_events`. */
export type TransitionCause = 'payment-started' | 'pay-rejected' | 'notification' | 'inquiry' | 'expiry';

/** A conditional status change. Only `order-state.ts` builds these. */
export interface TransitionRequest {
  orderId: string;
  /** The change applies only if the order's status is one of these, at the moment of the update. */
  from: readonly OrderStatus[];
  to: OrderStatus;
  at: number;
  cause: TransitionCause;
  /** Free text for the event log (the notification's result code, the inquiry's status...). */
  detail?: string;
  /** Columns changed with the status, in the same statement. `paymentRequestId`/`paymentId` only fill a NULL. */
  set?: {
    paymentRequestId?: string;
    paymentId?: string;
    failCode?: string;
    failMessage?: string;
    payingSince?: number;
  };
}

/** An applied transition, as recorded. */
export interface OrderEventRecord {
  id: number;
  orderId: string;
  fromStatus: OrderStatus;
  toStatus: OrderStatus;
  cause: TransitionCause;
  detail: string | null;
  at: number;
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
  setPaymentDetails(orderId: string, details: { paymentId: string; paymentUrl: string | null }, at: number): Promise<boolean>;
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
