// The merchant server's JSON API, as the mini program calls it (SPEC.md §6.3 in the repository's protocol
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
}

/** `POST /api/orders/:id/payment` answer: hand `paymentUrl` to `my.tradePay`. */
export interface PaymentStart {
  paymentUrl: string;
  paymentId: string;
}

/** Every error answer, with a 4xx/5xx status. `code` is stable; `message` is for people. */
export interface ErrorBody {
  error: { code: string; message: string };
}
