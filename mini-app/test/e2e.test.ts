/**
 * End to end: the app's real pages under the harness, `my.request` over real HTTP to the real merchant
 * server and wallet sandbox, `my.tradePay` through the sandbox's shim. The result page must show what
 * the merchant server confirms, however the notification travels.
 */
import type { Outcome } from '@minipay/wallet-sandbox/mini';
import { en } from '../src/i18n/strings';
import { checkout, launchApp, payAndWaitForResult, productsLoaded } from './harness/app';
import type { MiniProgramRuntime, PageInstance } from './harness/runtime';
import { startStack, type Stack } from './harness/stack';

/** Notifications only: the reconciler waits a minute, longer than any test here. */
let stack: Stack;
/** No notification ever arrives: the merchant's reconciler must find the answer with inquiryPayment. */
let reconciling: Stack;
let runtime: MiniProgramRuntime | undefined;

beforeAll(async () => {
  [stack, reconciling] = await Promise.all([
    startStack({ reconcileAfterMs: 60_000 }),
    startStack({ reconcileAfterMs: 200 }),
  ]);
});
afterEach(async () => {
  runtime?.close();
  runtime = undefined;
  await Promise.all([stack.clearFaults(), reconciling.clearFaults()]);
});
afterAll(async () => {
  await Promise.all([stack?.close(), reconciling?.close()]);
});

async function paymentOf(app: MiniProgramRuntime, page: PageInstance): Promise<{ paymentId: string; status: string }> {
  const order = await app.app!.api.order(page.orderId);
  return { paymentId: order.paymentId, status: order.status };
}

async function notificationAttempts(on: Stack, paymentId: string): Promise<Array<{ outcome: string }>> {
  const payment = await on.sandboxPayment(paymentId);
  return payment.notification.attempts;
}

const OUTCOMES: Array<[Outcome, string, 'paid' | 'failed' | 'cancelled', string]> = [
  ['pay', '9000', 'paid', en.result.paidTitle],
  ['processing', '8000', 'paid', en.result.paidTitle],
  ['fail', '4000', 'failed', en.result.failedTitle],
  ['cancel', '6001', 'cancelled', en.result.cancelledTitle],
  ['network-error', '6002', 'paid', en.result.paidTitle],
  ['unknown', '6004', 'paid', en.result.paidTitle],
];

/** How the wallet's notification travels: the faults set on the sandbox, and which stack runs it. */
type Delivery = 'on time' | 'late (1 s)' | 'duplicated (×3)' | 'never sent';
const DELIVERIES: Array<[Delivery, Record<string, unknown> | undefined]> = [
  ['on time', undefined],
  ['late (1 s)', { delaySeconds: 1 }],
  ['duplicated (×3)', { duplicate: 3 }],
  // The merchant's reconciler must find the answer with inquiryPayment.
  ['never sent', { neverSend: true }],
];

async function waitForAttempts(
  on: Stack,
  paymentId: string,
  enough: (attempts: Array<{ outcome: string }>) => boolean,
) {
  let attempts: Array<{ outcome: string }> = [];
  for (let i = 0; i < 300; i++) {
    attempts = await notificationAttempts(on, paymentId);
    if (enough(attempts)) break;
    await new Promise((r) => setTimeout(r, 20));
  }
  return attempts;
}

/** GET /api/orders/:id requests so far: the confirmation's checks and the result page's own. */
const orderCheckCount = (app: MiniProgramRuntime) =>
  app.my.requests.filter((r) => r.method === 'GET' && /\/api\/orders\/[^/]+$/.test(r.url)).length;

