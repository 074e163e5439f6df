import type { Locale } from '../i18n/locale';
import { format } from '../i18n/locale';
import type { Strings } from '../i18n/strings';
import type { Order } from '@minipay/contract';
import { formatMoney } from './money';

export interface OrderLineView {
  key: string;
  name: string;
  /** `2 × USD 1.50` */
  detail: string;
  total: string;
}

/** The confirm page's view of the order the server priced. */
export interface OrderView {
  id: string;
  payee: string;
  lines: OrderLineView[];
  total: string;
}

export function orderView(order: Order, t: Strings, locale: Locale): OrderView {
  return {
    id: order.id,
    payee: order.payee.name,
    lines: order.items.map((item) => ({
      key: item.productId,
      name: item.name,
      detail: format(t.confirm.line, { quantity: item.quantity, price: formatMoney(item.unitPrice, locale) }),
      total: formatMoney(item.lineTotal, locale),
    })),
    total: formatMoney(order.amount, locale),
  };
}
