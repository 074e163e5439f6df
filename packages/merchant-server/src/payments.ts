// Payments: starting one with `pay`, applying what the wallet says (a notification or an inquiry) exactly once,
// and asking the wallet when it has said nothing for too long. HTTP-free; the routes and the reconciler call it.
//
// Rules a merchant copying this should keep:
// - The `paymentRequestId` is created once per order, stored together with CREATED → PAYING, and reused by every
//   retry of `pay`, so the wallet never creates two payments for one order.
// - `U`, a timeout or a broken connection is "unknown", never "failed": the order stays PAYING until a
//   notification or an inquiry says what happened.
// - A notification or inquiry is applied only if it names a payment of a known order with exactly its amount and
//   currency; the status change is a conditional update, so duplicates and races change nothing.
// - A final order is never reopened. A contradicting message for it (money taken for a cancelled order, a failure
//   for a paid one) is logged at error level for a person to act on (refund or review); the wallet still gets
//   an S acknowledgement, because retrying the notification forever would not change the answer.
import { randomBytes } from 'node:crypto';
import type { FastifyBaseLogger } from 'fastify';
import { formatRequestTime, type InquiryPaymentResponse, type NotifyPaymentRequest, type PayRequest, type Result } from '@minipay/openapi';
import { HttpError } from './errors';
import { errorSummary } from './internal/error-summary';
import { amountMismatch, toAmount } from './internal/money';
import { isFinal, transitionOrder, type FinalStatus, type TransitionOutcome } from './order-state';
import type { NotificationOutcome, OrderRecord, Storage, TransitionCause } from './storage';
import type { WalletApi } from './wallet-api';

export interface PaymentsOptions {
  storage: Storage;
  wallet: WalletApi;
  log: FastifyBaseLogger;
  /** Epoch milliseconds. */
  clock: () => number;
  /** The `paymentNotifyUrl` sent with every `pay`. */
  notifyUrl: string;
  merchantName: string;
  /** At most one inquiry per order this often. */
  inquiryMinIntervalMs: number;
}

/** What `startPayment` returns to the mini program. */
export interface StartedPayment {
  paymentUrl: string;
  paymentId: string;
}

/** A verdict about a payment: the order status it leads to, with the failure's reason when there is one. */
type Verdict = { to: FinalStatus; failCode?: string; failMessage?: string; detail: string };

/** The answer to a notification: the `result` the merchant signs and sends back, and what was done. */
export interface NotificationHandling {
  ack: Result;
  outcome: NotificationOutcome;
  orderId: string | null;
}

const ACK_SUCCESS: Result = { resultStatus: 'S', resultCode: 'SUCCESS', resultMessage: 'success' };

/** Inquiry codes meaning "the wallet has no such payment" (the `pay` never reached it). */
const PAYMENT_NOT_FOUND_CODES = new Set(['ORDER_NOT_EXIST', 'PAYMENT_NOT_EXIST', 'PAYMENT_NOT_FOUND', 'ORDER_NOT_FOUND']);

export class Payments {
  private readonly storage: Storage;
  private readonly wallet: WalletApi;
  private readonly log: FastifyBaseLogger;
  private readonly clock: () => number;
  private readonly options: PaymentsOptions;
  /** Inquiries under way, per order: a second caller waits for the first instead of asking again. */
  private readonly inquiries = new Map<string, Promise<OrderRecord>>();
  /** When each order was last asked about (in memory: a restart may ask once more, which is harmless). */
  private readonly lastInquiry = new Map<string, number>();

  constructor(options: PaymentsOptions) {
    this.options = options;
    this.storage = options.storage;
    this.wallet = options.wallet;
    this.log = options.log;
    this.clock = options.clock;
  }