describe('each cashier outcome ends on the status the merchant server confirms, however the notification travels', () => {
  const table = DELIVERIES.flatMap(([delivery, faults]) =>
    OUTCOMES.map(([outcome, code, kind, title]) => [delivery, outcome, code, kind, title, faults] as const),
  );
  test.each(table)(
    'notification %s: %s (resultCode %s) → result page shows %s',
    async (delivery, outcome, _code, kind, title, faults) => {
      const on = delivery === 'never sent' ? reconciling : stack;
      if (faults) await on.setFaults(faults);
      runtime = launchApp(on, { choose: outcome });
      const confirm = await checkout(runtime);
      expect(confirm.data.order.lines).toHaveLength(2);

      const result = await payAndWaitForResult(runtime);
      expect(result.data.view).toMatchObject({ kind, title, canCheckAgain: false });
      const { paymentId, status } = await paymentOf(runtime, result);
      expect(status).toBe({ paid: 'PAID', failed: 'FAILED', cancelled: 'CANCELLED' }[kind]);
      if (kind === 'failed') expect(result.data.view.message).toContain(en.reasons.USER_BALANCE_NOT_ENOUGH);
      if (kind === 'paid') expect(result.data.view.message).toContain(confirm.data.order.total);
      expect(runtime.errors).toEqual([]);

      const acknowledged = (attempts: Array<{ outcome: string }>) =>
        attempts.filter((a) => a.outcome === 'acknowledged').length;
      switch (delivery) {
        case 'late (1 s)':
          // The order was still PAYING at the first check: the page kept asking (2+ checks, then the result page's own).
          expect(orderCheckCount(runtime)).toBeGreaterThanOrEqual(3);
          expect(acknowledged(await waitForAttempts(on, paymentId, (a) => acknowledged(a) > 0))).toBeGreaterThan(0);
          break;
        case 'duplicated (×3)':
          expect(
            acknowledged(await waitForAttempts(on, paymentId, (a) => acknowledged(a) >= 3)),
          ).toBeGreaterThanOrEqual(3);
          expect((await paymentOf(runtime, result)).status).toBe(status);
          break;
        case 'never sent':
          expect(acknowledged(await notificationAttempts(on, paymentId))).toBe(0);
          break;
        case 'on time':
          break;
      }
    },
  );
});

test('the Pay button is disabled while the payment is under way and a second tap starts nothing', async () => {
  let release!: () => void;
  const cashierOpen = new Promise<void>((resolve) => (release = resolve));
  runtime = launchApp(stack, { choose: async () => (await cashierOpen, 'pay' as const) });
  const confirm = await checkout(runtime);
  expect(confirm.data.paying).toBe(false);

  runtime.tap('onPay');
  expect(confirm.data.paying).toBe(true);
  runtime.tap('onPay');
  await runtime.waitFor(
    () => runtime!.my.requests.some((r) => r.url.endsWith('/payment') && r.status !== undefined),
    'payment created',
  );
  expect(confirm.data.paying).toBe(true);
  release();

  const result = await runtime.waitForPage('pages/result/index', (page) => !page.data.loading);
  expect(result.data.view.kind).toBe('paid');
  expect(runtime.my.requests.filter((r) => r.url.endsWith('/payment'))).toHaveLength(1);
});

test('leaving the confirm page while the order is being confirmed stops the checks and opens no result page', async () => {
  await stack.setFaults({ neverSend: true });
  runtime = launchApp(stack, { choose: 'pay', schedule: [0, 50, 600_000] });
  await checkout(runtime);
  const orderChecks = () =>
    runtime!.my.requests.filter(
      (r) => r.method === 'GET' && /\/api\/orders\/[^/]+$/.test(r.url) && r.status !== undefined,
    ).length;
  const paying = runtime.tap('onPay') as Promise<void>;
  await runtime.waitFor(() => orderChecks() === 2, 'two order checks');
  runtime.my.navigateBack();
  await paying; // settles only because leaving aborted the 10-minute wait before the third check
  expect(orderChecks()).toBe(2);
  expect(runtime.pages().map((p) => p.route)).toEqual(['pages/products/index']);
  expect(runtime.errors).toEqual([]);
});

describe('a notification later than the confirmation window', () => {
  test('pending with "Check again", which then shows paid', async () => {
    await stack.setFaults({ delaySeconds: 3 });
    runtime = launchApp(stack, { choose: 'pay', schedule: [0, 50] });
    await checkout(runtime);
    const result = await payAndWaitForResult(runtime);
    expect(result.data.view).toMatchObject({ kind: 'pending', title: en.result.pendingTitle, canCheckAgain: true });

    const { paymentId } = await paymentOf(runtime, result);
    const acknowledged = async () =>
      (await notificationAttempts(stack, paymentId)).some((a) => a.outcome === 'acknowledged');
    for (let i = 0; i < 1000 && !(await acknowledged()); i++) await new Promise((r) => setTimeout(r, 20));

    runtime.tap('onCheckAgain');
    await runtime.waitFor(() => result.data.view.kind === 'paid', 'paid after checking again');
    expect(result.data.view.canCheckAgain).toBe(false);
  });
});

