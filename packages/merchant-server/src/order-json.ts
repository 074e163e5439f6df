// The order as the mini program sees it: the contract's `Order`, built here and nowhere else. Amounts are strings in
// minor units, times ISO 8601, `paymentId` and `failReason` only when there is one. Internal columns
// (paymentRequestId, the cashier URL, the customer) are not part of it.
import type { Order } from '@minipay/contract';
import { toAmount } from './internal/money';
import type { OrderRecord } from './order-record';

export function toOrderJson(order: OrderRecord, payeeName: string): Order {
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
  return json;
}
