// The statuses of an order, as the merchant server keeps them and the mini program reads them. Which transitions
// exist is the merchant server's state machine (`order-state.ts` there); which statuses are final is a fact both
// sides rely on: the mini program stops polling at one, the server never leaves one.

export const ORDER_STATUSES = ['CREATED', 'PAYING', 'PAID', 'FAILED', 'CANCELLED', 'EXPIRED'] as const;
export type OrderStatus = (typeof ORDER_STATUSES)[number];

/** The statuses an order never leaves. */
export const FINAL_ORDER_STATUSES = ['PAID', 'FAILED', 'CANCELLED', 'EXPIRED'] as const;
export type FinalOrderStatus = (typeof FINAL_ORDER_STATUSES)[number];

/** Whether `status` is final: PAID, FAILED, CANCELLED or EXPIRED. */
export function isFinalOrderStatus(status: OrderStatus): status is FinalOrderStatus {
  return (FINAL_ORDER_STATUSES as readonly string[]).indexOf(status) !== -1;
}
