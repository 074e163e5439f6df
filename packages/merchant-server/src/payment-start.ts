// Starting (or resuming) the payment of an order: CREATED → PAYING with its one `paymentRequestId`, then `pay`.
// Every expected answer is a value of `PaymentStartResult`, which the route maps to HTTP; nothing here speaks HTTP.
//
// Rules a merchant copying this should keep:
// - The `paymentRequestId` is created once per order, stored together with CREATED → PAYING, and reused by every
//   retry of `pay`, so the wallet never creates two payments for one order.
// - `U`, a timeout or a broken connection is "unknown", never "failed": the order stays PAYING until a
//   notification or an inquiry says what happened.
import { randomBytes } from 'node:crypto';
import type { OrderStatus } from '@minipay/contract';
import type { FastifyBaseLogger } from 'fastify';
import { formatRequestTime, type PayRequest } from '@minipay/openapi';
import { errorSummary } from './internal/error-summary';
import { toAmount } from './internal/money';
import { truncate } from './internal/truncate';
import type { Inquirer } from './inquirer';
import { transitionOrder } from './order-state';
import type { OrderRecord } from './order-record';
import type { Settlement } from './settlement';
import type { Storage } from './storage';
import type { WalletApi } from './wallet-api';

/** What starting a payment came to. A `switch` on `status` must handle each. */
export type PaymentStartResult =
  /** The wallet accepted: hand `paymentUrl` to `my.tradePay`. Asking again answers the same payment. */
  | { status: 'started'; paymentUrl: string; paymentId: string }
  /**
   * The wallet said no (`F`), with its code. `orderFailed`: the order is now FAILED; otherwise an earlier `pay` had
   * been accepted, so the refusal of a retry does not undo that payment (an inquiry decides).
   */
  | { status: 'refused'; code: string; message: string; orderFailed: boolean }
  /**
   * No usable answer yet; the order stays PAYING and asking again reuses the same payment. `reason`: `unknown` (`U`),
   * `no-answer` (timeout, network), `no-cashier-url` (accepted without one), `inconsistent` (the wallet answered
   * another paymentId for the same paymentRequestId: not used).
   */
  | { status: 'pending'; reason: 'unknown' | 'no-answer' | 'no-cashier-url' | 'inconsistent' }
  /** The order is final (or gone) and can no longer be paid. */
  | { status: 'not-payable'; orderStatus: OrderStatus }
  /** The order stayed PAYING past its expiry: what became of any earlier attempt is being asked. */
  | { status: 'expired' };

export interface PaymentStarterOptions {
  storage: Storage;
  wallet: WalletApi;
  settlement: Settlement;
  inquirer: Inquirer;
  log: FastifyBaseLogger;
  /** Epoch milliseconds. */
  clock: () => number;
  /** The `paymentNotifyUrl` sent with every `pay` (known once the server listens). */
  notifyUrl: () => string;
  merchantName: string;
}

export class PaymentStarter {
  constructor(private readonly options: PaymentStarterOptions) {}