  /**
   * Starts (or resumes) paying for an order: CREATED → PAYING with a new `paymentRequestId`, then `pay`.
   * Calling it again for a PAYING order calls `pay` again with the same `paymentRequestId` and returns the same URL.
   * @throws HttpError 409 for an order that can no longer be paid, 402 when the wallet refuses (`F`, its code),
   *   503 `PAYMENT_PENDING` when the wallet's answer is unknown (`U`, timeout, network): ask again later.
   */
  async startPayment(order: OrderRecord): Promise<StartedPayment> {
    let current = await this.expireIfDue(order);
    if (current.status === 'CREATED') {
      const outcome = await transitionOrder(this.storage, current.id, 'PAYING', {
        at: this.clock(),
        cause: 'payment-started',
        set: { paymentRequestId: newPaymentRequestId(), payingSince: this.clock() },
      });
      if (outcome.status === 'missing') throw new HttpError(404, 'ORDER_NOT_FOUND', 'no such order');
      // Applied by us, or a concurrent call got there first: either way the order now has its one paymentRequestId.
      current = outcome.order;
    }
    if (current.status !== 'PAYING') {
      throw new HttpError(409, 'ORDER_NOT_PAYABLE', `the order is ${current.status} and can no longer be paid`);
    }
    if (this.clock() >= current.expiresAt) {
      // Past its expiry the wallet would refuse anyway; what became of any earlier attempt is the reconciler's call.
      this.reconcile(current, { force: true }).catch((error: unknown) => {
        this.log.warn({ orderId: current.id, err: errorSummary(error) }, 'inquiry of an expired PAYING order failed; the reconciler will retry');
      });
      throw new HttpError(409, 'ORDER_EXPIRED', 'the order expired before it was paid');
    }

    let result;
    try {
      result = await this.wallet.pay(this.payRequest(current));
    } catch (error) {
      this.log.warn({ orderId: current.id, err: errorSummary(error) }, 'pay: no usable answer from the wallet; the order stays PAYING');
      throw new HttpError(503, 'PAYMENT_PENDING', 'the wallet did not answer; try again in a moment (the same payment is reused)');
    }

    switch (result.status) {
      case 'A':
      case 'S': {
        const paymentId = result.data.paymentId;
        const form = result.data.redirectActionForm;
        const paymentUrl = form?.redirectionUrl ?? form?.redirectUrl ?? current.paymentUrl ?? undefined;
        if (!paymentId || !paymentUrl) {
          this.log.error({ orderId: current.id, resultCode: result.code }, 'pay: the wallet accepted but sent no paymentId or cashier URL');
          throw new HttpError(503, 'PAYMENT_PENDING', 'the wallet accepted the payment without a cashier URL; try again in a moment');
        }
        const stored = await this.storage.setPaymentDetails(current.id, { paymentId, paymentUrl }, this.clock());
        if (!stored) {
          this.log.error(
            { orderId: current.id, paymentId, knownPaymentId: current.paymentId },
            'pay: the wallet answered another paymentId for the same paymentRequestId; not used',
          );
          throw new HttpError(502, 'WALLET_INCONSISTENT', 'the wallet answered a different payment for this order');
        }
        return { paymentUrl, paymentId };
      }
      case 'F': {
        if (current.paymentId !== null) {
          // An earlier `pay` was accepted: a refusal now does not undo that payment. Ask what became of it.
          this.log.warn({ orderId: current.id, resultCode: result.code }, 'pay: refused on retry of an accepted payment; inquiring');
          await this.reconcile(current, { force: true });
          throw new HttpError(409, result.code, result.message || 'the wallet refused to pay again for this order');
        }
        const outcome = await transitionOrder(this.storage, current.id, 'FAILED', {
          at: this.clock(),
          cause: 'pay-rejected',
          detail: result.code,
          set: { failCode: result.code, failMessage: truncate(result.message, 256) },
        });
        this.logTransition(outcome, 'pay-rejected');
        throw new HttpError(402, result.code, result.message || 'the wallet refused the payment');
      }
      default:
        this.log.warn({ orderId: current.id, resultCode: result.code }, 'pay: result unknown (U); the order stays PAYING');
        throw new HttpError(503, 'PAYMENT_PENDING', 'the payment is being processed; try again in a moment (the same payment is reused)');
    }
  }

