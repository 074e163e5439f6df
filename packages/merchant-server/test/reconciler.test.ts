// No order stays PAYING forever: lost notifications, restarts, an unreachable wallet and expiry all end in the
// right state through inquiryPayment (real sandbox) and the expiry sweep.
import { createServer } from 'node:net';
import { startMerchantServer } from '../src';
import {
  call,
  complete,
  createOrder,
  eventually,
  finalOrder,
  getOrder,
  orderEvents,
  orderRow,
  setFaults,
  signIn,
  startPayment,
  startStack,
  type Stack,
} from './helpers';

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return typeof address === 'object' && address !== null ? address.port : 0;
}

function statusInDatabase(stack: Stack, orderId: string, wanted: string): Promise<true> {
  // Read from the database, not the API: a GET would itself trigger an inquiry.
  return eventually(
    () => (orderRow(stack, orderId).status === wanted ? true : undefined),
    `order ${orderId} ${wanted} in the database`,
  );
}

describe('reconciler', () => {
  let stack: Stack;
  afterEach(() => stack?.close());

  test('a notification that never comes (sandbox neverSend) is replaced by inquiryPayment: the order ends PAID', async () => {
    stack = await startStack({ merchant: { reconcileAfterMs: 200 } });
    const { token } = await signIn(stack);
    await setFaults(stack, { neverSend: true });
    const order = await createOrder(stack.merchant, token);
    const { paymentId } = await startPayment(stack.merchant, token, order.id);
    await complete(stack, paymentId, 'pay');
    await statusInDatabase(stack, order.id, 'PAID');
    expect(orderEvents(stack, order.id)).toEqual([
      { from_status: 'CREATED', to_status: 'PAYING', cause: 'payment-started' },
      { from_status: 'PAYING', to_status: 'PAID', cause: 'inquiry' },
    ]);
  });

  test('reading a stale PAYING order asks the wallet (result page): a lost failure ends FAILED with the wallet code', async () => {
    stack = await startStack({ merchant: { reconcileAfterMs: 100, reconcileIntervalMs: 3_600_000 } });
    const { token } = await signIn(stack);
    await setFaults(stack, { neverSend: true });
    const order = await createOrder(stack.merchant, token);
    const { paymentId } = await startPayment(stack.merchant, token, order.id);
    await complete(stack, paymentId, 'fail');
    const final = await finalOrder(stack.merchant, token, order.id);
    expect(final.status).toBe('FAILED');
    expect(final.failReason?.code).toBe('USER_BALANCE_NOT_ENOUGH');
    expect(orderEvents(stack, order.id).at(-1)).toEqual({
      from_status: 'PAYING',
      to_status: 'FAILED',
      cause: 'inquiry',
    });
  });

  test('reads of a stale PAYING order ask the wallet at most once per inquiryMinIntervalMs, however many arrive at once', async () => {
    const walletLog: string[] = [];
    let offset = 0;
    stack = await startStack({
      sandbox: { log: (line) => walletLog.push(line) },
      merchant: {
        reconcileAfterMs: 1,
        reconcileIntervalMs: 3_600_000,
        inquiryMinIntervalMs: 60_000,
        now: () => new Date(Date.now() + offset),
      },
    });
    const inquiries = (): number => walletLog.filter((line) => line.includes('/v2/payments/inquiryPayment')).length;
    const { token } = await signIn(stack);
    const order = await createOrder(stack.merchant, token);
    await startPayment(stack.merchant, token, order.id);
    const reads = await Promise.all(Array.from({ length: 20 }, () => getOrder(stack.merchant, token, order.id)));
    for (let i = 0; i < 5; i += 1) reads.push(await getOrder(stack.merchant, token, order.id));
    expect(reads.every((read) => read.status === 'PAYING')).toBe(true);
    expect(inquiries()).toBe(1);

    // Negative control: once the interval has passed, the next read asks again.
    offset = 61_000;
    await getOrder(stack.merchant, token, order.id);
    expect(inquiries()).toBe(2);
  });

  test('restart: orders left PAYING are resolved by the run at start-up (paid → PAID, cancelled → CANCELLED, undecided → PAYING)', async () => {
    stack = await startStack();
    const { token } = await signIn(stack);
    await setFaults(stack, { neverSend: true });
    const ids: Record<string, { orderId: string; paymentId: string }> = {};
    for (const outcome of ['pay', 'cancel', 'none']) {
      const order = await createOrder(stack.merchant, token);
      const { paymentId } = await startPayment(stack.merchant, token, order.id);
      if (outcome !== 'none') await complete(stack, paymentId, outcome);
      ids[outcome] = { orderId: order.id, paymentId };
    }
    await stack.merchant.close();
    for (const { orderId } of Object.values(ids)) expect(orderRow(stack, orderId).status).toBe('PAYING');

    // Same home, same database; the periodic run is an hour away, so only the start-up run can do this.
    await stack.startMerchant({ reconcileAfterMs: 1, reconcileIntervalMs: 3_600_000 });
    await statusInDatabase(stack, ids.pay!.orderId, 'PAID');
    await statusInDatabase(stack, ids.cancel!.orderId, 'CANCELLED');
    expect(orderRow(stack, ids.none!.orderId).status).toBe('PAYING');
    expect(orderEvents(stack, ids.none!.orderId)).toHaveLength(1);
  });

  test('an unreachable wallet leaves the order PAYING (503 PAYMENT_PENDING); after a restart the retry reuses the paymentRequestId', async () => {
    stack = await startStack({ noMerchant: true });
    const offline = await stack.startMerchant({
      walletUrl: `http://127.0.0.1:${await freePort()}`,
      walletTimeoutMs: 1000,
    });
    const code = await call<{ authCode: string }>(stack.sandbox.url, 'POST', '/sandbox/auth-codes', {
      body: { customerId: 'CUST_OFFLINE' },
    });
    // applyToken needs the wallet too: sign in through a server that can reach it, the token works on both.
    const online = await stack.startMerchant();
    const session = await call<{ token: string }>(online.url, 'POST', '/api/session', {
      body: { authCode: code.body.authCode },
    });
    await online.close();
    const token = session.body.token;

    const order = await createOrder(offline, token);
    const pending = await call(offline.url, 'POST', `/api/orders/${order.id}/payment`, { token });
    expect(pending.status).toBe(503);
    expect(pending.body).toEqual({ error: { code: 'PAYMENT_PENDING', message: expect.any(String) } });
    expect((await getOrder(offline, token, order.id)).status).toBe('PAYING');
    const requestId = orderRow(stack, order.id).payment_request_id;
    expect(requestId).toMatch(/^pr_/);
    await offline.close();

    const back = await stack.startMerchant();
    const { paymentId } = await startPayment(back, token, order.id);
    expect(orderRow(stack, order.id).payment_request_id).toBe(requestId);
    const atWallet = await call<{ paymentRequestId: string }>(
      stack.sandbox.url,
      'GET',
      `/sandbox/payments/${paymentId}`,
    );
    expect(atWallet.body.paymentRequestId).toBe(requestId);
    await complete(stack, paymentId, 'pay');
    expect((await finalOrder(back, token, order.id)).status).toBe('PAID');
  });

  test('an order never paid expires: CREATED → EXPIRED by the sweep, and it can no longer be paid', async () => {
    stack = await startStack({ merchant: { orderTtlMs: 300, reconcileAfterMs: 100 } });
    const { token } = await signIn(stack);
    const order = await createOrder(stack.merchant, token);
    await statusInDatabase(stack, order.id, 'EXPIRED');
    expect(orderEvents(stack, order.id)).toEqual([{ from_status: 'CREATED', to_status: 'EXPIRED', cause: 'expiry' }]);
    const late = await call(stack.merchant.url, 'POST', `/api/orders/${order.id}/payment`, { token });
    expect(late.status).toBe(409);
    expect(late.body.error.code).toBe('ORDER_NOT_PAYABLE');
  });

  test('a payment the wallet closes at its expiry (F ORDER_IS_CLOSED after paymentExpiryTime) ends the order EXPIRED', async () => {
    stack = await startStack({ merchant: { orderTtlMs: 1200 } });
    const { token } = await signIn(stack);
    const order = await createOrder(stack.merchant, token);
    await startPayment(stack.merchant, token, order.id);
    const final = await finalOrder(stack.merchant, token, order.id);
    expect(final.status).toBe('EXPIRED');
    expect(orderEvents(stack, order.id).at(-1)).toEqual({
      from_status: 'PAYING',
      to_status: 'EXPIRED',
      cause: 'notification',
    });
  });

  test('a pay the wallet refuses (F) fails the order with the wallet code and answers 402', async () => {
    // The wallet's clock runs 4.5 minutes ahead (inside the 5-minute signature window), so a 1-minute payment
    // expiry is already in its past: the sandbox answers F PARAM_ILLEGAL.
    stack = await startStack({
      sandbox: { now: () => new Date(Date.now() + 270_000) },
      merchant: { orderTtlMs: 60_000 },
    });
    const { token } = await signIn(stack);
    const order = await createOrder(stack.merchant, token);
    const refused = await call(stack.merchant.url, 'POST', `/api/orders/${order.id}/payment`, { token });
    expect(refused.status).toBe(402);
    expect(refused.body.error.code).toBe('PARAM_ILLEGAL');
    const failed = await getOrder(stack.merchant, token, order.id);
    expect(failed.status).toBe('FAILED');
    expect(failed.failReason).toEqual({ code: 'PARAM_ILLEGAL', message: expect.stringContaining('paymentExpiryTime') });
    expect(orderEvents(stack, order.id).at(-1)).toEqual({
      from_status: 'PAYING',
      to_status: 'FAILED',
      cause: 'pay-rejected',
    });
  });
});

