// What the wallet's word means for an order, as pure functions of the message, the order and the time: a final
// status to move to (with the failure's reason), or nothing final yet. Applying a verdict is `settlement.ts`'s job;
// these only read. A refund's answer has its reader here too (`refundVerdict`), applied by `refunds.ts`.
import type { FinalOrderStatus } from '@minipay/contract';
import type { InquiryPaymentResponse, OpenApiResult, RefundResponse, Result } from '@minipay/openapi';
import { amountMismatch } from './internal/money';
import { truncate } from './internal/truncate';
import type { OrderRecord } from './order-record';

/** A verdict about a payment: the order status it leads to, with the failure's reason when there is one. */
export interface Verdict {
  to: FinalOrderStatus;
  failCode?: string;
  failMessage?: string;
  /** For the event log: which message said so. */
  detail: string;
}

/** Inquiry codes meaning "the wallet has no such payment" (the `pay` never reached it). */
export const PAYMENT_NOT_FOUND_CODES: ReadonlySet<string> = new Set([
  'ORDER_NOT_EXIST',
  'PAYMENT_NOT_EXIST',
  'PAYMENT_NOT_FOUND',
  'ORDER_NOT_FOUND',
]);

/** The wallet's longest `resultMessage`; a failure's message is kept at most this long. */
const MESSAGE_MAX = 256;

/** A closed payment is the order's EXPIRED when its time ran out, else CANCELLED (the user cancelled). */
export function closedStatus(order: Pick<OrderRecord, 'expiresAt'>, now: number): 'EXPIRED' | 'CANCELLED' {
  return now >= order.expiresAt ? 'EXPIRED' : 'CANCELLED';
}

/** A notification's `paymentResult`: S → PAID, F ORDER_IS_CLOSED → closed, any other F → FAILED; U/A → nothing final. */
export function notificationVerdict(
  result: Result | undefined,
  order: Pick<OrderRecord, 'expiresAt'>,
  now: number,
): Verdict | undefined {
  if (result?.resultStatus === 'S') return { to: 'PAID', detail: `notification S ${result.resultCode}` };
  if (result?.resultStatus !== 'F') return undefined;
  if (result.resultCode === 'ORDER_IS_CLOSED')
    return { to: closedStatus(order, now), detail: `notification F ${result.resultCode}` };
  return {
    to: 'FAILED',
    failCode: result.resultCode,
    failMessage: truncate(result.resultMessage ?? '', MESSAGE_MAX),
    detail: `notification F ${result.resultCode}`,
  };
}

/** What an inquiry's answer comes to. */
export type InquiryReading =
  /** The payment ended: move the order. */
  | { kind: 'final'; verdict: Verdict }
  /** Still PROCESSING (or a status this server does not know): ask again later. */
  | { kind: 'not-final' }
  /** SUCCESS, but for another amount or currency than the order's: never applied, logged for a person. */
  | { kind: 'mismatch'; mismatch: 'currency' | 'amount' }
  /** No status: U (ask again) or an F other than "no such payment" (a configuration problem worth a look). */
  | { kind: 'no-status'; refused: boolean };

/** An `inquiryPayment` answer about `order`, at `now`. */
export function inquiryVerdict(
  answer: OpenApiResult<InquiryPaymentResponse>,
  order: Pick<OrderRecord, 'expiresAt' | 'currency' | 'amount'>,
  now: number,
): InquiryReading {
  if (answer.status !== 'S') {
    if (answer.status === 'F' && PAYMENT_NOT_FOUND_CODES.has(answer.code) && now >= order.expiresAt) {
      // The wallet never got the `pay` (or forgot it) and the order can no longer be paid.
      return { kind: 'final', verdict: { to: 'EXPIRED', detail: `inquiry ${answer.code}` } };
    }
    return { kind: 'no-status', refused: answer.status === 'F' };
  }
  const data = answer.data;
  switch (data.paymentStatus) {
    case 'SUCCESS': {
      // Without an amount the answer is about our own paymentRequestId, whose amount the wallet holds us to.
      const mismatch =
        data.paymentAmount === undefined ? undefined : amountMismatch(data.paymentAmount, order.currency, order.amount);
      if (mismatch !== undefined) return { kind: 'mismatch', mismatch };
      return { kind: 'final', verdict: { to: 'PAID', detail: 'inquiry SUCCESS' } };
    }
    case 'FAIL': {
      const reason = data.paymentFailReason;
      const code = typeof reason === 'object' && reason?.resultCode ? reason.resultCode : 'PAYMENT_FAILED';
      const message = typeof reason === 'string' ? reason : (reason?.resultMessage ?? 'the payment failed');
      return {
        kind: 'final',
        verdict: {
          to: 'FAILED',
          failCode: code,
          failMessage: truncate(message, MESSAGE_MAX),
          detail: `inquiry FAIL ${code}`,
        },
      };
    }
    case 'CANCELLED':
      return { kind: 'final', verdict: { to: closedStatus(order, now), detail: 'inquiry CANCELLED' } };
    default:
      return { kind: 'not-final' };
  }
}

/** What a `refund` answer means: the wallet refunded (S), refused (F), or has not said (U: retry the same request). */
export type RefundReading =
  | { kind: 'succeeded'; refundId: string | null }
  | { kind: 'failed'; failCode: string; failMessage: string }
  | { kind: 'pending'; code: string };

export function refundVerdict(answer: OpenApiResult<RefundResponse>): RefundReading {
  switch (answer.status) {
    case 'S':
      return { kind: 'succeeded', refundId: answer.data.refundId ?? null };
    case 'F':
      return { kind: 'failed', failCode: answer.code, failMessage: truncate(answer.message, MESSAGE_MAX) };
    default:
      // U, and A/R (not documented for refund): nothing final; the same refundRequestId is sent again.
      return { kind: 'pending', code: answer.code };
  }
}
