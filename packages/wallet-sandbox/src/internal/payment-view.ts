// The JSON shape of a payment in the scripting API (`GET /sandbox/payments[/:id]`) and the dashboard.
import { formatAmount } from '@minipay/contract';
import { activeFaults, effectiveFaults, type Faults } from '../faults';
import type { Payment } from './payments';

export function paymentView(
  payment: Payment,
  globalFaults: Faults,
  formatTime: (date: Date) => string,
  cashierUrl: string,
) {
  const order = payment.request.order;
  return {
    paymentId: payment.paymentId,
    paymentRequestId: payment.paymentRequestId,
    status: payment.status,
    outcome: payment.outcome ?? null,
    resultCode: payment.resultCode ?? null,
    paymentAmount: payment.request.paymentAmount,
    amountText: formatAmount(payment.request.paymentAmount),
    referenceOrderId: order.referenceOrderId,
    orderDescription: order.orderDescription,
    merchantName: merchantName(payment),
    paymentNotifyUrl: payment.request.paymentNotifyUrl ?? null,
    cashierUrl,
    createdAt: formatTime(payment.createdAt),
    expiresAt: formatTime(payment.expiresAt),
    paymentTime: payment.paymentTime ? formatTime(payment.paymentTime) : null,
    finishedAt: payment.finishedAt ? formatTime(payment.finishedAt) : null,
    finalResult: payment.finalResult ?? null,
    refunds: payment.refunds.map(({ hash: _hash, ...refund }) => ({
      ...refund,
      amountText: formatAmount(refund.refundAmount),
    })),
    /** How much of the payment was refunded, e.g. `5.00 PHP of 12.50 PHP`; null before the first refund. */
    refundedText:
      payment.refunds.length === 0
        ? null
        : `${formatAmount({
            currency: payment.request.paymentAmount.currency,
            value: String(payment.refunds.reduce((sum, refund) => sum + BigInt(refund.refundAmount.value), 0n)),
          })} of ${formatAmount(payment.request.paymentAmount)}`,
    faults: payment.faults ?? {},
    /** The faults in force for this payment (global merged with its own), without the no-op fields. */
    effectiveFaults: activeFaults(effectiveFaults(globalFaults, payment.faults)),
    notification: {
      state: payment.notification.state,
      rounds: payment.notification.rounds,
      nextAttemptAt: payment.notification.nextAttemptAt ?? null,
      attempts: payment.notification.attempts,
    },
  };
}

export type PaymentView = ReturnType<typeof paymentView>;

export function merchantName(payment: Payment): string {
  const merchant = payment.request.order.merchant;
  return merchant?.merchantDisplayName || merchant?.merchantName || payment.clientId;
}
