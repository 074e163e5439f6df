// The tables' rows as both storages read them (the same columns; PostgreSQL's BIGINTs are read as numbers, see
// postgres-storage.ts), and the one mapping from rows to records.
import type { OrderStatus } from '@minipay/contract';
import type {
  NotificationRecord,
  OrderEventRecord,
  OrderLineRecord,
  OrderRecord,
  OutboxEventType,
  OutboxRecord,
  RefundInitiator,
  RefundRecord,
  RefundStatus,
  TransitionCause,
} from '../order-record';
import type { CustomerTokenRecord } from '../storage';

export interface OrderRow {
  id: string;
  customer_id: string;
  status: OrderStatus;
  currency: string;
  amount: number;
  payment_request_id: string | null;
  payment_id: string | null;
  payment_url: string | null;
  fail_code: string | null;
  fail_message: string | null;
  created_at: number;
  updated_at: number;
  expires_at: number;
  paying_since: number | null;
  last_inquiry_at: number | null;
  inquiry_lease_until: number | null;
  refund_reserved: number;
  refunded_amount: number;
  late_payment_at: number | null;
}

export interface RefundRow {
  refund_request_id: string;
  order_id: string;
  currency: string;
  amount: number;
  status: RefundStatus;
  reason: string | null;
  initiator: RefundInitiator;
  payment_id: string | null;
  payment_request_id: string;
  refund_id: string | null;
  fail_code: string | null;
  fail_message: string | null;
  created_at: number;
  updated_at: number;
  last_attempt_at: number;
  attempts: number;
}

export interface LineRow {
  product_id: string;
  name: string;
  quantity: number;
  unit_price: number;
  line_total: number;
}

export interface EventRow {
  id: number;
  order_id: string;
  from_status: OrderStatus;
  to_status: OrderStatus;
  cause: TransitionCause;
  detail: string | null;
  created_at: number;
}

export interface CustomerRow {
  customer_id: string;
  access_token: string;
  access_token_expires_at: number | null;
  refresh_token: string | null;
  refresh_token_expires_at: number | null;
  updated_at: number;
}

export function toOrderRecord(row: OrderRow, lines: readonly LineRow[]): OrderRecord {
  return {
    id: row.id,
    customerId: row.customer_id,
    status: row.status,
    currency: row.currency,
    amount: row.amount,
    lines: lines.map((line): OrderLineRecord => ({
      productId: line.product_id,
      name: line.name,
      quantity: line.quantity,
      unitPrice: line.unit_price,
      lineTotal: line.line_total,
    })),
    paymentRequestId: row.payment_request_id,
    paymentId: row.payment_id,
    paymentUrl: row.payment_url,
    failCode: row.fail_code,
    failMessage: row.fail_message,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    expiresAt: row.expires_at,
    payingSince: row.paying_since,
    lastInquiryAt: row.last_inquiry_at,
    inquiryLeaseUntil: row.inquiry_lease_until,
    refundReserved: row.refund_reserved,
    refundedAmount: row.refunded_amount,
    latePaymentAt: row.late_payment_at,
  };
}

export function toRefundRecord(row: RefundRow): RefundRecord {
  return {
    refundRequestId: row.refund_request_id,
    orderId: row.order_id,
    currency: row.currency,
    amount: row.amount,
    status: row.status,
    reason: row.reason,
    initiator: row.initiator,
    paymentId: row.payment_id,
    paymentRequestId: row.payment_request_id,
    refundId: row.refund_id,
    failCode: row.fail_code,
    failMessage: row.fail_message,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    lastAttemptAt: row.last_attempt_at,
    attempts: row.attempts,
  };
}

export function toEventRecord(row: EventRow): OrderEventRecord {
  return {
    id: row.id,
    orderId: row.order_id,
    fromStatus: row.from_status,
    toStatus: row.to_status,
    cause: row.cause,
    detail: row.detail,
    at: row.created_at,
  };
}

export function toCustomerTokenRecord(row: CustomerRow): CustomerTokenRecord {
  return {
    customerId: row.customer_id,
    accessToken: row.access_token,
    accessTokenExpiresAt: row.access_token_expires_at,
    refreshToken: row.refresh_token,
    refreshTokenExpiresAt: row.refresh_token_expires_at,
    at: row.updated_at,
  };
}

export interface OutboxRow {
  id: number;
  order_id: string;
  event: OutboxEventType;
  refund_request_id: string | null;
  created_at: number;
  next_attempt_at: number;
  attempts: number;
  delivered_at: number | null;
  last_error: string | null;
}

export function toOutboxRecord(row: OutboxRow): OutboxRecord {
  return {
    id: row.id,
    orderId: row.order_id,
    event: row.event,
    refundRequestId: row.refund_request_id,
    createdAt: row.created_at,
    nextAttemptAt: row.next_attempt_at,
    attempts: row.attempts,
    deliveredAt: row.delivered_at,
    lastError: row.last_error,
  };
}

/** A notification's record as the parameters of `INSERT_NOTIFICATION` (portable-sql.ts), in its columns' order. */
export function notificationValues(notification: NotificationRecord): unknown[] {
  return [
    notification.orderId,
    notification.paymentId,
    notification.paymentRequestId,
    notification.resultStatus,
    notification.resultCode,
    notification.outcome,
    notification.body,
    notification.at,
  ];
}