describe('errors a user can meet are shown on the page', () => {
  test('server unreachable on the products page: a message and "Try again", which then loads the catalog', async () => {
    runtime = launchApp(stack, { choose: 'pay', offline: true });
    const products = await productsLoaded(runtime);
    expect(products.data.error).toEqual({ message: en.errors.unreachable, canRetry: true });
    expect(products.data.rows).toEqual([]);

    runtime.my.offline = false;
    runtime.tap('onRetry');
    await runtime.waitFor(() => !products.data.loading && products.data.rows.length > 0, 'catalog after retry');
    expect(products.data.error).toBeNull();
  });

  test('server unreachable when paying: the message, Pay enabled again, and "Try again" completes the payment', async () => {
    runtime = launchApp(stack, { choose: 'pay' });
    const confirm = await checkout(runtime);
    runtime.my.offline = true;
    runtime.tap('onPay');
    await runtime.waitFor(() => !confirm.data.paying, 'the payment attempt to end');
    expect(confirm.data.error).toEqual({ message: en.errors.unreachable, canRetry: true });

    runtime.my.offline = false;
    runtime.tap('onRetry');
    const result = await runtime.waitForPage('pages/result/index', (page) => !page.data.loading);
    expect(result.data.view.kind).toBe('paid');
  });

  test('payment creation refused: the wallet reason the merchant server passes on is shown', async () => {
    // The sandbox cannot be made to refuse `pay`, so this one answer of the merchant server is scripted,
    // in the shape the server gives when the wallet answers F (402, the wallet's code and message).
    runtime = launchApp(stack, { choose: 'pay' });
    const confirm = await checkout(runtime);
    runtime.my.intercept = ({ method, url }) =>
      method === 'POST' && url.endsWith('/payment')
        ? {
            status: 402,
            body: { error: { code: 'RISK_REJECT', message: 'The payment was rejected for risk reasons.' } },
          }
        : undefined;
    runtime.tap('onPay');
    await runtime.waitFor(() => !confirm.data.paying, 'the payment attempt to end');
    expect(confirm.data.error.message).toBe(`The payment could not be created: ${en.reasons.RISK_REJECT}`);
    expect(runtime.currentPage().route).toBe('pages/confirm/index');
  });

  test.each([
    ['not-permitted (resultCode 4)', (call: any) => call.success({ resultCode: '4' }), en.errors.notPermitted, false],
    [
      'a failing JSAPI (fail callback)',
      (call: any) => call.fail({ error: 3, errorMessage: 'the cashier is unavailable' }),
      "The wallet's cashier could not be opened: the cashier is unavailable",
      true,
    ],
  ])(
    'tradePay %s: the reason stays on the confirm page and Pay works again',
    async (_name, tradePay, message, canRetry) => {
      runtime = launchApp(stack, { tradePay, getAuthCode: undefined });
      // No shim: a session needs an auth code, so hand one out from the sandbox directly.
      const code = (await (
        await fetch(`${stack.sandboxUrl}/sandbox/auth-codes`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: '{}',
        })
      ).json()) as { authCode: string };
      runtime.my.getAuthCode = (request: any) => request.success({ authCode: code.authCode });
      const confirm = await checkout(runtime);
      runtime.tap('onPay');
      await runtime.waitFor(() => !confirm.data.paying, 'the payment attempt to end');
      expect(confirm.data.error).toEqual({ message, canRetry });
      expect(runtime.currentPage().route).toBe('pages/confirm/index');
    },
  );

  test('an empty cart cannot be checked out: a toast, no navigation', async () => {
    runtime = launchApp(stack, { choose: 'pay' });
    const products = await productsLoaded(runtime);
    expect(products.data.canCheckout).toBe(false);
    runtime.tap('onCheckout');
    await new Promise((r) => setTimeout(r, 20));
    expect(runtime.my.toasts).toEqual([{ content: en.products.emptyCart, type: undefined }]);
    expect(runtime.pages().map((p) => p.route)).toEqual(['pages/products/index']);
  });
});

