// Closing an order that was not paid (`POST /v2/payments/cancel`). A PAYING order is cancelled at the wallet before
// it is closed here: otherwise the wallet could still take the customer's money after the shop gave up on the order.
// Used for an order PAYING past its expiry that the wallet still calls PROCESSING (the inquirer), and by the operator
// (`POST /admin/orders/:id/cancel`), who may also cancel a CREATED order (nothing was sent to the wallet yet).
import type { FastifyBaseLogger } from 'fastify';
import { errorSummary } from './internal/error-summary';
import { transitionOrder } from './order-state';
import type { OrderRecord } from './order-record';
import type { Settlement } from './settlement';
import type { Storage } from './storage';
import type { WalletApi } from './wallet-api';

export interface CancellerOptions {
  storage: Storage;
  wallet: WalletApi;
  settlement: Settlement;
  log: FastifyBaseLogger;
  /** Epoch milliseconds. */
  clock: () => number;
}

/** What cancelling came to. */
export type CancelOutcome =
  /** The order is closed (`order.status`: CANCELLED, or EXPIRED for the expiry path). */
  | { status: 'closed'; order: OrderRecord }
  /** The order is final already (PAID included: a refund, not a cancel, gives that money back). */
  | { status: 'final'; order: OrderRecord }
  /** The wallet refused (`F`, e.g. the payment succeeded meanwhile): the order stays PAYING; an inquiry decides. */
  | { status: 'refused'; code: string; message: string; order: OrderRecord }
  /** No answer (`U`, a timeout): the order stays PAYING; asking again sends the same cancel. */
  | { status: 'pending'; order: OrderRecord }
  | { status: 'missing' };

export class Canceller {
  constructor(private readonly options: CancellerOptions) {}

  /**
   * Cancels the order: CREATED → CANCELLED at once; PAYING → `cancel` at the wallet, and on S → `to` (CANCELLED by the
   * operator, EXPIRED for an expired order), through the state machine, so a notification racing it wins or loses
   * cleanly.
   */
  async cancel(order: OrderRecord, to: 'CANCELLED' | 'EXPIRED', detail: string): Promise<CancelOutcome> {
    const { storage, wallet, settlement, log, clock } = this.options;
    if (order.status === 'CREATED') {
      // Only from CREATED: if "pay" wins the race the order is PAYING, and is cancelled at the wallet below.
      const applied = await storage.transition({
        orderId: order.id,
        from: ['CREATED'],
        to,
        at: clock(),
        cause: 'cancel',
        detail,
      });
      const current = await storage.getOrder(order.id);
      if (current === undefined) return { status: 'missing' };
      if (applied) log.info({ orderId: order.id, status: to, cause: 'cancel' }, `order ${to}`);
      if (current.status !== 'PAYING') return closedOrFinal(current, to);
      order = current;
    }
    if (order.status !== 'PAYING') return { status: 'final', order };
    let answer;
    try {
      answer = await wallet.cancelPayment({
        ...(order.paymentId === null ? {} : { paymentId: order.paymentId }),
        ...(order.paymentRequestId === null ? {} : { paymentRequestId: order.paymentRequestId }),
      });
    } catch (error) {
      log.warn({ orderId: order.id, err: errorSummary(error) }, 'cancel: no usable answer from the wallet');
      return { status: 'pending', order };
    }
    if (answer.status === 'S') {
      const outcome = await transitionOrder(storage, order.id, to, { at: clock(), cause: 'cancel', detail });
      settlement.logTransition(outcome, 'cancel');
      if (outcome.status === 'missing') return { status: 'missing' };
      return closedOrFinal(outcome.order, to);
    }
    const current = (await storage.getOrder(order.id)) ?? order;
    if (answer.status === 'F') {
      log.warn({ orderId: order.id, resultCode: answer.code }, 'cancel: the wallet refused; the order stays PAYING');
      return { status: 'refused', code: answer.code, message: answer.message, order: current };
    }
    log.warn({ orderId: order.id, resultCode: answer.code }, 'cancel: result unknown; the order stays PAYING');
    return { status: 'pending', order: current };
  }
}

function closedOrFinal(order: OrderRecord, to: 'CANCELLED' | 'EXPIRED'): CancelOutcome {
  return order.status === to ? { status: 'closed', order } : { status: 'final', order };
}
