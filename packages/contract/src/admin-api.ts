// The merchant server's operator API (`/admin/...`, `Authorization: Bearer <MINIPAY_ADMIN_TOKEN>`): what a person
// running the shop (or `npm run refund`) sees of an order and asks of it. Not for the mini program: the customer's
// view of an order is `Order`.
import type { ErrorBody, Order, Refund } from './merchant-api';
import type { OrderStatus } from './order-status';

/** A change of an order, as the event log keeps it: a status transition or a refund. */
export interface AdminOrderEvent {
  from: OrderStatus;
  to: OrderStatus;
  /** What caused it: `payment-started`, `notification`, `inquiry`, `expiry`, `cancel`, `refund`... */
  cause: string;
  detail?: string;
  at: string;
}

/** An order with what only the operator sees: whose it is and its history. */
export interface AdminOrder extends Order {
  customerId: string;
  /** Money the wallet reported received after the order was already closed (then refunded automatically by default). */
  paidAfterClose?: boolean;
  events: AdminOrderEvent[];
}

/** `GET /admin/orders?status=&from=&to=&limit=&cursor=`: every customer's orders, newest first. */
export interface AdminOrderPage {
  orders: AdminOrder[];
  nextCursor?: string;
}

/** `POST /admin/orders/:id/refunds` body. Without `amount`, whatever is left to refund. */
export interface RefundOrderRequest {
  /** Minor units, as on the wire (`"500"` = 5.00 PHP). */
  amount?: string;
  reason?: string;
}

/**
 * `POST /admin/orders/:id/refunds` answer: `201` when the wallet refunded, `202` when it has not said yet (`PENDING`:
 * retried with the same `refundRequestId` until it does). A refusal is an `ErrorBody` whose `refund` says what was kept.
 */
export interface RefundOrderResponse {
  refund: Refund;
  order: AdminOrder;
}

/** `402 REFUND_REFUSED`: the wallet said no; the refund is kept as `FAILED` and its amount is refundable again. */
export type RefundRefusedBody = ErrorBody & { refund: Refund };

/** `POST /admin/orders/:id/cancel` answer. */
export interface CancelOrderResponse {
  order: AdminOrder;
}
