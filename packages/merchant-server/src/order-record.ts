// An order as the server stores it, and the one way its status changes (a conditional transition). Amounts are
// integers in minor units; times are epoch milliseconds (BIGINT in PostgreSQL). What the mini program sees of an
// order is the contract's `Order` (`order-json.ts` builds it); these are the server's own records.
import type { OrderStatus } from '@minipay/contract';

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
  /** When the wallet was last asked about this order (by any instance): the inquiry rate limit. */
  lastInquiryAt: number | null;
  /** While later than now, an instance is asking the wallet about this order (the inquiry lease); others wait. */
  inquiryLeaseUntil: number | null;
  /** Minor units of refunds succeeded or still pending: never more than `amount` (a CHECK of the table). */
  refundReserved: number;
  /** Minor units of refunds the wallet confirmed. */
  refundedAmount: number;
  /** When the wallet reported the money received although the order was already closed (then it is refundable). */
  latePaymentAt: number | null;
}

export type RefundStatus = 'PENDING' | 'SUCCEEDED' | 'FAILED';

/** Who asked for a refund: a person (the `/admin` API, `npm run refund`) or the server (money for a closed order). */
export type RefundInitiator = 'operator' | 'auto';

/** One refund of an order, stored (PENDING) before the wallet is asked. */
export interface RefundRecord {
  /** The `refundRequestId`: the primary key, reused by every retry. */
  refundRequestId: string;
  orderId: string;
  currency: string;
  /** Minor units. */
  amount: number;
  status: RefundStatus;
  reason: string | null;
  initiator: RefundInitiator;
  /** The payment reference the request carries, fixed at creation so every retry sends the same content. */
  paymentId: string | null;
  paymentRequestId: string;
  /** The wallet's id of the refund, once it answered S. */
  refundId: string | null;
  failCode: string | null;
  failMessage: string | null;
  createdAt: number;
  updatedAt: number;
  /** When the wallet was last asked (a retry of a PENDING refund waits a while after this). */
  lastAttemptAt: number;
  attempts: number;
}

export type NewRefund = Pick<RefundRecord, 'refundRequestId' | 'orderId' | 'amount' | 'reason' | 'initiator'> & {
  at: number;
};

/** What reserving a refund came to: the reservation is one conditional update, so concurrent ones never exceed the paid amount. */
export type RefundReservation =
  | { status: 'reserved'; refund: RefundRecord; order: OrderRecord }
  /** A refund with this `refundRequestId` exists already (it is returned, whatever its amount). */
  | { status: 'duplicate'; refund: RefundRecord; order: OrderRecord }
  /** More than is left: `refundable` minor units are. */
  | { status: 'exceeds'; refundable: number; order: OrderRecord }
  /** No money was received for this order (not PAID, and no late payment). */
  | { status: 'not-refundable'; order: OrderRecord }
  | { status: 'missing' };

/** The wallet's final word on a refund. */
export type RefundSettlement =
  | { status: 'SUCCEEDED'; refundId: string | null; at: number }
  | { status: 'FAILED'; failCode: string; failMessage: string; at: number };

export type NewOrder = Pick<
  OrderRecord,
  'id' | 'customerId' | 'currency' | 'amount' | 'lines' | 'createdAt' | 'expiresAt'
>;

/** Who or what caused a transition, kept in `order_events`. */
export type TransitionCause =
  | 'payment-started'
  | 'pay-rejected'
  | 'notification'
  | 'inquiry'
  | 'expiry'
  | 'cancel'
  /** Not a status change: a refund settled (`from` = `to`), recorded with the transitions so the history is one log. */
  | 'refund';

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
  /**
   * The notification that reports this change, recorded (outcome `applied`) in the same transaction when the change
   * applies: an applied notification never lacks its record, and costs one commit. When the change does not apply,
   * nothing of it is recorded: the caller records it with the outcome it decides (a duplicate, a conflict).
   */
  appliedNotification?: Omit<NotificationRecord, 'outcome'>;
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

/** What the fulfilment hook is told about: an order became PAID, or a refund of it succeeded. */
export type OutboxEventType = 'order.paid' | 'order.refunded';

/** One event of the outbox, written in the same transaction as what it reports. */
export interface OutboxRecord {
  id: number;
  orderId: string;
  event: OutboxEventType;
  /** For `order.refunded`: which refund. */
  refundRequestId: string | null;
  createdAt: number;
  nextAttemptAt: number;
  /** Deliveries tried so far (this one included, once claimed). */
  attempts: number;
  deliveredAt: number | null;
  lastError: string | null;
}
