import {
  confirmPayment,
  tradePay,
  type AbortSignalLike,
  type ErrorOutcome,
  type NotPermittedOutcome,
  type PaymentResult,
  type TradePayOutcome,
} from '@minipay/tradepay';
import type { MerchantApi } from '../api/client';
import type { Order } from '@minipay/contract';

/** How a tap on "Pay" ended, short of an exception (the merchant server unreachable or refusing). */
export type PayStep =
  /** The cashier answered; `result` is what the merchant server confirmed. */
  | { kind: 'confirmed'; outcome: TradePayOutcome; result: PaymentResult<Order> }
  /** The cashier never ran: the JSAPI failed or the app may not take payments. Shown on the confirm page. */
  | { kind: 'not-started'; outcome: NotPermittedOutcome | ErrorOutcome };

export interface PayOrderOptions {
  api: MerchantApi;
  orderId: string;
  /** Delays between order checks; default tradepay's (every 5 s up to a minute). */
  schedule?: readonly number[];
  /** Stops the confirmation (it then rejects with tradepay's `ABORTED`), e.g. when the page is left. */
  signal?: AbortSignalLike;
}

/**
 * Steps 2–6 of the payment sequence (docs/PROTOCOL.md §2) for one order: the merchant server creates the
 * payment with the wallet, `my.tradePay` opens the cashier, then the order is checked with the server
 * until it is final, whatever the cashier's result code said. Throws the API client's errors.
 */
export async function payOrder({ api, orderId, schedule, signal }: PayOrderOptions): Promise<PayStep> {
  const { paymentUrl } = await api.startPayment(orderId);
  const outcome = await tradePay({ paymentUrl });
  if (outcome.status === 'not-permitted' || outcome.status === 'error') return { kind: 'not-started', outcome };
  const result = await confirmPayment<Order>(outcome, { check: () => api.order(orderId), schedule, signal });
  return { kind: 'confirmed', outcome, result };
}