  /**
   * Applies a verified notification. Never throws for what the wallet says; the returned `ack` is what to sign
   * and send back (S, or F for a payment this server cannot match).
   */
  async handleNotification(notification: NotifyPaymentRequest, rawBody: string): Promise<NotificationHandling> {
    const at = this.clock();
    const result = notification.paymentResult;
    const record = async (outcome: NotificationOutcome, orderId: string | null): Promise<void> => {
      await this.storage.recordNotification({
        orderId,
        paymentId: notification.paymentId ?? null,
        paymentRequestId: notification.paymentRequestId ?? null,
        resultStatus: String(result?.resultStatus ?? ''),
        resultCode: String(result?.resultCode ?? ''),
        outcome,
        body: rawBody,
        at,
      });
    };
    const refuse = async (outcome: NotificationOutcome, orderId: string | null, code: string, message: string): Promise<NotificationHandling> => {
      await record(outcome, orderId);
      return { ack: { resultStatus: 'F', resultCode: code, resultMessage: message }, outcome, orderId };
    };

    const order = await this.storage.findOrderByPayment({
      ...(notification.paymentId ? { paymentId: notification.paymentId } : {}),
      ...(notification.paymentRequestId ? { paymentRequestId: notification.paymentRequestId } : {}),
    });
    if (order === undefined) {
      this.log.error(
        { paymentId: notification.paymentId, paymentRequestId: notification.paymentRequestId },
        'notification for a payment of no known order: not applied',
      );
      return refuse('unknown-payment', null, 'PAYMENT_NOT_FOUND', 'no order of this merchant has this payment');
    }
    const idsDisagree =
      (notification.paymentRequestId !== undefined && notification.paymentRequestId !== order.paymentRequestId) ||
      (order.paymentId !== null && notification.paymentId !== undefined && notification.paymentId !== order.paymentId);
    if (idsDisagree) {
      this.log.error(
        { orderId: order.id, paymentId: notification.paymentId, paymentRequestId: notification.paymentRequestId },
        'notification names a paymentId and paymentRequestId of different orders: not applied',
      );
      return refuse('mismatch', order.id, 'PAYMENT_MISMATCH', 'paymentId and paymentRequestId do not belong to the same order');
    }
    const mismatch = amountMismatch(notification.paymentAmount, order.currency, order.amount);
    if (mismatch !== undefined) {
      this.log.error(
        { orderId: order.id, expected: toAmount(order.currency, order.amount), received: notification.paymentAmount },
        `notification ${mismatch} does not match the order: NOT APPLIED, order unchanged (possible tampering or a wallet bug)`,
      );
      return mismatch === 'currency'
        ? refuse('mismatch', order.id, 'CURRENCY_MISMATCH', 'paymentAmount.currency does not match the order')
        : refuse('mismatch', order.id, 'AMOUNT_MISMATCH', 'paymentAmount.value does not match the order');
    }

    const verdict = this.verdictOfNotification(result, order);
    if (verdict === undefined) {
      // Not final (U/A): nothing to apply; acknowledge so the wallet sends the final one when there is one.
      this.log.info({ orderId: order.id, resultStatus: result?.resultStatus, resultCode: result?.resultCode }, 'notification without a final status');
      await record('not-final', order.id);
      return { ack: ACK_SUCCESS, outcome: 'not-final', orderId: order.id };
    }
    const outcome = await this.settle(order, verdict, 'notification', notification.paymentId);
    const handled: NotificationOutcome = outcome.status === 'applied' ? 'applied' : outcome.status === 'conflict' ? 'conflict' : 'duplicate';
    await record(handled, order.id);
    return { ack: ACK_SUCCESS, outcome: handled, orderId: order.id };
  }