  /**
   * Starts paying for an order, or resumes it: for a PAYING order, `pay` again with the same `paymentRequestId`
   * (the wallet answers the same payment).
   */
  async start(order: OrderRecord): Promise<PaymentStartResult> {
    const { storage, wallet, settlement, inquirer, log, clock } = this.options;
    let current = await settlement.expireIfDue(order);
    if (current.status === 'CREATED') {
      const outcome = await transitionOrder(storage, current.id, 'PAYING', {
        at: clock(),
        cause: 'payment-started',
        set: { paymentRequestId: newPaymentRequestId(), payingSince: clock() },
      });
      if (outcome.status === 'missing') return { status: 'not-payable', orderStatus: current.status };
      // Applied by us, or a concurrent call got there first: either way the order now has its one paymentRequestId.
      current = outcome.order;
    }
    if (current.status !== 'PAYING') return { status: 'not-payable', orderStatus: current.status };
    if (clock() >= current.expiresAt) {
      // Past its expiry the wallet would refuse anyway; what became of any earlier attempt is the inquiry's call.
      const expired = current;
      inquirer.inquire(expired).catch((error: unknown) => {
        log.warn(
          { orderId: expired.id, err: errorSummary(error) },
          'inquiry of an expired PAYING order failed; the reconciler will retry',
        );
      });
      return { status: 'expired' };
    }

    let result;
    try {
      result = await wallet.pay(this.payRequest(current));
    } catch (error) {
      log.warn(
        { orderId: current.id, err: errorSummary(error) },
        'pay: no usable answer from the wallet; the order stays PAYING',
      );
      return { status: 'pending', reason: 'no-answer' };
    }

    switch (result.status) {
      case 'A':
      case 'S': {
        const paymentId = result.data.paymentId;
        const form = result.data.redirectActionForm;
        const paymentUrl = form?.redirectionUrl ?? form?.redirectUrl ?? current.paymentUrl ?? undefined;
        if (!paymentId || !paymentUrl) {
          log.error(
            { orderId: current.id, resultCode: result.code },
            'pay: the wallet accepted but sent no paymentId or cashier URL',
          );
          return { status: 'pending', reason: 'no-cashier-url' };
        }
        if (!(await storage.setPaymentDetails(current.id, { paymentId, paymentUrl }, clock()))) {
          log.error(
            { orderId: current.id, paymentId, knownPaymentId: current.paymentId },
            'pay: the wallet answered another paymentId for the same paymentRequestId; not used',
          );
          return { status: 'pending', reason: 'inconsistent' };
        }
        return { status: 'started', paymentUrl, paymentId };
      }
      case 'F': {
        if (current.paymentId !== null) {
          // An earlier `pay` was accepted: a refusal now does not undo that payment. Ask what became of it.
          log.warn(
            { orderId: current.id, resultCode: result.code },
            'pay: refused on retry of an accepted payment; inquiring',
          );
          await inquirer.inquire(current);
          return { status: 'refused', code: result.code, message: result.message, orderFailed: false };
        }
        const outcome = await transitionOrder(storage, current.id, 'FAILED', {
          at: clock(),
          cause: 'pay-rejected',
          detail: result.code,
          set: { failCode: result.code, failMessage: truncate(result.message, 256) },
        });
        settlement.logTransition(outcome, 'pay-rejected');
        return { status: 'refused', code: result.code, message: result.message, orderFailed: true };
      }
      case 'U':
        log.warn({ orderId: current.id, resultCode: result.code }, 'pay: result unknown (U); the order stays PAYING');
        return { status: 'pending', reason: 'unknown' };
    }
  }

  private payRequest(order: OrderRecord): PayRequest {
    // Everything here derives from stored columns, so a retry sends the same content (a different content under
    // the same paymentRequestId is REPEAT_REQ_INCONSISTENT at the wallet).
    const amount = toAmount(order.currency, order.amount);
    return {
      paymentRequestId: order.paymentRequestId as string,
      paymentAmount: amount,
      order: {
        referenceOrderId: order.id,
        orderDescription: truncate(describeLines(order), 256),
        orderAmount: amount,
        orderCreateTime: formatRequestTime(new Date(order.createdAt)),
        merchant: { merchantName: this.options.merchantName },
        buyer: { referenceBuyerId: order.customerId },
      },
      paymentExpiryTime: formatRequestTime(new Date(order.expiresAt)),
      paymentNotifyUrl: this.options.notifyUrl(),
      customerId: order.customerId,
    };
  }
}

function describeLines(order: OrderRecord): string {
  return order.lines.map((line) => (line.quantity > 1 ? `${line.quantity} × ${line.name}` : line.name)).join(', ');
}

function newPaymentRequestId(): string {
  return `pr_${randomBytes(16).toString('hex')}`;
}
