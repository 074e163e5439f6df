import type { Order } from '@minipay/contract';
import type { Locale } from '../i18n/locale';
import { format } from '../i18n/locale';
import type { Strings } from '../i18n/strings';
import { formatMoney, sumMoney } from './money';
import { resultKind, type ResultKind } from './result-view';

/** One line of "My orders": what the server says of the order, as the user reads it. */
export interface OrderRow {
  id: string;
  /** When it was ordered, in the device's time zone: `2026-12-01 14:05`. */
  date: string;
  /** The items, `2 × Sencha green tea, Sticker pack`. */
  summary: string;
  amount: string;
  /** The order's status in the user's words. */
  status: string;
  /** The result page's four cases, for the badge's colour. */
  kind: ResultKind;
  /** Refunds, when there are any: `Refunded USD 5.00`, `Refund of USD 2.00 pending`; '' otherwise. */
  refund: string;
}

export function orderRows(orders: Order[], t: Strings, locale: Locale): OrderRow[] {
  return orders.map((order) => ({
    id: order.id,
    date: localDateTime(order.createdAt),
    summary: order.items.map((line) => (line.quantity > 1 ? `${line.quantity} × ${line.name}` : line.name)).join(', '),
    amount: formatMoney(order.amount, locale),
    status: t.orders.status[order.status],
    kind: resultKind(order.status),
    refund: refundText(order, t, locale),
  }));
}

/** What the refunds of an order come to: what was given back, and what the wallet has not confirmed yet. */
export function refundText(order: Order, t: Strings, locale: Locale): string {
  const refunds = order.refunds ?? [];
  const currency = order.amount.currency;
  const parts: string[] = [];
  const refunded = sumMoney(
    refunds.filter((refund) => refund.status === 'SUCCEEDED').map((refund) => refund.amount),
    currency,
  );
  if (refunded.value !== '0') {
    parts.push(
      refunded.value === order.amount.value
        ? format(t.orders.refundedAll, { amount: formatMoney(refunded, locale) })
        : format(t.orders.refunded, { amount: formatMoney(refunded, locale) }),
    );
  }
  const pending = sumMoney(
    refunds.filter((refund) => refund.status === 'PENDING').map((refund) => refund.amount),
    currency,
  );
  if (pending.value !== '0') parts.push(format(t.orders.refundPending, { amount: formatMoney(pending, locale) }));
  return parts.join(' · ');
}

/** `YYYY-MM-DD HH:MM` in the device's time zone; the ISO text itself when it is not a time. */
export function localDateTime(iso: string): string {
  const date = new Date(iso);
  if (isNaN(date.getTime())) return iso;
  const two = (n: number): string => (n < 10 ? `0${n}` : String(n));
  return `${date.getFullYear()}-${two(date.getMonth() + 1)}-${two(date.getDate())} ${two(date.getHours())}:${two(date.getMinutes())}`;
}