  /**
   * Asks the wallet about a PAYING order (and expires a CREATED one past its expiry), applies the answer and
   * returns the order as it is now. At most one inquiry per order at a time and per `inquiryMinIntervalMs`
   * unless `force`; never throws for the wallet's failures (the order just stays PAYING).
   */
  async reconcile(order: OrderRecord, options: { force?: boolean } = {}): Promise<OrderRecord> {
    if (order.status === 'CREATED') return this.expireIfDue(order);
    if (order.status !== 'PAYING') return order;
    const running = this.inquiries.get(order.id);
    if (running !== undefined) return running;
    const last = this.lastInquiry.get(order.id);
    if (!options.force && last !== undefined && this.clock() - last < this.options.inquiryMinIntervalMs) return order;
    this.lastInquiry.set(order.id, this.clock());
    const inquiry = this.inquire(order).finally(() => this.inquiries.delete(order.id));
    this.inquiries.set(order.id, inquiry);
    return inquiry;
  }

  /** CREATED past its expiry → EXPIRED. Returns the order as it is now. */
  async expireIfDue(order: OrderRecord): Promise<OrderRecord> {
    if (order.status !== 'CREATED' || this.clock() < order.expiresAt) return order;
    const outcome = await transitionOrder(this.storage, order.id, 'EXPIRED', { at: this.clock(), cause: 'expiry', detail: 'never paid' });
    this.logTransition(outcome, 'expiry');
    return outcome.status === 'missing' ? order : outcome.order;
  }

  /**
   * Resolves when no inquiry is under way. An inquiry can outlive the request that started it (a read waits at most
   * a few seconds; an expired order's inquiry is not awaited at all), so a graceful shutdown waits for this before it
   * closes the storage: the wallet's answer is applied instead of failing on a closed database.
   */
  async whenIdle(): Promise<void> {
    while (this.inquiries.size > 0) await Promise.allSettled([...this.inquiries.values()]);
  }

  /** Forgets per-order bookkeeping of final orders (called by the reconciler so the maps do not grow forever). */
  forget(orderId: string): void {
    this.lastInquiry.delete(orderId);
  }

  private async inquire(order: OrderRecord): Promise<OrderRecord> {
    let result;
    try {
      result = await this.wallet.inquiryPayment({
        ...(order.paymentId !== null ? { paymentId: order.paymentId } : {}),
        ...(order.paymentRequestId !== null ? { paymentRequestId: order.paymentRequestId } : {}),
      });
    } catch (error) {
      this.log.warn({ orderId: order.id, err: errorSummary(error) }, 'inquiryPayment: no usable answer; will ask again');
      return order;
    }
    if (result.status !== 'S') {
      if (result.status === 'F' && PAYMENT_NOT_FOUND_CODES.has(result.code) && this.clock() >= order.expiresAt) {
        // The wallet never got the `pay` (or forgot it) and the order can no longer be paid.
        const outcome = await this.settle(order, { to: 'EXPIRED', detail: `inquiry ${result.code}` }, 'inquiry', undefined);
        return outcome.status === 'missing' ? order : outcome.order;
      }
      // U: ask again later. F (other than "no such payment"): a configuration or wallet problem worth a look.
      const level = result.status === 'F' ? 'warn' : 'info';
      this.log[level]({ orderId: order.id, resultStatus: result.status, resultCode: result.code }, 'inquiryPayment: no status yet; will ask again');
      return order;
    }
    const verdict = this.verdictOfInquiry(result.data, order);
    if (verdict === undefined) return (await this.storage.getOrder(order.id)) ?? order;
    const outcome = await this.settle(order, verdict, 'inquiry', result.data.paymentId);
    return outcome.status === 'missing' ? order : outcome.order;
  }

  private verdictOfNotification(result: Result | undefined, order: OrderRecord): Verdict | undefined {
    if (result?.resultStatus === 'S') return { to: 'PAID', detail: `notification S ${result.resultCode}` };
    if (result?.resultStatus !== 'F') return undefined;
    if (result.resultCode === 'ORDER_IS_CLOSED') {
      return { to: this.closedStatus(order), detail: `notification F ${result.resultCode}` };
    }
    return {
      to: 'FAILED',
      failCode: result.resultCode,
      failMessage: truncate(result.resultMessage ?? '', 256),
      detail: `notification F ${result.resultCode}`,
    };
  }

