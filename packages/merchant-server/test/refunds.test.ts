// Refunds end to end: the operator API on a real merchant server, the real wallet sandbox over HTTP, a real SQLite
// file. Full, partial, repeated and concurrent refunds; U (answer lost) resolved by sending the same request again;
// F; the automatic refund of money received for a cancelled order; the operator token.
import type { AdminOrder, RefundOrderResponse, RefundRefusedBody } from '@minipay/contract';
import {
  admin,
  call,
  complete,
  createOrder,
  eventually,
  getOrder,
  logCollector,
  paidOrder,
  postNotification,
  sandboxPayment,
  setFaults,
  signedNotification,
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
afterEach(() => call(stack.sandbox.url, 'DELETE', '/sandbox/faults'));

const refund = (orderId: string, body: Record<string, unknown> = {}, merchant = stack.merchant) =>
  admin<RefundOrderResponse & RefundRefusedBody>(stack, 'POST', `/admin/orders/${orderId}/refunds`, { body, merchant });

describe('the operator API', () => {
  test('needs the operator token: none or a wrong one is 401, a customer session is not one', async () => {
    const { order } = await paidOrder(stack, token);
    for (const wrong of [undefined, 'x'.repeat(43), token]) {
      const answer = await call(stack.merchant.url, 'GET', `/admin/orders/${order.id}`, {
        ...(wrong === undefined ? {} : { token: wrong }),
      });
      expect(answer.status).toBe(401);
      expect(answer.body.error.code).toBe('UNAUTHENTICATED');
    }
    // Unknown admin paths are not revealed without the token either.
    expect((await call(stack.merchant.url, 'GET', '/admin/nothing')).status).toBe(401);
    expect((await admin(stack, 'GET', `/admin/orders/${order.id}`)).status).toBe(200);
  });

  test('in production without MINIPAY_ADMIN_TOKEN the operator API is off (503 ADMIN_DISABLED)', async () => {
    const production = await stack.startMerchant({
      production: true,
      walletUrl: stack.sandbox.url,
      publicUrl: 'https://shop.example',
      clientId: stack.dev.clientId,
      merchantPrivateKey: stack.dev.merchantPrivateKey,
      walletPublicKey: stack.dev.walletPublicKey,
      sessionSecret: stack.dev.sessionSecret,
    });
    try {
      const answer = await admin(stack, 'GET', '/admin/orders', { merchant: production });
      expect(answer.status).toBe(503);
      expect(answer.body.error).toEqual({
        code: 'ADMIN_DISABLED',
        message: expect.stringContaining('MINIPAY_ADMIN_TOKEN'),
      });
    } finally {
      await production.close();
    }
  });
});

describe('refunds', () => {
  test('a full refund: refunded at the wallet, the order stays PAID with its refunded amount, the customer sees it', async () => {
    const { order, paymentId } = await paidOrder(stack, token);
    const answer = await refund(order.id, { reason: 'out of stock' });
    expect(answer.status).toBe(201);
    expect(answer.body.refund).toMatchObject({
      status: 'SUCCEEDED',
      amount: order.amount,
      reason: 'out of stock',
      initiator: 'operator',
      refundId: expect.stringMatching(/^SBXREF/),
    });
    expect(answer.body.order).toMatchObject({ status: 'PAID', refundedAmount: order.amount });
    const atWallet = await sandboxPayment(stack, paymentId);
    expect(atWallet.refunds).toEqual([
      expect.objectContaining({
        refundRequestId: answer.body.refund.id,
        refundId: answer.body.refund.refundId,
        refundAmount: order.amount,
        refundReason: 'out of stock',
      }),
    ]);
    const seen = await getOrder(stack.merchant, token, order.id);
    expect(seen.status).toBe('PAID');
    expect(seen.refundedAmount).toEqual(order.amount);
    expect(seen.refunds).toEqual([answer.body.refund]);
    // Nothing is left: another refund is refused before the wallet is asked.
    const again = await refund(order.id);
    expect(again.status).toBe(409);
    expect(again.body.error).toEqual({
      code: 'REFUND_EXCEEDS_PAID',
      message: expect.stringContaining('0.00 USD is left to refund'),
    });
    expect((await sandboxPayment(stack, paymentId)).refunds).toHaveLength(1);
  });

  test('partial and repeated refunds add up to the paid amount, each with its own refundRequestId', async () => {
    const { order, paymentId } = await paidOrder(stack, token); // 2 × 14.50 = 29.00 USD
    const first = await refund(order.id, { amount: '500' });
    const second = await refund(order.id, { amount: '1200' });
    expect([first.status, second.status]).toEqual([201, 201]);
    const tooMuch = await refund(order.id, { amount: '1201' });
    expect(tooMuch.status).toBe(409);
    expect(tooMuch.body.error.message).toContain('12.00 USD is left to refund');
    const rest = await refund(order.id);
    expect(rest.status).toBe(201);
    expect(rest.body.refund.amount).toEqual({ currency: 'USD', value: '1200' });
    const ids = [first, second, rest].map((answer) => answer.body.refund.id);
    expect(new Set(ids).size).toBe(3);
    expect(rest.body.order.refundedAmount).toEqual(order.amount);
    const atWallet = await sandboxPayment(stack, paymentId);
    expect(atWallet.refunds.map((r: { refundRequestId: string }) => r.refundRequestId)).toEqual(ids);
    expect(atWallet.refundedText).toBe('29.00 USD of 29.00 USD');
  });

  test('20 concurrent partial refunds never exceed the paid amount, here or at the wallet', async () => {
    const { order, paymentId } = await paidOrder(stack, token); // 2900
    const answers = await Promise.all(Array.from({ length: 20 }, () => refund(order.id, { amount: '300' })));
    expect(answers.filter((a) => a.status === 201)).toHaveLength(9);
    expect(answers.filter((a) => a.status === 409 && a.body.error.code === 'REFUND_EXCEEDS_PAID')).toHaveLength(11);
    const after = await admin<AdminOrder>(stack, 'GET', `/admin/orders/${order.id}`);
    expect(after.body.refundedAmount).toEqual({ currency: 'USD', value: '2700' });
    expect(after.body.refunds).toHaveLength(9);
    const atWallet = await sandboxPayment(stack, paymentId);
    expect(atWallet.refunds).toHaveLength(9);
  });

  test('a refund of an order not paid, of an unknown order, or of a bad amount is refused and stores nothing', async () => {
    const unpaid = await createOrder(stack.merchant, token);
    const notPaid = await refund(unpaid.id);
    expect(notPaid.status).toBe(409);
    expect(notPaid.body.error.code).toBe('ORDER_NOT_REFUNDABLE');
    expect((await refund('ord_nope')).status).toBe(404);
    for (const amount of ['0', '-5', '12.50', 'ten', 5]) {
      const bad = await refund(unpaid.id, { amount });
      expect(bad.status).toBe(400);
      expect(bad.body.error.message).toMatch(/amount/);
    }
    expect((await admin<AdminOrder>(stack, 'GET', `/admin/orders/${unpaid.id}`)).body.refunds).toBeUndefined();
  });

  test('F: the refund is FAILED with the wallet reason, and its amount can be refunded again', async () => {
    const { order, paymentId } = await paidOrder(stack, token);
    await setFaults(stack, { paymentId, refundResult: 'F' });
    const refused = await refund(order.id, { amount: '1000' });
    expect(refused.status).toBe(402);
    expect(refused.body.error.code).toBe('REFUND_REFUSED');
    expect(refused.body.refund).toMatchObject({ status: 'FAILED', failReason: { code: 'PROCESS_FAIL' } });
    expect((await sandboxPayment(stack, paymentId)).refunds).toHaveLength(0);
    // The fault applied once; the whole amount is refundable again.
    const full = await refund(order.id);
    expect(full.status).toBe(201);
    expect(full.body.refund.amount).toEqual(order.amount);
  });
});

describe('a refund the wallet answers U', () => {
  test('once: the client sends the same request again at once, and the wallet refunded once', async () => {
    const { order, paymentId } = await paidOrder(stack, token);
    await setFaults(stack, { paymentId, refundResult: 'U' });
    const answer = await refund(order.id, { amount: '700' });
    expect(answer.status).toBe(201);
    expect(answer.body.refund.status).toBe('SUCCEEDED');
    const atWallet = await sandboxPayment(stack, paymentId);
    expect(atWallet.refunds).toEqual([expect.objectContaining({ refundRequestId: answer.body.refund.id })]);
  });

  test('beyond the client retries: stays PENDING; a reconciler (here another instance) sends the same request again', async () => {
    const { order, paymentId } = await paidOrder(stack, token);
    // The first attempt and the client's two retries all answer U.
    await setFaults(stack, { paymentId, refundResult: 'U', refundResultTimes: 3 });
    const pending = await refund(order.id, { amount: '700' });
    expect(pending.status).toBe(202);
    expect(pending.body.refund.status).toBe('PENDING');
    expect((await getOrder(stack.merchant, token, order.id)).refunds?.[0]?.status).toBe('PENDING');
    // The sandbox made the refund; only its answer said "unknown".
    expect((await sandboxPayment(stack, paymentId)).refunds).toHaveLength(1);
    // An instance whose reconciler runs often finds the PENDING refund in the database and sends it again.
    const logs = logCollector();
    const other = await stack.startMerchant({
      reconcileAfterMs: 100,
      reconcileIntervalMs: 100,
      inquiryMinIntervalMs: 100,
      log: { level: 'info', stream: logs.stream },
    });
    try {
      const resolved = await eventually(async () => {
        const current = await getOrder(stack.merchant, token, order.id);
        return current.refunds?.[0]?.status === 'SUCCEEDED' ? current : undefined;
      }, 'the pending refund to be resolved');
      expect(resolved.refunds?.[0]).toMatchObject({
        id: pending.body.refund.id,
        refundId: expect.stringMatching(/^SBXREF/),
      });
      expect(resolved.refundedAmount).toEqual({ currency: 'USD', value: '700' });
      const atWallet = await sandboxPayment(stack, paymentId);
      expect(atWallet.refunds).toEqual([expect.objectContaining({ refundRequestId: pending.body.refund.id })]);
      // The other instance logs once its settlement is flushed, which may be after this instance read the commit.
      await eventually(
        async () => logs.entries().find((entry) => entry.msg === 'refund SUCCEEDED'),
        'the other instance to log the refund SUCCEEDED',
      );
    } finally {
      await other.close();
    }
  });
});

describe('money received for a closed order', () => {
  /** An order the merchant closed on the wallet's word (a signed F ORDER_IS_CLOSED), which the wallet then paid. */
  async function paidAfterClose(merchant = stack.merchant): Promise<{ orderId: string; paymentId: string }> {
    const order = await createOrder(merchant, token);
    const { paymentId } = await startPayment(merchant, token, order.id);
    const payment = await sandboxPayment(stack, paymentId);
    const closed = await postNotification(
      merchant,
      signedNotification(stack, {
        paymentId,
        paymentRequestId: payment.paymentRequestId,
        paymentResult: { resultStatus: 'F', resultCode: 'ORDER_IS_CLOSED', resultMessage: 'closed' },
        paymentAmount: order.amount,
      }),
    );
    expect(closed.status).toBe(200);
    expect((await getOrder(merchant, token, order.id)).status).toBe('CANCELLED');
    await complete(stack, paymentId, 'pay');
    return { orderId: order.id, paymentId };
  }

  test('is refunded automatically, once, and the refund is recorded on the order', async () => {
    const { orderId, paymentId } = await paidAfterClose();
    const refunded = await eventually(async () => {
      const read = await admin<AdminOrder>(stack, 'GET', `/admin/orders/${orderId}`);
      return read.body.refunds?.[0]?.status === 'SUCCEEDED' ? read.body : undefined;
    }, 'the automatic refund');
    expect(refunded).toMatchObject({ status: 'CANCELLED', paidAfterClose: true, refundedAmount: refunded.amount });
    expect(refunded.refunds).toEqual([
      expect.objectContaining({
        initiator: 'auto',
        amount: refunded.amount,
        reason: 'paid after the order was CANCELLED',
      }),
    ]);
    // The wallet's notification again (a resend) finds the refund there: not a second one.
    await call(stack.sandbox.url, 'POST', `/sandbox/payments/${paymentId}/notify`);
    await stack.sandbox.whenIdle();
    expect((await sandboxPayment(stack, paymentId)).refunds).toHaveLength(1);
    expect((await admin<AdminOrder>(stack, 'GET', `/admin/orders/${orderId}`)).body.refunds).toHaveLength(1);
    const customer = await getOrder(stack.merchant, token, orderId);
    expect(customer.refunds?.[0]?.status).toBe('SUCCEEDED');
  });

  test('with MINIPAY_AUTO_REFUND=0 it is only logged, and the operator can refund it', async () => {
    const logs = logCollector();
    const merchant = await stack.startMerchant({ autoRefund: false, log: { level: 'info', stream: logs.stream } });
    try {
      const { orderId, paymentId } = await paidAfterClose(merchant);
      const noted = await eventually(async () => {
        const read = await admin<AdminOrder>(stack, 'GET', `/admin/orders/${orderId}`, { merchant });
        return read.body.paidAfterClose ? read.body : undefined;
      }, 'the late payment to be noted');
      expect(noted.refunds).toBeUndefined();
      expect(
        logs
          .entries()
          .some((e) => e.orderId === orderId && String(e.msg).includes('MONEY RECEIVED FOR A CANCELLED ORDER')),
      ).toBe(true);
      expect((await sandboxPayment(stack, paymentId)).refunds).toHaveLength(0);
      const manual = await refund(orderId, {}, merchant);
      expect(manual.status).toBe(201);
      expect(manual.body.order).toMatchObject({ status: 'CANCELLED', refundedAmount: noted.amount });
    } finally {
      await merchant.close();
    }
  });
});
