// POST /api/orders with an Idempotency-Key over real HTTP: a retry (the answer to the first was lost) gets the same
// order, 20 concurrent creates with one key make one order, the same key with another cart is refused, and keys
// belong to their customer.
import { IDEMPOTENCY_KEY_HEADER, type Order as OrderJson } from '@minipay/contract';
import { call, readDatabase, signIn, startStack, type Stack } from './helpers';

let stack: Stack;
let token: string;
beforeAll(async () => {
  stack = await startStack();
  ({ token } = await signIn(stack));
});
afterAll(() => stack.close());

const CART = [{ productId: 'coffee-beans', quantity: 2 }];

function create(key: string | undefined, items: unknown = CART, as = token) {
  return call<OrderJson>(stack.merchant.url, 'POST', '/api/orders', {
    token: as,
    body: { items },
    ...(key === undefined ? {} : { headers: { [IDEMPOTENCY_KEY_HEADER]: key } }),
  });
}

/** How many orders hold `key` (of any customer). */
function ordersUnder(key: string): number {
  const row = readDatabase(stack, (db) =>
    db.prepare('SELECT COUNT(*) AS n FROM order_idempotency_keys WHERE idempotency_key = ?').get(key),
  ) as { n: number };
  return row.n;
}

test('a retry with the same key (the first answer was lost) gets the same order, marked as replayed', async () => {
  const first = await create('checkout-retry');
  const retry = await create('checkout-retry');
  expect(first.status).toBe(201);
  expect(retry.status).toBe(201);
  expect(retry.body).toEqual(first.body);
  expect(first.headers.get('idempotent-replayed')).toBeNull();
  expect(retry.headers.get('idempotent-replayed')).toBe('true');
});

test('20 concurrent creates with one key → one order, and all 20 answers name it', async () => {
  const answers = await Promise.all(Array.from({ length: 20 }, () => create('checkout-20')));
  expect(answers.map((answer) => answer.status)).toEqual(Array(20).fill(201));
  expect(new Set(answers.map((answer) => answer.body.id)).size).toBe(1);
  expect(ordersUnder('checkout-20')).toBe(1);
  const id = answers[0]?.body.id;
  const orders = readDatabase(stack, (db) => db.prepare('SELECT COUNT(*) AS n FROM orders').get()) as { n: number };
  const keys = readDatabase(stack, (db) => db.prepare('SELECT COUNT(*) AS n FROM order_idempotency_keys').get()) as {
    n: number;
  };
  // Every order of this file so far was created under a key, so orders and keys are as many.
  expect(orders.n).toBe(keys.n);
  expect(id).toMatch(/^ord_/);
});

test('the same key with another cart → 422 IDEMPOTENCY_KEY_REUSED, and no second order', async () => {
  const first = await create('checkout-changed');
  const changed = await create('checkout-changed', [{ productId: 'coffee-beans', quantity: 3 }]);
  expect(changed.status).toBe(422);
  expect(changed.body).toEqual({
    error: {
      code: 'IDEMPOTENCY_KEY_REUSED',
      message: 'the Idempotency-Key was used for another cart; send a new key for a new checkout',
    },
  });
  expect(ordersUnder('checkout-changed')).toBe(1);
  // The original cart with that key is still its order.
  expect((await create('checkout-changed')).body.id).toBe(first.body.id);
});

test('a key belongs to its customer: another customer with the same key gets an order of their own', async () => {
  const other = await signIn(stack);
  const mine = await create('checkout-shared');
  const theirs = await create('checkout-shared', CART, other.token);
  expect(theirs.status).toBe(201);
  expect(theirs.body.id).not.toBe(mine.body.id);
});

test('without a key every create is a new order (as before)', async () => {
  const a = await create(undefined);
  const b = await create(undefined);
  expect(a.body.id).not.toBe(b.body.id);
});

test.each([
  ['empty', ''],
  ['with a space', 'check out'],
  ['256 characters', 'k'.repeat(256)],
  ['non-ASCII', 'clé'],
])('a key that is %s → 400 INVALID_IDEMPOTENCY_KEY', async (_name, key) => {
  const answer = await call(stack.merchant.url, 'POST', '/api/orders', {
    token,
    body: { items: CART },
    headers: { [IDEMPOTENCY_KEY_HEADER]: key },
  });
  expect(answer.status).toBe(400);
  expect((answer.body as { error: { code: string } }).error.code).toBe('INVALID_IDEMPOTENCY_KEY');
});
