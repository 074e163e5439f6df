// The order state machine, in one place: which transitions exist, and the only code that changes an order's
// status. Every change is a conditional update (`WHERE status IN (sources)`), so when a notification, a duplicate
// of it and an inquiry race, exactly one of them changes the row and the others see "already there".
//
//   CREATED ──pay──▶ PAYING ──▶ PAID | FAILED | CANCELLED | EXPIRED
//      └──────── expiry, operator cancel ──▶ EXPIRED | CANCELLED
// Refunds do not change the status: a PAID order stays PAID, with its refunded amount beside it (`refunds.ts`).
// The statuses themselves, and which of them are final, are the contract's (the mini program relies on them too);
// the table's type makes a final status that could move, or a missing status, a type error.
import { isFinalOrderStatus, ORDER_STATUSES, type FinalOrderStatus, type OrderStatus } from '@minipay/contract';
import type { OrderRecord, TransitionCause, TransitionRequest } from './order-record';
import type { Storage } from './storage';

/** From each status, the statuses it may move to. A final status moves nowhere. */
export const TRANSITIONS: {
  readonly [S in OrderStatus]: S extends FinalOrderStatus ? readonly [] : readonly OrderStatus[];
} = {
  CREATED: ['PAYING', 'EXPIRED', 'CANCELLED'],
  PAYING: ['PAID', 'FAILED', 'CANCELLED', 'EXPIRED'],
  PAID: [],
  FAILED: [],
  CANCELLED: [],
  EXPIRED: [],
};

export function isFinal(status: OrderStatus): status is FinalOrderStatus {
  return isFinalOrderStatus(status);
}

export function canTransition(from: OrderStatus, to: OrderStatus): boolean {
  return (TRANSITIONS[from] as readonly OrderStatus[]).includes(to);
}

/** The statuses from which `to` can be reached. */
export function sourcesOf(to: OrderStatus): OrderStatus[] {
  return ORDER_STATUSES.filter((from) => canTransition(from, to));
}

/**
 * What a transition attempt came to:
 * - `applied`: this call changed the order (and recorded one event);
 * - `unchanged`: the order already had the target status (a duplicate, or someone else won the race);
 * - `conflict`: the order has another status that cannot move to the target (e.g. PAID, and a failure arrives);
 * - `missing`: no such order.
 */
export type TransitionOutcome =
  | { status: 'applied'; order: OrderRecord }
  | { status: 'unchanged'; order: OrderRecord }
  | { status: 'conflict'; order: OrderRecord }
  | { status: 'missing' };

export interface TransitionOptions {
  at: number;
  cause: TransitionCause;
  detail?: string;
  set?: TransitionRequest['set'];
  appliedNotification?: TransitionRequest['appliedNotification'];
}

/** Moves an order to `to` if the state machine allows it from the order's status at the moment of the update. */
export async function transitionOrder(
  storage: Storage,
  orderId: string,
  to: OrderStatus,
  options: TransitionOptions,
): Promise<TransitionOutcome> {
  const request: TransitionRequest = { orderId, from: sourcesOf(to), to, at: options.at, cause: options.cause };
  if (options.detail !== undefined) request.detail = options.detail;
  if (options.set !== undefined) request.set = options.set;
  if (options.appliedNotification !== undefined) request.appliedNotification = options.appliedNotification;
  const changed = await storage.transition(request);
  const order = await storage.getOrder(orderId);
  if (order === undefined) return { status: 'missing' };
  if (changed) return { status: 'applied', order };
  return order.status === to ? { status: 'unchanged', order } : { status: 'conflict', order };
}
