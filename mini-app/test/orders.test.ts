/**
 * "My orders" end to end under the harness: the real pages, `my.request` over real HTTP to the real merchant
 * server and wallet sandbox. Reached from the products page and the result page; each order's status and refunds
 * come from the server (a refund made through the operator API shows up); older orders a page at a time.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ORDER_PAGE_LIMITS } from '@minipay/contract';
import { en } from '../src/i18n/strings';
import { checkout, launchApp, payAndWaitForResult, productsLoaded } from './harness/app';
import type { MiniProgramRuntime } from './harness/runtime';
import { startStack, type Stack } from './harness/stack';

let stack: Stack;
let runtime: MiniProgramRuntime | undefined;

beforeAll(async () => {
  stack = await startStack({ reconcileAfterMs: 60_000 });
});
afterEach(() => {
  runtime?.close();
  runtime = undefined;
});
afterAll(() => stack?.close());

/** A refund through the operator API, as the shop's staff would make it (`npm run refund`). */
async function refund(orderId: string, amount: string): Promise<void> {
  const token = readFileSync(join(stack.home, 'admin-token'), 'utf8').trim();
  const response = await fetch(`${stack.merchantUrl}/admin/orders/${orderId}/refunds`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify({ amount }),
  });
  expect(response.status).toBe(201);
}

const ordersLoaded = (app: MiniProgramRuntime) =>
  app.waitForPage('pages/orders/index', (page) => !page.data.loading && !page.data.loadingMore);

test('from the result page: the order just paid is first, with its status; a refund shows once it is made', async () => {
  runtime = launchApp(stack, { choose: 'pay' });
  await checkout(runtime);
  const result = await payAndWaitForResult(runtime);
  expect(result.data.view.kind).toBe('paid');
  const orderId = result.orderId as string;

  runtime.tap('onMyOrders');
  let orders = await ordersLoaded(runtime);
  // It replaced the result page: "back" goes to the shop.
  expect(runtime.pages().map((p) => p.route)).toEqual(['pages/products/index', 'pages/orders/index']);
  expect(orders.data.rows[0]).toMatchObject({ id: orderId, status: en.orders.status.PAID, kind: 'paid', refund: '' });
  expect(orders.data.rows[0].amount).toBe(result.data.view.message.match(/USD \d[\d,]*\.\d{2}/)?.[0]);

  await refund(orderId, '500');
  runtime.tap('onBackToShop');
  await productsLoaded(runtime);
  runtime.tap('onMyOrders');
  orders = await ordersLoaded(runtime);
  expect(orders.data.rows[0]).toMatchObject({ id: orderId, refund: 'Refunded USD 5.00' });

  // Opening an order shows what the server says of it.
  runtime.tap('onOpen', { currentTarget: { dataset: { id: orderId } } });
  const opened = await runtime.waitForPage('pages/result/index', (page) => !page.data.loading);
  expect(opened.orderId).toBe(orderId);
  expect(opened.data.view.kind).toBe('paid');
  expect(runtime.errors).toEqual([]);
});

test('from the products page: every order of this customer, newest first, older ones a page at a time', async () => {
  runtime = launchApp(stack, { choose: 'pay' });
  await productsLoaded(runtime);
  // Enough orders for two pages (the ones of the previous test belong to another customer: another fake wallet user).
  const api = runtime.app!.api;
  const made: string[] = [];
  for (let i = 0; i < ORDER_PAGE_LIMITS.defaultLimit + 3; i += 1) {
    made.push((await api.createOrder([{ productId: 'green-tea', quantity: 1 + (i % 3) }])).id);
  }
  runtime.tap('onMyOrders');
  const orders = await ordersLoaded(runtime);
  expect(orders.data.rows).toHaveLength(ORDER_PAGE_LIMITS.defaultLimit);
  expect(orders.data.rows[0]).toMatchObject({ id: made[made.length - 1], status: en.orders.status.CREATED });
  expect(orders.data.nextCursor).toEqual(expect.any(String));
  runtime.tap('onMore');
  await runtime.waitFor(() => orders.data.nextCursor === null && !orders.data.loadingMore, 'the second page');
  expect(orders.data.rows.map((row: { id: string }) => row.id)).toEqual([...made].reverse());
  expect(runtime.errors).toEqual([]);
});

test('an unreachable server says so, with "Try again"', async () => {
  runtime = launchApp(stack, { choose: 'pay' });
  await productsLoaded(runtime);
  runtime.my.offline = true;
  runtime.tap('onMyOrders');
  const orders = await ordersLoaded(runtime);
  expect(orders.data.error).toMatchObject({ message: en.errors.unreachable, canRetry: true });
  runtime.my.offline = false;
  runtime.tap('onRetry');
  await runtime.waitFor(() => orders.data.error === null && !orders.data.loading, 'the retry');
  // A new customer of this wallet: no orders yet, and the page says so.
  expect(orders.data.rows).toEqual([]);
  expect(runtime.errors).toEqual([]);
});
