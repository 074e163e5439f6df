// The order as the mini program sees it: the contract's `Order`, built here and nowhere else. Amounts are strings in
// minor units, times ISO 8601, `paymentId` and `failReason` only when there is one. Internal columns
// (paymentRequestId, the cashier URL, the customer) are not part of it. The operator's `AdminOrder` adds to it.
import type { AdminOrder, Order, Refund } from '@minipay/contract';
import { toAmount } from './internal/money';
import type { OrderEventRecord, OrderRecord, RefundRecord } from './order-record';

/** The order with its refunds (oldest first; `refundedAmount` and `refunds` only once it has one). */
export function toOrderJson(order: OrderRecord, payeeName: string, refunds: readonly RefundRecord[] = []): Order {
  const json: Order = {
    id: order.id,
    status: order.status,
    amount: toAmount(order.currency, order.amount),
    items: order.lines.map((line) => ({
      productId: line.productId,
      name: line.name,
      quantity: line.quantity,
      unitPrice: toAmount(order.currency, line.unitPrice),
      lineTotal: toAmount(order.currency, line.lineTotal),
    })),
    payee: { name: payeeName },
    createdAt: new Date(order.createdAt).toISOString(),
    updatedAt: new Date(order.updatedAt).toISOString(),
    expiresAt: new Date(order.expiresAt).toISOString(),
  };
  if (order.paymentId !== null) json.paymentId = order.paymentId;
  if (order.failCode !== null) json.failReason = { code: order.failCode, message: order.failMessage ?? '' };
  if (refunds.length > 0) {
    json.refundedAmount = toAmount(order.currency, order.refundedAmount);
    json.refunds = refunds.map(toRefundJson);
  }
  return json;
}

export function toRefundJson(refund: RefundRecord): Refund {
  const json: Refund = {
    id: refund.refundRequestId,
    status: refund.status,
    amount: toAmount(refund.currency, refund.amount),
    initiator: refund.initiator,
    createdAt: new Date(refund.createdAt).toISOString(),
    updatedAt: new Date(refund.updatedAt).toISOString(),
  };
  if (refund.reason !== null) json.reason = refund.reason;
  if (refund.refundId !== null) json.refundId = refund.refundId;
  if (refund.failCode !== null) json.failReason = { code: refund.failCode, message: refund.failMessage ?? '' };
  return json;
}

/** What the operator sees: the customer's view, plus whose order it is and its whole history. */
export function toAdminOrderJson(
  order: OrderRecord,
  payeeName: string,
  refunds: readonly RefundRecord[],
  events: readonly OrderEventRecord[],
): AdminOrder {
  const json: AdminOrder = {
    ...toOrderJson(order, payeeName, refunds),
    customerId: order.customerId,
    events: events.map((event) => ({
      from: event.fromStatus,
      to: event.toStatus,
      cause: event.cause,
      ...(event.detail === null ? {} : { detail: event.detail }),
      at: new Date(event.at).toISOString(),
    })),
  };
  if (order.latePaymentAt !== null) json.paidAfterClose = true;
  return json;
}
