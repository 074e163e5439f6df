import type { Product } from '@minipay/contract';
import { appContext } from '../../app-context';
import type { Locale } from '../../i18n/locale';
import type { Strings } from '../../i18n/strings';
import {
  cartLines,
  cartTotal,
  clampQuantity,
  encodeCart,
  productRows,
  type ProductRow,
  type Quantities,
} from '../../logic/cart';
import { errorView, type ErrorView } from '../../logic/error-view';
import { formatMoney } from '../../logic/money';

export interface ProductsData {
  t: Strings;
  loading: boolean;
  error: ErrorView | null;
  products: Product[];
  quantities: Quantities;
  rows: ProductRow[];
  /** The formatted cart total, '' for an empty cart. */
  total: string;
  canCheckout: boolean;
}

/** antd-mini's Stepper calls `onChange(value, event)`; `data-id` on the stepper arrives in the dataset. */
interface StepperEvent {
  currentTarget?: { dataset?: { id?: string } };
}

export type ProductsMethods = {
  /**
   * Set when "Checkout" opens the confirm page, cleared when this page shows again: a quick second tap
   * would otherwise push a second confirm page, and create a second order.
   */
  leaving: boolean;
  load(): Promise<void>;
  onRetry(): void;
  onQuantityChange(value: number | null, event: StepperEvent): void;
  onCheckout(): void;
  onMyOrders(): void;
};

Page<ProductsData, object, ProductsMethods>({
  data: {
    t: undefined as unknown as Strings,
    loading: true,
    error: null,
    products: [],
    quantities: {},
    rows: [],
    total: '',
    canCheckout: false,
  },
  leaving: false,

  onLoad() {
    const { strings } = appContext();
    this.setData({ t: strings });
    my.setNavigationBar({ title: strings.products.title });
    void this.load();
  },

  onShow() {
    this.leaving = false;
  },

  async load() {
    const { api, strings, locale } = appContext();
    this.setData({ loading: true, error: null });
    try {
      const products = await api.products();
      this.setData({
        loading: false,
        products,
        rows: productRows(products, this.data.quantities, locale),
        ...totals(products, this.data.quantities, locale),
      });
    } catch (error) {
      this.setData({ loading: false, error: errorView(error, strings) });
    }
  },

  onRetry() {
    void this.load();
  },

  onQuantityChange(value, event) {
    const id = event?.currentTarget?.dataset?.id;
    if (!id) return;
    const { locale } = appContext();
    const quantities = { ...this.data.quantities, [id]: clampQuantity(value) };
    this.setData({
      quantities,
      rows: productRows(this.data.products, quantities, locale),
      ...totals(this.data.products, quantities, locale),
    });
  },

  onMyOrders() {
    if (this.leaving) return;
    this.leaving = true;
    my.navigateTo({
      url: '/pages/orders/index',
      fail: () => {
        this.leaving = false;
      },
    });
  },

  onCheckout() {
    if (this.leaving) return;
    const lines = cartLines(this.data.products, this.data.quantities);
    if (!lines.length) {
      my.showToast({ content: this.data.t.products.emptyCart });
      return;
    }
    this.leaving = true;
    my.navigateTo({
      url: `/pages/confirm/index?items=${encodeCart(lines)}`,
      fail: () => {
        this.leaving = false;
      },
    });
  },
});

function totals(products: Product[], quantities: Quantities, locale: Locale) {
  const total = cartTotal(products, quantities);
  return { total: total ? formatMoney(total, locale) : '', canCheckout: !!total };
}
