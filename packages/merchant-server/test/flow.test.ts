// The whole pay flow against the real sandbox: session, order, pay, the user's choice at the cashier, the
// notification, and the order's final status as the result page reads it.
import {
  call,
  complete,
  createOrder,
  finalOrder,
  orderEvents,
  orderRow,
  readDatabase,
  signIn,
  startPayment,
  startStack,
  type Stack,
} from './helpers';

let stack: Stack;
beforeAll(async () => {
  stack = await startStack();
});
afterAll(() => stack.close());

describe('pay flow with every sandbox outcome', () => {
  test.each([
    ['pay', '9000', 'PAID', undefined],
    ['processing', '8000', 'PAID', undefined],
    ['network-error', '6002', 'PAID', undefined],
    ['unknown', '6004', 'PAID', undefined],
    ['fail', '4000', 'FAILED', 'USER_BALANCE_NOT_ENOUGH'],
    ['cancel', '6001', 'CANCELLED', undefined],
  ])(
    'outcome %s (resultCode %s) ends the order %s, with one transition out of PAYING',
    async (outcome, resultCode, status, failCode) => {
      const { token } = await signIn(stack);
      const order = await createOrder(stack.merchant, token, [
        { productId: 'coffee-beans', quantity: 2 },
        { productId: 'sticker-pack', quantity: 1 },
      ]);
      expect(order).toMatchObject({ status: 'CREATED', amount: { currency: 'USD', value: String(2 * 1450 + 300) } });

      const payment = await startPayment(stack.merchant, token, order.id);
      expect(payment.paymentUrl).toBe(`${stack.sandbox.url}/cashier/${encodeURIComponent(payment.paymentId)}`);
      const completed = await complete(stack, payment.paymentId, outcome);
      expect(completed.resultCode).toBe(resultCode);

      const final = await finalOrder(stack.merchant, token, order.id);
      expect(final.status).toBe(status);
      expect(final.paymentId).toBe(payment.paymentId);
      if (failCode === undefined) expect(final.failReason).toBeUndefined();
      else expect(final.failReason).toEqual({ code: failCode, message: expect.any(String) });
      expect(orderEvents(stack, order.id)).toEqual([
        { from_status: 'CREATED', to_status: 'PAYING', cause: 'payment-started' },
        { from_status: 'PAYING', to_status: status, cause: 'notification' },
      ]);
    },
  );
});

describe('starting a payment', () => {
  test('a second call for the same order reuses the paymentRequestId and returns the same paymentUrl and paymentId', async () => {
    const { token } = await signIn(stack);
    const order = await createOrder(stack.merchant, token);
    const first = await startPayment(stack.merchant, token, order.id);
    const requestId = orderRow(stack, order.id).payment_request_id;
    const second = await startPayment(stack.merchant, token, order.id);
    expect(second).toEqual(first);
    expect(orderRow(stack, order.id).payment_request_id).toBe(requestId);
    const sandboxPayments = await call<{ payments: Array<{ paymentRequestId: string }> }>(
      stack.sandbox.url,
      'GET',
      '/sandbox/payments',
    );
    expect(sandboxPayments.body.payments.filter((p) => p.paymentRequestId === requestId)).toHaveLength(1);
    expect(orderEvents(stack, order.id)).toHaveLength(1);
  });

  test('concurrent calls for one order create one payment at the wallet', async () => {
    const { token } = await signIn(stack);
    const order = await createOrder(stack.merchant, token);
    const answers = await Promise.all(
      Array.from({ length: 5 }, () =>
        call<{ paymentId: string }>(stack.merchant.url, 'POST', `/api/orders/${order.id}/payment`, { token }),
      ),
    );
    expect(answers.map((a) => a.status)).toEqual([200, 200, 200, 200, 200]);
    expect(new Set(answers.map((a) => a.body.paymentId)).size).toBe(1);
    expect(orderEvents(stack, order.id)).toHaveLength(1);
  });

  test('paying for an order that is already paid is a 409', async () => {
    const { token } = await signIn(stack);
    const order = await createOrder(stack.merchant, token);
    const payment = await startPayment(stack.merchant, token, order.id);
    await complete(stack, payment.paymentId, 'pay');
    await finalOrder(stack.merchant, token, order.id);
    const again = await call(stack.merchant.url, 'POST', `/api/orders/${order.id}/payment`, { token });
    expect(again.status).toBe(409);
    expect(again.body).toEqual({
      error: { code: 'ORDER_NOT_PAYABLE', message: 'the order is PAID and can no longer be paid' },
    });
  });

  test('the pay request carries the order amount, the notify URL and the order expiry', async () => {
    const { token } = await signIn(stack);
    const order = await createOrder(stack.merchant, token, [{ productId: 'enamel-mug', quantity: 3 }]);
    const payment = await startPayment(stack.merchant, token, order.id);
    const seen = await call<Record<string, any>>(stack.sandbox.url, 'GET', `/sandbox/payments/${payment.paymentId}`);
    expect(seen.status).toBe(200);
    expect(seen.body).toMatchObject({
      paymentAmount: { currency: 'USD', value: '3600' },
      referenceOrderId: order.id,
      orderDescription: '3 × Enamel camp mug',
      paymentNotifyUrl: `${stack.merchant.url}/notify/payment`,
    });
    expect(Date.parse(seen.body.expiresAt)).toBe(Date.parse(order.expiresAt));
  });
});

describe('sessions', () => {
  test('POST /api/session answers a token, the customer and the expiry, never the wallet access token', async () => {
    const code = await call<{ authCode: string; customerId: string }>(
      stack.sandbox.url,
      'POST',
      '/sandbox/auth-codes',
      { body: { customerId: 'CUST_SESSION' } },
    );
    const session = await call<Record<string, unknown>>(stack.merchant.url, 'POST', '/api/session', {
      body: { authCode: code.body.authCode },
    });
    expect(session.status).toBe(200);
    expect(Object.keys(session.body).sort()).toEqual(['customerId', 'expiresAt', 'token']);
    expect(session.body.customerId).toBe('CUST_SESSION');
    expect(Date.parse(session.body.expiresAt as string)).toBeGreaterThan(Date.now() + 23 * 3600_000);
    const stored = readDatabase(
      stack,
      (db) =>
        db.prepare("SELECT access_token FROM customers WHERE customer_id = 'CUST_SESSION'").get() as {
          access_token: string;
        },
    );
    expect(stored.access_token.length).toBeGreaterThan(0);
    expect(session.text).not.toContain(stored.access_token);
  });

  test('an auth code the wallet refuses (used twice) is a 401 with the wallet code', async () => {
    const code = await call<{ authCode: string }>(stack.sandbox.url, 'POST', '/sandbox/auth-codes', { body: {} });
    const first = await call(stack.merchant.url, 'POST', '/api/session', { body: { authCode: code.body.authCode } });
    expect(first.status).toBe(200);
    const second = await call<{ error: { code: string; message: string } }>(
      stack.merchant.url,
      'POST',
      '/api/session',
      { body: { authCode: code.body.authCode } },
    );
    expect(second.status).toBe(401);
    expect(second.body.error.code).toMatch(/^[A-Z_]+$/);
    expect(second.body.error.code).not.toBe('UNAUTHENTICATED');
  });
});