describe('start-up', () => {
  test('a port in use stops start-up with a message naming MINIPAY_MERCHANT_PORT and --port', async () => {
    const stack = await startStack();
    try {
      const port = Number(new URL(stack.merchant.url).port);
      await expect(startMerchantServer({ home: stack.home, port, log: false })).rejects.toMatchObject({
        name: 'MerchantServerError',
        code: 'PORT_IN_USE',
        message: expect.stringMatching(/MINIPAY_MERCHANT_PORT.*--port/),
      });
    } finally {
      await stack.close();
    }
  });

  test('production without keys stops start-up naming every missing setting, and creates no development keys', async () => {
    const { mkdtempSync, readdirSync, rmSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const { join } = await import('node:path');
    const home = mkdtempSync(join(tmpdir(), 'minipay-prod-'));
    await expect(startMerchantServer({ home, port: 0, log: false, production: true })).rejects.toMatchObject({
      code: 'CONFIG_MISSING',
      // In the table's order; the wallet's URL too: production never falls back to the local sandbox's.
      message: expect.stringMatching(
        /MINIPAY_WALLET_URL.*MINIPAY_PUBLIC_URL.*MINIPAY_CLIENT_ID.*MINIPAY_MERCHANT_PRIVATE_KEY.*MINIPAY_WALLET_PUBLIC_KEY.*MINIPAY_SESSION_SECRET/,
      ),
    });
    expect(readdirSync(home)).toEqual([]);
    rmSync(home, { recursive: true, force: true });
  });
});
