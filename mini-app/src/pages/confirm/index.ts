import type { CartLine } from '@minipay/contract';
import { newIdempotencyKey } from '../../api/client';
import { appContext } from '../../app-context';
import type { Strings } from '../../i18n/strings';
import { createAborter, type Aborter } from '../../logic/abort';
import { decodeCart } from '../../logic/cart';
import { errorView, tradePayErrorView, type ErrorView } from '../../logic/error-view';
import { orderView, type OrderView } from '../../logic/order-view';
import { payOrder } from '../../logic/pay-order';

export interface ConfirmData {
  t: Strings;
  /** Creating the order. */
  loading: boolean;
  order: OrderView | null;
  /** A payment is under way: the Pay button is disabled until it ends. */
  paying: boolean;
  error: ErrorView | null;
}

export type ConfirmMethods = {
  /** The cart from the query, kept for "Try again" when creating the order failed. */
  lines: CartLine[];
  /** This checkout's `Idempotency-Key`: every attempt to create its order (retries included) sends the same one. */
  idempotencyKey: string;
  /** Set on unload so a payment that ends later does not navigate from a page that is gone. */
  unloaded: boolean;
  /** Stops polling the order when the page is left during a payment. */
  aborter: Aborter | null;
  createOrder(): Promise<void>;
  onPay(): Promise<void>;
  onRetry(): void;
};

Page<ConfirmData, object, ConfirmMethods>({
  data: {
    t: undefined as unknown as Strings,
    loading: true,
    order: null,
    paying: false,
    error: null,
  },
  lines: [],
  idempotencyKey: '',
  unloaded: false,
  aborter: null,

  onLoad(query) {
    const { strings } = appContext();
    this.unloaded = false;
    this.lines = decodeCart((query as { items?: unknown } | undefined)?.items);
    this.idempotencyKey = newIdempotencyKey();
    this.setData({ t: strings });
    my.setNavigationBar({ title: strings.confirm.title });
    void this.createOrder();
  },

  onUnload() {
    this.unloaded = true;
    if (this.aborter) this.aborter.abort();
  },

  /** Step 1: the server prices the cart and creates the order. */
  async createOrder() {
    const { api, strings, locale } = appContext();
    if (!this.lines.length) {
      this.setData({ loading: false, error: { message: strings.products.emptyCart, canRetry: false } });
      return;
    }
    this.setData({ loading: true, error: null });
    try {
      const order = await api.createOrder(this.lines, { idempotencyKey: this.idempotencyKey });
      this.setData({ loading: false, order: orderView(order, strings, locale) });
    } catch (error) {
      this.setData({ loading: false, error: errorView(error, strings) });
    }
  },

  /** Steps 2–6: payment, cashier, confirmation with the server, result page. */
  async onPay() {
    const order = this.data.order;
    if (this.data.paying || !order) return;
    const { api, strings, confirmSchedule } = appContext();
    this.setData({ paying: true, error: null });
    const aborter = (this.aborter = createAborter());
    try {
      const step = await payOrder({ api, orderId: order.id, schedule: confirmSchedule, signal: aborter.signal });
      if (this.unloaded) return;
      switch (step.kind) {
        case 'confirmed':
          my.redirectTo({ url: `/pages/result/index?orderId=${encodeURIComponent(order.id)}` });
          return;
        case 'not-started':
          this.setData({ paying: false, error: tradePayErrorView(step.outcome, strings) });
          return;
      }
    } catch (error) {
      if (!this.unloaded) this.setData({ paying: false, error: errorView(error, strings, 'payment') });
    } finally {
      if (this.aborter === aborter) this.aborter = null;
    }
  },

  onRetry() {
    if (this.data.order) void this.onPay();
    else void this.createOrder();
  },
});
