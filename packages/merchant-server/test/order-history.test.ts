// Order history: the customer's own orders (GET /api/orders, newest first, by cursor) and the operator's listing
// (GET /admin/orders with status and date filters), against the real server, sandbox and SQLite file.
import type { AdminOrderPage, OrderPage } from '@minipay/contract';
import { admin, call, createOrder, paidOrder, signIn, startStack, type Stack } from './helpers';

let stack: Stack;
let alice: string;
let bob: string;
const aliceOrders: string[] = [];

beforeAll(async () => {
  stack = await startStack();
  alice = (await signIn(stack)).token;
  bob = (await signIn(stack)).token;
  // Oldest first; the listing shows them the other way round.
  for (let i = 0; i < 5; i += 1) aliceOrders.push((await createOrder(stack.merchant, alice)).id);
  aliceOrders.push((await paidOrder(stack, alice)).order.id);
  await createOrder(stack.merchant, bob);
});
afterAll(() => stack.close());

const list = (token: string, query = '') =>
  call<OrderPage>(stack.merchant.url, 'GET', `/api/orders${query}`, { token });

test("a customer's own orders, newest first, a page at a time, none skipped or repeated", async () => {
  const first = await list(alice, '?limit=4');
  expect(first.status).toBe(200);
  expect(first.body.orders.map((o) => o.id)).toEqual([...aliceOrders].reverse().slice(0, 4));
  expect(first.body.nextCursor).toEqual(expect.any(String));
  const second = await list(alice, `?limit=4&cursor=${first.body.nextCursor}`);
  expect(second.body.orders.map((o) => o.id)).toEqual([...aliceOrders].reverse().slice(4));
  expect(second.body.nextCursor).toBeUndefined();
  // The whole order, as GET /api/orders/:id shows it.
  expect(first.body.orders[0]).toMatchObject({
    id: aliceOrders[5],
    status: 'PAID',
    payee: { name: 'Minipay Demo Shop' },
  });
  expect(first.body.orders[0]?.items).toHaveLength(1);
});

test('another customer sees only their own; without a session there is no list', async () => {
  const theirs = await list(bob);
  expect(theirs.body.orders).toHaveLength(1);
  expect(theirs.body.orders.some((o) => aliceOrders.includes(o.id))).toBe(false);
  const cursor = (await list(alice, '?limit=1')).body.nextCursor as string;
  // Alice's cursor does not open her orders to Bob: it only says where to continue his own list.
  expect((await list(bob, `?cursor=${cursor}`)).body.orders.every((o) => !aliceOrders.includes(o.id))).toBe(true);
  const anonymous = await call(stack.merchant.url, 'GET', '/api/orders');
  expect(anonymous.status).toBe(401);
});

test('a refund shows in the list as on the order', async () => {
  const id = aliceOrders[5] as string;
  expect((await admin(stack, 'POST', `/admin/orders/${id}/refunds`, { body: { amount: '100' } })).status).toBe(201);
  const listed = (await list(alice, '?limit=1')).body.orders[0];
  expect(listed?.refundedAmount).toEqual({ currency: 'USD', value: '100' });
  expect(listed?.refunds).toEqual([expect.objectContaining({ status: 'SUCCEEDED', initiator: 'operator' })]);
});

test.each([
  ['?limit=0', 'INVALID_REQUEST', /limit must be from 1 to 50/],
  ['?limit=51', 'INVALID_REQUEST', /limit must be from 1 to 50/],
  ['?limit=two', 'INVALID_REQUEST', /limit/],
  ['?cursor=bm9wZQ', 'INVALID_CURSOR', /nextCursor/],
])('GET /api/orders%s is refused with a message naming it', async (query, code, message) => {
  const answer = await list(alice, query);
  expect(answer.status).toBe(400);
  expect(answer.body).toEqual({ error: { code, message: expect.stringMatching(message) } });
});

describe('the operator listing', () => {
  const adminList = (query = '') => admin<AdminOrderPage>(stack, 'GET', `/admin/orders${query}`);

  test("every customer's orders, with whose each is and its events, filtered by status", async () => {
    const all = await adminList('?limit=50');
    expect(all.status).toBe(200);
    expect(all.body.orders).toHaveLength(7);
    const customers = new Set(all.body.orders.map((o) => o.customerId));
    expect(customers.size).toBe(2);
    const paid = await adminList('?status=PAID');
    expect(paid.body.orders.map((o) => o.id)).toEqual([aliceOrders[5]]);
    expect(paid.body.orders[0]?.events.map((e) => [e.from, e.to, e.cause])).toEqual([
      ['CREATED', 'PAYING', 'payment-started'],
      ['PAYING', 'PAID', 'notification'],
      ['PAID', 'PAID', 'refund'],
    ]);
    expect((await adminList('?status=created,paid')).body.orders).toHaveLength(7);
    const paged = await adminList('?status=CREATED&limit=5');
    expect(paged.body.orders).toHaveLength(5);
    expect((await adminList(`?status=CREATED&limit=5&cursor=${paged.body.nextCursor}`)).body.orders).toHaveLength(1);
  });

  test('filtered by creation date (from inclusive, to exclusive)', async () => {
    const all = (await adminList('?limit=50')).body.orders;
    const newest = all[0]!;
    const oldest = all[all.length - 1]!;
    expect((await adminList(`?from=${encodeURIComponent(newest.createdAt)}`)).body.orders.map((o) => o.id)).toEqual(
      all.filter((o) => o.createdAt >= newest.createdAt).map((o) => o.id),
    );
    expect((await adminList(`?to=${encodeURIComponent(oldest.createdAt)}`)).body.orders).toEqual([]);
    expect((await adminList('?from=2000-01-01&to=2999-01-01')).body.orders).toHaveLength(7);
  });

  test.each([
    ['?status=SHIPPED', /status "SHIPPED" is not an order status/],
    ['?from=yesterday', /from must be an ISO 8601 date/],
    ['?to=2026-13-45', /to must be an ISO 8601 date/],
    ['?from=2026-02-30', /from must be an ISO 8601 date/],
  ])('GET /admin/orders%s is a 400 naming the field', async (query, message) => {
    const answer = await adminList(query);
    expect(answer.status).toBe(400);
    expect(answer.body).toEqual({ error: { code: 'INVALID_REQUEST', message: expect.stringMatching(message) } });
  });
});
