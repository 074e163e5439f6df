import { appContext } from '../../app-context';
import type { Strings } from '../../i18n/strings';
import { errorView, type ErrorView } from '../../logic/error-view';
import { orderRows, type OrderRow } from '../../logic/orders-view';

export interface OrdersData {
  t: Strings;
  loading: boolean;
  /** "More orders" is under way. */
  loadingMore: boolean;
  error: ErrorView | null;
  rows: OrderRow[];
  /** The server's cursor of the next (older) page; null on the last page. */
  nextCursor: string | null;
}

/** A row's `data-id` arrives in the tap event's dataset. */
interface RowTapEvent {
  currentTarget?: { dataset?: { id?: string } };
}

export type OrdersMethods = {
  load(more: boolean): Promise<void>;
  onMore(): void;
  onRetry(): void;
  onOpen(event: RowTapEvent): void;
  onBackToShop(): void;
};

/** "My orders": the customer's orders as the server has them (newest first, a page at a time), with refunds. */
Page<OrdersData, object, OrdersMethods>({
  data: {
    t: undefined as unknown as Strings,
    loading: true,
    loadingMore: false,
    error: null,
    rows: [],
    nextCursor: null,
  },

  onLoad() {
    const { strings } = appContext();
    this.setData({ t: strings });
    my.setNavigationBar({ title: strings.orders.title });
    void this.load(false);
  },

  async load(more) {
    const { api, strings, locale } = appContext();
    const cursor = more ? this.data.nextCursor : null;
    this.setData(more ? { loadingMore: true, error: null } : { loading: true, error: null });
    try {
      const page = await api.orders(cursor ?? undefined);
      const rows = orderRows(page.orders, strings, locale);
      this.setData({
        loading: false,
        loadingMore: false,
        rows: more ? this.data.rows.concat(rows) : rows,
        nextCursor: page.nextCursor ?? null,
      });
    } catch (error) {
      this.setData({ loading: false, loadingMore: false, error: errorView(error, strings) });
    }
  },

  onMore() {
    if (!this.data.loadingMore && this.data.nextCursor) void this.load(true);
  },

  onRetry() {
    void this.load(this.data.rows.length > 0);
  },

  onOpen(event) {
    const id = event?.currentTarget?.dataset?.id;
    if (id) my.navigateTo({ url: `/pages/result/index?orderId=${encodeURIComponent(id)}` });
  },

  onBackToShop() {
    my.reLaunch({ url: '/pages/products/index' });
  },
});
