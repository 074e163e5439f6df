// The merchant server's JSON API, as the mini program calls it (docs/PROTOCOL.md §6, the repository's protocol
// document): one definition that the server builds its answers to and the mini program reads them with, so a
// change on the wire is a type error on both sides. Amounts are strings of minor units; times are ISO 8601.
import type { OrderStatus } from './order-status';

/** Money on the wire: an ISO 4217 currency and an integer number of minor units as a string (`"1250"` = 12.50 USD). */
export interface Amount {
  currency: string;
  value: string;
}

/** One product of the catalog (`GET /api/products`). */
export interface Product {
  id: string;
  name: string;
  description: string;
  price: Amount;
  /** A small image as a `data:` URI, so the mini program shows it offline. */
  imageUrl: string;
}

/** `GET /api/products` */
export interface ProductsResponse {
  products: Product[];
}

/** `POST /api/session` body: the code from `my.getAuthCode`. */
export interface SessionRequest {
  authCode: string;
}

/** `POST /api/session` answer. The wallet's own tokens never leave the server. */
export interface SessionResponse {
  /** Send as `Authorization: Bearer <token>`. */
  token: string;
  customerId: string;
  /** When the token stops working (ISO 8601). */
  expiresAt: string;
}

/** One line of `POST /api/orders`: the server prices it from its own catalog. */
export interface CartLine {
  productId: string;
  quantity: number;
}

/** `POST /api/orders` body. */
export interface CreateOrderRequest {
  items: CartLine[];
}

/**
 * `POST /api/orders` takes this header: one key per checkout, sent again with every retry of it, so that an answer
 * lost on the way (the order was created, the client never heard) does not become a second order. The same key with
 * another cart is refused (`422 IDEMPOTENCY_KEY_REUSED`).
 */
export const IDEMPOTENCY_KEY_HEADER = 'Idempotency-Key';

/** An idempotency key: 1–255 printable ASCII characters (a UUID or 32 hex digits are typical). */
export const IDEMPOTENCY_KEY_PATTERN = /^[\x21-\x7e]{1,255}$/;

/** What an order may hold: the server refuses anything else with `400 INVALID_REQUEST`. */
export const ORDER_LIMITS = { maxLines: 20, minQuantity: 1, maxQuantity: 99 } as const;

/** One priced line of an order. */
export interface OrderLine {
  productId: string;
  name: string;
  quantity: number;
  unitPrice: Amount;
  lineTotal: Amount;
}

/** Why the wallet failed a payment, e.g. `USER_BALANCE_NOT_ENOUGH`, with its message. */
export interface FailReason {
  code: string;
  message: string;
}

/** An order: the answer of `POST /api/orders` and `GET /api/orders/:id`. */
export interface Order {
  id: string;
  status: OrderStatus;
  amount: Amount;
  items: OrderLine[];
  /** Once the wallet gave the payment an id. */
  paymentId?: string;
  /** When the payment failed and the wallet said why. */
  failReason?: FailReason;
  payee: { name: string };
  createdAt: string;
  updatedAt: string;
  /** After this the order can no longer be paid. */
  expiresAt: string;
  /**
   * The money given back so far (succeeded refunds only), once the order has a refund: the order stays `PAID` (or
   * whatever closed status it had when the money arrived late), and this says how much of it was refunded.
   */
  refundedAmount?: Amount;
  /** The order's refunds, oldest first, once it has one. */
  refunds?: Refund[];
}

/** Where a refund is: asked and not yet answered (`PENDING`: a `U` or a timeout, retried), or answered. */
export type RefundStatus = 'PENDING' | 'SUCCEEDED' | 'FAILED';

/** One refund of an order (`POST /v2/payments/refund`), full or partial. */
export interface Refund {
  /** The refund's `refundRequestId`: stored before the wallet is asked, reused by every retry. */
  id: string;
  status: RefundStatus;
  amount: Amount;
  reason?: string;
  /** `operator` (the `/admin` API or `npm run refund`) or `auto` (money received for an order already closed). */
  initiator: 'operator' | 'auto';
  /** The wallet's id of the refund, once it answered `S`. */
  refundId?: string;
  /** Why the wallet refused it (`FAILED`). */
  failReason?: FailReason;
  createdAt: string;
  updatedAt: string;
}

/** `GET /api/orders?limit=&cursor=`: the customer's own orders, newest first. */
export interface OrderPage {
  orders: Order[];
  /** Pass as `cursor` for the next (older) page; absent on the last page. */
  nextCursor?: string;
}

/** Page sizes of every order listing: `limit` defaults to 20 and is at most 50. */
export const ORDER_PAGE_LIMITS = { defaultLimit: 20, maxLimit: 50 } as const;

/** `POST /api/orders/:id/payment` answer: hand `paymentUrl` to `my.tradePay`. */
export interface PaymentStart {
  paymentUrl: string;
  paymentId: string;
}

/** Every error answer, with a 4xx/5xx status. `code` is stable; `message` is for people. */
export interface ErrorBody {
  error: { code: string; message: string };
}
