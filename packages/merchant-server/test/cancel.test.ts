// Cancelling unpaid orders at the wallet (`POST /v2/payments/cancel`) before closing them here: an expired PAYING
// order the wallet still holds open, and the operator's cancel. Real sandbox, real server, real SQLite file.
import type { AdminOrder } from '@minipay/contract';
import {
  admin,
  complete,
  createOrder,
  eventually,
  getOrder,
  paidOrder,
  sandboxPayment,
  signIn,
  startPayment,
  startStack,
  type Stack,
} from './helpers';

let stack: Stack;
let token: string;

beforeAll(async () => {
  stack = await startStack();
  ({ token } = await signIn(stack));
});
afterAll(() => stack.close());

test('an expired PAYING order is cancelled at the wallet before it is closed, and the wallet can no longer take the money', async () => {
  // The merchant's clock runs a minute ahead of the wallet's (within the wallet's 5-minute Request-Time window): for
  // the merchant the one-minute order expired, while the sandbox still holds the payment PROCESSING.
  let ahead = 0;
  const merchant = await stack.startMerchant({
    now: () => new Date(Date.now() + ahead),
    orderTtlMs: 60_000,
    reconcileAfterMs: 100,
    reconcileIntervalMs: 100,
    inquiryMinIntervalMs: 100,
  });
  try {
    const session = await signIn(stack, undefined, merchant);
    const order = await createOrder(merchant, session.token);
    const { paymentId } = await startPayment(merchant, session.token, order.id);
    expect((await sandboxPayment(stack, paymentId)).status).toBe('PROCESSING');
    ahead = 61_000;
    const closed = await eventually(async () => {
      const read = await admin<AdminOrder>(stack, 'GET', `/admin/orders/${order.id}`, { merchant });
      return read.body.status === 'PAYING' ? undefined : read.body;
    }, 'the expired order to be closed');
    expect(closed.status).toBe('EXPIRED');
    // One transition closes it. Which one records it is a race both ends are right to run: the cancel's answer, or the
    // wallet's notification of the cancelled payment (F ORDER_IS_CLOSED), which the sandbox sends as it cancels and
    // which can arrive before the cancel's answer is applied. Either way the wallet's payment is CANCELLED (below).
    const finals = closed.events.filter((event) => event.to === 'EXPIRED');
    expect(finals).toHaveLength(1);
    const [final] = finals;
    expect(final).toMatchObject({ from: 'PAYING', to: 'EXPIRED' });
    expect([
      { cause: 'cancel', detail: 'cancelled at the wallet after expiry' },
      { cause: 'notification', detail: 'notification F ORDER_IS_CLOSED' },
    ]).toContainEqual({ cause: final?.cause, detail: final?.detail });
    const atWallet = await sandboxPayment(stack, paymentId);
    expect(atWallet.status).toBe('CANCELLED');
    // The customer can no longer pay it at the cashier.
    const late = await fetch(`${stack.sandbox.url}/sandbox/payments/${paymentId}/complete`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ outcome: 'pay' }),
    });
    expect(late.status).toBe(409);
  } finally {
    await merchant.close();
  }
});

describe('the operator cancel', () => {
  const cancel = (orderId: string) => admin<{ order: AdminOrder }>(stack, 'POST', `/admin/orders/${orderId}/cancel`);

  test('a CREATED order is cancelled at once (nothing was sent to the wallet)', async () => {
    const order = await createOrder(stack.merchant, token);
    const answer = await cancel(order.id);
    expect(answer.status).toBe(200);
    expect(answer.body.order).toMatchObject({ status: 'CANCELLED' });
    expect(answer.body.order.events).toEqual([
      expect.objectContaining({
        from: 'CREATED',
        to: 'CANCELLED',
        cause: 'cancel',
        detail: 'cancelled by the operator',
      }),
    ]);
    expect((await getOrder(stack.merchant, token, order.id)).status).toBe('CANCELLED');
    // ...and can no longer be paid.
    const pay = await fetch(`${stack.merchant.url}/api/orders/${order.id}/payment`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}` },
    });
    expect(pay.status).toBe(409);
  });

  test('a PAYING order is cancelled at the wallet first, then here', async () => {
    const order = await createOrder(stack.merchant, token);
    const { paymentId } = await startPayment(stack.merchant, token, order.id);
    const answer = await cancel(order.id);
    expect(answer.status).toBe(200);
    expect(answer.body.order.status).toBe('CANCELLED');
    expect((await sandboxPayment(stack, paymentId)).status).toBe('CANCELLED');
    await stack.sandbox.whenIdle();
    // The wallet's own F ORDER_IS_CLOSED notification that follows changes nothing.
    expect((await getOrder(stack.merchant, token, order.id)).status).toBe('CANCELLED');
  });

  test('a PAYING order the wallet already paid is not cancelled: the wallet refuses, and the order ends PAID', async () => {
    const order = await createOrder(stack.merchant, token);
    const { paymentId } = await startPayment(stack.merchant, token, order.id);
    await stack.sandbox.whenIdle();
    await fetch(`${stack.sandbox.url}/sandbox/faults`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ paymentId, neverSend: true }),
    });
    await complete(stack, paymentId, 'pay');
    const answer = await cancel(order.id);
    expect(answer.status).toBe(409);
    expect(answer.body).toEqual({
      error: { code: 'CANCEL_REFUSED', message: expect.stringContaining('ORDER_STATUS_INVALID') },
    });
    expect((await sandboxPayment(stack, paymentId)).status).toBe('SUCCESS');
  });

  test('a PAID order is refunded, not cancelled; an unknown one is 404', async () => {
    const { order } = await paidOrder(stack, token);
    const answer = await cancel(order.id);
    expect(answer.status).toBe(409);
    expect(answer.body).toEqual({
      error: { code: 'ORDER_NOT_CANCELLABLE', message: expect.stringContaining('refund it instead') },
    });
    expect((await cancel('ord_nope')).status).toBe(404);
  });
});