describe('session', () => {
  test('on launch: my.getAuthCode → POST /api/session, the token kept in storage and sent as a Bearer token', async () => {
    runtime = launchApp(stack, { choose: 'pay' });
    await runtime.app!.session;
    const stored = runtime.my.storage.get('minipay.session') as { token: string };
    expect(stored.token).toEqual(expect.any(String));
    expect(runtime.my.requests.filter((r) => r.url.endsWith('/api/session'))).toHaveLength(1);

    await checkout(runtime);
    const create = runtime.my.requests.find((r) => r.url.endsWith('/api/orders'));
    expect(create?.headers.Authorization).toBe(`Bearer ${stored.token}`);
    expect(JSON.parse(create!.body!)).toEqual({ items: expect.any(Array) });
  });

  test('a token the server no longer accepts is renewed once and the call retried', async () => {
    runtime = launchApp(stack, { choose: 'pay' });
    await runtime.app!.session;
    runtime.my.setStorageSync({ key: 'minipay.session', data: { token: 'stale-token', customerId: 'x' } });
    const confirm = await checkout(runtime);
    expect(confirm.data.order).toBeTruthy();
    const statuses = runtime.my.requests
      .filter((r) => /\/api\/(orders|session)$/.test(r.url))
      .map((r) => `${r.url.replace(/.*\/api/, '')} ${r.status}`);
    expect(statuses).toEqual(['/session 200', '/orders 401', '/session 200', '/orders 201']);
    expect((runtime.my.storage.get('minipay.session') as { token: string }).token).not.toBe('stale-token');
  });

  test('a session past the expiry the server gave is renewed before the next call, with no 401 round trip', async () => {
    const shortLived = await startStack({ reconcileAfterMs: 60_000, sessionTtlMs: 1000 });
    try {
      runtime = launchApp(shortLived, { choose: 'pay' });
      await runtime.app!.session;
      const { expiresAt } = runtime.my.storage.get('minipay.session') as { expiresAt: number };
      expect(expiresAt).toBeGreaterThan(Date.now());
      await new Promise((resolve) => setTimeout(resolve, expiresAt - Date.now() + 50)); // the server's expiry passes
      const confirm = await checkout(runtime);
      expect(confirm.data.order).toBeTruthy();
      const statuses = runtime.my.requests
        .filter((r) => /\/api\/(orders|session)$/.test(r.url))
        .map((r) => `${r.url.replace(/.*\/api/, '')} ${r.status}`);
      expect(statuses).toEqual(['/session 200', '/session 200', '/orders 201']);
    } finally {
      runtime?.close();
      runtime = undefined;
      await shortLived.close();
    }
  });
});

describe('the app as the user finds it', () => {
  test('Spanish system language: Spanish strings and amounts', async () => {
    runtime = launchApp(stack, { choose: 'pay', language: 'es-MX' });
    const confirm = await checkout(runtime);
    expect(runtime.my.titles).toEqual(['Tienda', 'Confirma tu pedido']);
    expect(confirm.data.order.total).toMatch(/^\d[\d.]*,\d\d [A-Z]{3}$/);
    const result = await payAndWaitForResult(runtime);
    expect(result.data.view.title).toBe('Pago realizado');
  });

  test('a quick second tap on "Checkout" opens one confirm page and creates one order; back on the shop, Checkout works again', async () => {
    runtime = launchApp(stack, { choose: 'pay' });
    const products = await productsLoaded(runtime);
    runtime.tap('onQuantityChange', 1, { currentTarget: { dataset: { id: products.data.rows[0].id } } });
    runtime.tap('onCheckout');
    runtime.tap('onCheckout');
    await runtime.waitForPage('pages/confirm/index', (page) => !page.data.loading);
    await new Promise((r) => setTimeout(r, 20));
    expect(runtime.pages().map((p) => p.route)).toEqual(['pages/products/index', 'pages/confirm/index']);
    expect(runtime.my.requests.filter((r) => r.method === 'POST' && r.url.endsWith('/api/orders'))).toHaveLength(1);

    runtime.my.navigateBack();
    await runtime.waitForPage('pages/products/index');
    runtime.tap('onCheckout');
    await runtime.waitForPage('pages/confirm/index', (page) => !page.data.loading);
    expect(runtime.my.requests.filter((r) => r.method === 'POST' && r.url.endsWith('/api/orders'))).toHaveLength(2);
  });

  test('"Back to the shop" relaunches the products page with an empty cart', async () => {
    runtime = launchApp(stack, { choose: 'cancel' });
    await checkout(runtime);
    await payAndWaitForResult(runtime);
    expect(runtime.pages().map((p) => p.route)).toEqual(['pages/products/index', 'pages/result/index']);
    runtime.tap('onBackToShop');
    const products = await runtime.waitForPage('pages/products/index', (page) => !page.data.loading);
    expect(runtime.pages()).toHaveLength(1);
    expect(products.data.canCheckout).toBe(false);
  });

  test('a development build installs the sandbox shim at launch: sandbox auth code, action-sheet cashier', async () => {
    runtime = launchApp(stack, { appInstallsShim: true, choose: 'pay', actionSheet: (items) => items.indexOf('Pay') });
    expect(runtime.app!.devWallet).toBe(true);
    await checkout(runtime);
    const result = await payAndWaitForResult(runtime);
    expect(result.data.view.kind).toBe('paid');
    expect(runtime.my.actionSheets).toHaveLength(1);
    expect(runtime.my.requests.some((r) => r.url === `${stack.sandboxUrl}/sandbox/auth-codes`)).toBe(true);
  });
});
