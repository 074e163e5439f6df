// What both storages say alike about refunds, beyond the SQL they share: why a reservation was refused, and how a
// settled refund reads in the order's event log (`order_events.detail`).
import type { OrderRecord, RefundReservation, RefundSettlement } from '../order-record';

/** Why a reservation's conditional update changed nothing, read from the order inside the same transaction. */
export function reservationRefused(order: OrderRecord): RefundReservation {
  if (order.status !== 'PAID' && order.latePaymentAt === null) return { status: 'not-refundable', order };
  return { status: 'exceeds', refundable: order.amount - order.refundReserved, order };
}

export function refundEventDetail(refundRequestId: string, amount: number, settlement: RefundSettlement): string {
  return settlement.status === 'SUCCEEDED'
    ? `refund ${refundRequestId} SUCCEEDED ${amount}`
    : `refund ${refundRequestId} FAILED ${amount} ${settlement.failCode}`;
}
