/**
 * The merchant server's JSON, as the mini program receives it (SPEC.md §6.3). One definition shared by
 * the API client, the page logic and the tests, so a change on the wire shows up as a type error.
 */

/** An amount in minor units, as a string of digits: `{ currency: 'USD', value: '1250' }` is 12.50 USD. */
export interface Money {
  currency: string;
  value: string;
}

export interface Product {
  id: string;
  name: string;
  description: string;
  price: Money;
  imageUrl?: string;
}

/** `GET /api/products` */
export interface ProductsResponse {
  products: Product[];
}

/** `POST /api/session` `{ authCode }` */
export interface SessionResponse {
  token: string;
  customerId: string;
  expiresAt?: string;
}

export type OrderStatus = 'CREATED' | 'PAYING' | 'PAID' | 'FAILED' | 'CANCELLED' | 'EXPIRED';

export interface OrderItem {
  productId: string;
  name: string;
  quantity: number;
  unitPrice: Money;
  lineTotal: Money;
}

/** `POST /api/orders`, `GET /api/orders/:id` */
export interface Order {
  id: string;
  status: OrderStatus;
  amount: Money;
  items: OrderItem[];
  paymentId?: string;
  /** Present when the wallet said why the payment failed (e.g. `USER_BALANCE_NOT_ENOUGH`). */
  failReason?: { code: string; message: string };
  payee: { name: string };
  createdAt: string;
  updatedAt: string;
}

/** One line of `POST /api/orders` `{ items }`: the server prices it from its own catalog. */
export interface CartLine {
  productId: string;
  quantity: number;
}

/** `POST /api/orders/:id/payment` */
export interface PaymentStart {
  paymentUrl: string;
  paymentId: string;
}

/** Every error answer of the merchant server. */
export interface ErrorBody {
  error: { code: string; message: string };
}
