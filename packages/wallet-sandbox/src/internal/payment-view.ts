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
    refunds: payment.refunds.map(({ hash: _hash, ...refund }) => refund),
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
