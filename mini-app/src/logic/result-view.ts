import type { Locale } from '../i18n/locale';
import { format } from '../i18n/locale';
import type { Strings } from '../i18n/strings';
import type { Order, OrderStatus } from '@minipay/contract';
import { formatMoney } from './money';
import { reasonText } from './reason';

/** What the result page can say: the server's status folded into four cases. */
export type ResultKind = 'paid' | 'failed' | 'cancelled' | 'pending';

/** The result page's view model. `icon` is the antd-mini `<ant-result type>`. */
export interface ResultView {
  kind: ResultKind;
  icon: 'success' | 'error' | 'warning' | 'wait';
  title: string;
  message: string;
  /** Only a pending payment can change by asking again. */
  canCheckAgain: boolean;
}

/** The merchant server's order status → what the user is told (docs/PROTOCOL.md §6). */
export function resultKind(status: OrderStatus): ResultKind {
  switch (status) {
    case 'PAID':
      return 'paid';
    case 'FAILED':
      return 'failed';
    case 'CANCELLED':
    case 'EXPIRED':
      return 'cancelled';
    case 'CREATED':
    case 'PAYING':
      return 'pending';
  }
}

export function resultView(order: Order, t: Strings, locale: Locale): ResultView {
  const kind = resultKind(order.status);
  switch (kind) {
    case 'paid':
      return {
        kind,
        icon: 'success',
        title: t.result.paidTitle,
        message: format(t.result.paidMessage, { orderId: order.id, amount: formatMoney(order.amount, locale) }),
        canCheckAgain: false,
      };
    case 'failed': {
      const reason = order.failReason ? reasonText(order.failReason, t) : '';
      return {
        kind,
        icon: 'error',
        title: t.result.failedTitle,
        message: reason ? format(t.result.failedMessage, { reason }) : t.result.failedNoReason,
        canCheckAgain: false,
      };
    }
    case 'cancelled':
      return {
        kind,
        icon: 'warning',
        title: t.result.cancelledTitle,
        message: format(t.result.cancelledMessage, { orderId: order.id }),
        canCheckAgain: false,
      };
    case 'pending':
      return {
        kind,
        icon: 'wait',
        title: t.result.pendingTitle,
        message: t.result.pendingMessage,
        canCheckAgain: true,
      };
  }
}