  private verdictOfInquiry(data: InquiryPaymentResponse, order: OrderRecord): Verdict | undefined {
    switch (data.paymentStatus) {
      case 'SUCCESS': {
        const mismatch = data.paymentAmount === undefined ? undefined : amountMismatch(data.paymentAmount, order.currency, order.amount);
        if (mismatch !== undefined) {
          this.log.error(
            { orderId: order.id, expected: toAmount(order.currency, order.amount), received: data.paymentAmount },
            `inquiryPayment SUCCESS with a ${mismatch} that does not match the order: NOT APPLIED, order stays PAYING`,
          );
          return undefined;
        }
        return { to: 'PAID', detail: 'inquiry SUCCESS' };
      }
      case 'FAIL': {
        const reason = data.paymentFailReason;
        const code = typeof reason === 'object' && reason?.resultCode ? reason.resultCode : 'PAYMENT_FAILED';
        const message = typeof reason === 'string' ? reason : (reason?.resultMessage ?? 'the payment failed');
        return { to: 'FAILED', failCode: code, failMessage: truncate(message, 256), detail: `inquiry FAIL ${code}` };
      }
      case 'CANCELLED':
        return { to: this.closedStatus(order), detail: 'inquiry CANCELLED' };
      default:
        // PROCESSING (or a status this server does not know): nothing final yet.
        return undefined;
    }
  }

  /** A closed payment is the order's EXPIRED when its time ran out, else CANCELLED (the user cancelled). */
  private closedStatus(order: OrderRecord): FinalStatus {
    return this.clock() >= order.expiresAt ? 'EXPIRED' : 'CANCELLED';
  }

  private async settle(order: OrderRecord, verdict: Verdict, cause: TransitionCause, paymentId: string | undefined): Promise<TransitionOutcome> {
    const set: { paymentId?: string; failCode?: string; failMessage?: string } = {};
    if (paymentId) set.paymentId = paymentId;
    if (verdict.failCode !== undefined) set.failCode = verdict.failCode;
    if (verdict.failMessage !== undefined) set.failMessage = verdict.failMessage;
    const outcome = await transitionOrder(this.storage, order.id, verdict.to, { at: this.clock(), cause, detail: verdict.detail, set });
    if (outcome.status === 'conflict') {
      const closedFamily = (s: string): boolean => s === 'CANCELLED' || s === 'EXPIRED';
      if (closedFamily(outcome.order.status) && closedFamily(verdict.to)) {
        this.log.info({ orderId: order.id, status: outcome.order.status, reported: verdict.to }, `${cause}: payment closed, order already closed`);
        return { status: 'unchanged', order: outcome.order };
      }
      if (verdict.to === 'PAID') {
        this.log.error(
          { orderId: order.id, status: outcome.order.status, paymentId: paymentId ?? order.paymentId, cause },
          `MONEY RECEIVED FOR A ${outcome.order.status} ORDER: the wallet reports the payment succeeded; the order is not reopened. Refund or review it.`,
        );
      } else {
        this.log.error(
          { orderId: order.id, status: outcome.order.status, reported: verdict.to, detail: verdict.detail, cause },
          `${cause} contradicts the order's final status ${outcome.order.status}; ignored. Review the payment at the wallet.`,
        );
      }
    } else {
      this.logTransition(outcome, cause);
    }
    if (outcome.status !== 'missing' && isFinal(outcome.order.status)) this.forget(order.id);
    return outcome;
  }

  private logTransition(outcome: TransitionOutcome, cause: string): void {
    if (outcome.status === 'applied') {
      this.log.info({ orderId: outcome.order.id, status: outcome.order.status, cause }, `order ${outcome.order.status}`);
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
      paymentNotifyUrl: this.options.notifyUrl,
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

function truncate(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}
