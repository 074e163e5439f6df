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
}

export type NewOrder = Pick<
  OrderRecord,
  'id' | 'customerId' | 'currency' | 'amount' | 'lines' | 'createdAt' | 'expiresAt'
>;

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
