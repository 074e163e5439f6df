import { appContext } from '../../app-context';
import type { Strings } from '../../i18n/strings';
import { errorView, type ErrorView } from '../../logic/error-view';
import { resultView, type ResultView } from '../../logic/result-view';

export interface ResultData {
  t: Strings;
  loading: boolean;
  /** "Check again" is under way. */
  checking: boolean;
  view: ResultView | null;
  error: ErrorView | null;
}

export type ResultMethods = {
  orderId: string;
  load(): Promise<void>;
  onCheckAgain(): void;
  onRetry(): void;
  onBackToShop(): void;
  onMyOrders(): void;
};

/**
 * Step 6: what the merchant server says about the order (never the cashier's result code): paid,
 * failed with the wallet's reason, cancelled, or pending with "Check again".
 */
Page<ResultData, object, ResultMethods>({
  data: {
    t: undefined as unknown as Strings,
    loading: true,
    checking: false,
    view: null,
    error: null,
  },
  orderId: '',

  onLoad(query) {
    const { strings } = appContext();
    const orderId = (query as { orderId?: unknown } | undefined)?.orderId;
    this.orderId = typeof orderId === 'string' ? orderId : '';
    this.setData({ t: strings });
    my.setNavigationBar({ title: strings.result.title });
    void this.load();
  },

  async load() {
    const { api, strings, locale } = appContext();
    if (!this.orderId) {
      this.setData({ loading: false, error: { message: strings.result.pendingMessage, canRetry: false } });
      return;
    }
    this.setData({ checking: !this.data.loading, error: null });
    try {
      const order = await api.order(this.orderId);
      this.setData({ loading: false, checking: false, view: resultView(order, strings, locale) });
    } catch (error) {
      this.setData({ loading: false, checking: false, error: errorView(error, strings) });
    }
  },

  onCheckAgain() {
    if (!this.data.checking) void this.load();
  },

  onRetry() {
    void this.load();
  },

  onBackToShop() {
    my.reLaunch({ url: '/pages/products/index' });
  },

  onMyOrders() {
    // In place of this page: "back" from My orders goes to the shop, and opening an order there does not pile up
    // result and history pages.
    my.redirectTo({ url: '/pages/orders/index' });
  },
});
