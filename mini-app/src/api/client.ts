import { ServerError } from './errors';
import type { MiniRuntime } from './runtime';
import { clearSession, getAuthCode, readSession, saveSession } from './session';
import { sendJson } from './transport';
import type {
  CartLine,
  Order,
  OrderPage,
  PaymentStart,
  Product,
  ProductsResponse,
  SessionResponse,
} from '@minipay/contract';

export interface MerchantApiOptions {
  /** The merchant server, e.g. `http://127.0.0.1:8200` (a trailing slash is ignored). */
  baseUrl: string;
  /** The platform's `my` (or a double with the same methods). */
  runtime: MiniRuntime;
  /** Per-request timeout handed to `my.request`, in milliseconds. Default 15000. */
  timeoutMs?: number;
  /** The clock the stored session's expiry is compared with (ms since the epoch). Default `Date.now`. */
  now?: () => number;
}

/**
 * The merchant server's API (docs/PROTOCOL.md §6) for the pages. Authenticated calls carry the session token;
 * a stored session past (or about to pass) the server's `expiresAt` is renewed before the call, and when
 * the server says the session expired (401) anyway, it is renewed once and the call retried.
 */
export class MerchantApi {
  private readonly baseUrl: string;
  private readonly runtime: MiniRuntime;
  private readonly timeoutMs: number;
  private readonly now: () => number;
  /** A session start in flight, shared so launch and a page's first call do not start two. */
  private starting: Promise<string> | undefined;

  constructor(options: MerchantApiOptions) {
    this.baseUrl = options.baseUrl.replace(/\/+$/, '');
    this.runtime = options.runtime;
    this.timeoutMs = options.timeoutMs ?? 15000;
    this.now = options.now ?? Date.now;
  }

  /** `GET /api/products` */
  async products(): Promise<Product[]> {
    const body = await this.send<ProductsResponse>('GET', '/api/products');
    return body.products;
  }

  /** `POST /api/orders`: the server prices the lines from its own catalog. */
  createOrder(items: CartLine[]): Promise<Order> {
    return this.authed<Order>('POST', '/api/orders', { items });
  }

  /** `GET /api/orders/:id`: the server's record, the only truth about a payment. */
  order(orderId: string): Promise<Order> {
    return this.authed<Order>('GET', `/api/orders/${encodeURIComponent(orderId)}`);
  }

  /** `GET /api/orders`: the customer's own orders, newest first; pass `nextCursor` back for the next page. */
  orders(cursor?: string): Promise<OrderPage> {
    return this.authed<OrderPage>(
      'GET',
      cursor === undefined ? '/api/orders' : `/api/orders?cursor=${encodeURIComponent(cursor)}`,
    );
  }

  /** `POST /api/orders/:id/payment`: the server asks the wallet to create the payment (idempotent). */
  startPayment(orderId: string): Promise<PaymentStart> {
    return this.authed<PaymentStart>('POST', `/api/orders/${encodeURIComponent(orderId)}/payment`, {});
  }

  /** The stored session token, or a new session when there is none or it has expired. */
  ensureSession(): Promise<string> {
    const stored = readSession(this.runtime, this.now());
    return stored ? Promise.resolve(stored.token) : this.startSession();
  }

  /** `my.getAuthCode` → `POST /api/session`; the token is kept in storage. */
  startSession(): Promise<string> {
    if (!this.starting) {
      this.starting = (async () => {
        try {
          const authCode = await getAuthCode(this.runtime);
          const session = await this.send<SessionResponse>('POST', '/api/session', { authCode });
          saveSession(this.runtime, session, this.now());
          return session.token;
        } finally {
          this.starting = undefined;
        }
      })();
    }
    return this.starting;
  }

  private async authed<T>(method: 'GET' | 'POST', path: string, body?: unknown): Promise<T> {
    const token = await this.ensureSession();
    try {
      return await this.send<T>(method, path, body, token);
    } catch (error) {
      if (!(error instanceof ServerError && error.status === 401)) throw error;
      // SESSION_EXPIRED (or a token the server no longer knows): renew once, retry once.
      clearSession(this.runtime);
      const renewed = await this.startSession();
      return this.send<T>(method, path, body, renewed);
    }
  }

  private send<T>(method: 'GET' | 'POST', path: string, body?: unknown, token?: string): Promise<T> {
    return sendJson<T>(this.runtime, { method, url: this.baseUrl + path, body, token, timeoutMs: this.timeoutMs });
  }
}
