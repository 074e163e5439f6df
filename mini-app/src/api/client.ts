import { NetworkError, ServerError } from './errors';
import type { MiniRuntime } from './runtime';
import { clearSession, getAuthCode, readSession, saveSession } from './session';
import { sendJson } from './transport';
import { IDEMPOTENCY_KEY_HEADER } from '@minipay/contract';
import type {
  CartLine,
  Order,
  OrderPage,
  PaymentStart,
  Product,
  ProductsResponse,
  SessionResponse,
} from '@minipay/contract';

/** How many times a keyed `createOrder` is retried after a network error (so at most 3 sends). */
export const CREATE_ORDER_RETRIES = 2;

/**
 * A new idempotency key for one checkout: 32 hex digits and the time. Not a secret (a key only means something with
 * its customer's session), so `Math.random` serves; the mini program has no Node crypto.
 */
export function newIdempotencyKey(now: number = Date.now()): string {
  let random = '';
  for (let i = 0; i < 4; i++)
    random += Math.floor(Math.random() * 0x100000000)
      .toString(16)
      .padStart(8, '0');
  return `${now.toString(36)}-${random}`;
}

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

  /**
   * `POST /api/orders`: the server prices the lines from its own catalog. With an `idempotencyKey` (one per
   * checkout: `newIdempotencyKey()`), a network error is retried with the same key up to `CREATE_ORDER_RETRIES`
   * times: if the order was created and only the answer was lost, the retry gets that order, never a second one.
   * Pass the same key again when the user retries the same checkout.
   */
  async createOrder(items: CartLine[], options: { idempotencyKey?: string } = {}): Promise<Order> {
    const headers =
      options.idempotencyKey === undefined ? undefined : { [IDEMPOTENCY_KEY_HEADER]: options.idempotencyKey };
    for (let attempt = 0; ; attempt++) {
      try {
        return await this.authed<Order>('POST', '/api/orders', { items }, headers);
      } catch (error) {
        // Without a key a retry could create a second order: only a keyed create is retried.
        if (!(error instanceof NetworkError) || headers === undefined || attempt >= CREATE_ORDER_RETRIES) throw error;
      }
    }
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

  private async authed<T>(
    method: 'GET' | 'POST',
    path: string,
    body?: unknown,
    headers?: Record<string, string>,
  ): Promise<T> {
    const token = await this.ensureSession();
    try {
      return await this.send<T>(method, path, body, token, headers);
    } catch (error) {
      if (!(error instanceof ServerError && error.status === 401)) throw error;
      // SESSION_EXPIRED (or a token the server no longer knows): renew once, retry once.
      clearSession(this.runtime);
      const renewed = await this.startSession();
      return this.send<T>(method, path, body, renewed, headers);
    }
  }

  private send<T>(
    method: 'GET' | 'POST',
    path: string,
    body?: unknown,
    token?: string,
    headers?: Record<string, string>,
  ): Promise<T> {
    return sendJson<T>(this.runtime, {
      method,
      url: this.baseUrl + path,
      body,
      token,
      timeoutMs: this.timeoutMs,
      ...(headers ? { headers } : {}),
    });
  }
}
