// The order as the mini program sees it (the contract's order JSON): amounts as strings in minor units, times as
// ISO 8601, `paymentId` and `failReason` only when there is one. Internal columns (paymentRequestId, the cashier
// URL, the customer) are not part of it.
import type { Amount } from '@minipay/openapi';
import { toAmount } from './internal/money';
import type { OrderStatus } from './order-state';
import type { OrderRecord } from './storage';

export interface OrderLineJson {
  productId: string;
  name: string;
  quantity: number;
  unitPrice: Amount;
  lineTotal: Amount;
}

export interface OrderJson {
  id: string;
  status: OrderStatus;
  amount: Amount;
  items: OrderLineJson[];
  paymentId?: string;
  failReason?: { code: string; message: string };
  payee: { name: string };
  createdAt: string;
  updatedAt: string;
  /** After this the order can no longer be paid. */
  expiresAt: string;
}

export function toOrderJson(order: OrderRecord, payeeName: string): OrderJson {
  const json: OrderJson = {
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
