// The HTTP surface: catalog, validation with messages that name the field, limits, sessions and ownership,
// prices the client cannot influence, and errors that never leak internals.
import Database from 'better-sqlite3';
import type { Order as OrderJson } from '@minipay/contract';
import type { RunningMerchantServer } from '../src';
import { DEMO_CATALOG } from '../src/catalog';
import { createSessionToken } from '../src/session';
import { call, createOrder, getOrder, logCollector, signIn, startStack, type Stack } from './helpers';

let stack: Stack;
let token: string;
beforeAll(async () => {
  stack = await startStack();
  ({ token } = await signIn(stack));
});
afterAll(() => stack.close());

describe('GET /api/products', () => {
  test('lists the seeded catalog with prices as strings in minor units and inline images', async () => {
    const answer = await call<{ products: Array<Record<string, any>> }>(stack.merchant.url, 'GET', '/api/products');
    expect(answer.status).toBe(200);
    expect(answer.body.products).toHaveLength(DEMO_CATALOG.list().length);
    for (const product of answer.body.products) {
      expect(Object.keys(product).sort()).toEqual(['description', 'id', 'imageUrl', 'name', 'price']);
      expect(product.price).toEqual({ currency: 'USD', value: expect.stringMatching(/^[1-9]\d*$/) });
      expect(product.imageUrl).toMatch(/^data:image\/svg\+xml;base64,/);
    }
  });
});

describe('POST /api/orders', () => {
  test('prices the order from the catalog: line totals and the amount', async () => {
    const order = await createOrder(stack.merchant, token, [
      { productId: 'green-tea', quantity: 3 },
      { productId: 'canvas-tote', quantity: 1 },
    ]);
    expect(order).toEqual({
      id: expect.stringMatching(/^ord_/),
      status: 'CREATED',
      amount: { currency: 'USD', value: String(3 * 890 + 1800) },
      items: [
        {
          productId: 'green-tea',
          name: 'Sencha green tea',
          quantity: 3,
          unitPrice: { currency: 'USD', value: '890' },
          lineTotal: { currency: 'USD', value: '2670' },
        },
        {
          productId: 'canvas-tote',
          name: 'Canvas tote bag',
          quantity: 1,
          unitPrice: { currency: 'USD', value: '1800' },
          lineTotal: { currency: 'USD', value: '1800' },
        },
      ],
      payee: { name: 'Minipay Demo Shop' },
      createdAt: expect.any(String),
      updatedAt: expect.any(String),
      expiresAt: expect.any(String),
    });
    expect(await getOrder(stack.merchant, token, order.id)).toEqual(order);
  });

  test('ignores every price the client sends (per line, per unit, for the total): the catalog price wins', async () => {
    const tampered = await call<OrderJson>(stack.merchant.url, 'POST', '/api/orders', {
      token,
      body: {
        items: [
          {
            productId: 'coffee-beans',
            quantity: 2,
            price: { currency: 'USD', value: '1' },
            unitPrice: 1,
            lineTotal: '2',
            name: 'Free beans',
          },
        ],
        amount: { currency: 'USD', value: '1' },
        currency: 'XXX',
        status: 'PAID',
      },
    });
    expect(tampered.status).toBe(201);
    expect(tampered.body.status).toBe('CREATED');
    expect(tampered.body.amount).toEqual({ currency: 'USD', value: '2900' });
    expect(tampered.body.items[0]).toMatchObject({
      name: 'Single-origin coffee beans',
      unitPrice: { currency: 'USD', value: '1450' },
      lineTotal: { currency: 'USD', value: '2900' },
    });
  });

  const line = { productId: 'coffee-beans', quantity: 1 };
  test.each([
    ['no items', 'items is required', {}],
    ['items not a list', 'items must be an array', { items: 'coffee' }],
    ['no lines', 'items must NOT have fewer than 1 items', { items: [] }],
    ['21 lines', 'items must NOT have more than 20 items', { items: Array(21).fill(line) }],
    ['quantity 0', 'items[1].quantity must be >= 1', { items: [line, { productId: 'coffee-beans', quantity: 0 }] }],
    ['quantity 100', 'items[0].quantity must be <= 99', { items: [{ productId: 'coffee-beans', quantity: 100 }] }],
    [
      'a fractional quantity',
      'items[0].quantity must be an integer',
      { items: [{ productId: 'coffee-beans', quantity: 1.5 }] },
    ],
    [
      'a quantity as a string',
      'items[0].quantity must be an integer',
      { items: [{ productId: 'coffee-beans', quantity: '2' }] },
    ],
    ['a missing quantity', 'items[0].quantity is required', { items: [{ productId: 'coffee-beans' }] }],
    ['a missing productId', 'items[0].productId is required', { items: [{ quantity: 1 }] }],
    [
      'an empty productId',
      'items[0].productId must NOT have fewer than 1 characters',
      { items: [{ productId: '', quantity: 1 }] },
    ],
    ['a line that is not an object', 'items[0] must be an object', { items: [7] }],
    ['a body that is a list', 'the request body must be an object', [line]],
  ])('%s → 400 INVALID_REQUEST "%s"', async (_name, message, body) => {
    const answer = await call(stack.merchant.url, 'POST', '/api/orders', { token, body });
    expect(answer.status).toBe(400);
    expect(answer.body).toEqual({ error: { code: 'INVALID_REQUEST', message } });
  });

  test('an unknown product → 400 UNKNOWN_PRODUCT naming the line and the product', async () => {
    const answer = await call(stack.merchant.url, 'POST', '/api/orders', {
      token,
      body: { items: [line, { productId: 'unicorn', quantity: 1 }] },
    });
    expect(answer.status).toBe(400);
    expect(answer.body).toEqual({
      error: { code: 'UNKNOWN_PRODUCT', message: 'items[1].productId "unicorn" is not in the catalog' },
    });
  });

  test.each([
    ['malformed JSON', 400, 'INVALID_JSON', '{"items": [', 'application/json'],
    ['an empty body', 400, 'INVALID_REQUEST', '', 'application/json'],
    [
      'a prototype-poisoning body (refused by the parser)',
      400,
      'INVALID_JSON',
      '{"items":[],"__proto__":{"admin":true}}',
      'application/json',
    ],
    ['a form body', 415, 'UNSUPPORTED_MEDIA_TYPE', 'items=1', 'application/x-www-form-urlencoded'],
    [
      'a JSON text sent as text/plain',
      415,
      'UNSUPPORTED_MEDIA_TYPE',
      '{"items":[{"productId":"coffee-beans","quantity":1}]}',
      'text/plain',
    ],
  ])('%s → %d %s', async (_name, status, code, raw, contentType) => {
    const answer = await call(stack.merchant.url, 'POST', '/api/orders', {
      token,
      raw,
      headers: { 'content-type': contentType },
    });
    expect(answer.status).toBe(status);
    expect(answer.body.error.code).toBe(code);
    expect(answer.text).not.toMatch(/at .*\.(ts|js):\d+/);
  });

  test('a body over 64 KiB → 413 PAYLOAD_TOO_LARGE', async () => {
    const answer = await call(stack.merchant.url, 'POST', '/api/orders', {
      token,
      body: { items: [line], padding: 'x'.repeat(64 * 1024) },
    });
    expect(answer.status).toBe(413);
    expect(answer.body).toEqual({
      error: { code: 'PAYLOAD_TOO_LARGE', message: 'the request body is larger than 65536 bytes' },
    });
  });
});

describe('sessions and ownership', () => {
  test.each([
    ['no Authorization header', 'UNAUTHENTICATED', undefined],
    ['a token that is not one', 'UNAUTHENTICATED', 'garbage'],
    [
      'a token signed with another secret',
      'UNAUTHENTICATED',
      createSessionToken({ customerId: 'c', issuedAt: Date.now(), expiresAt: Date.now() + 60_000 }, 'x'.repeat(40)),
    ],
  ])('%s → 401 %s', async (_name, code, bearer) => {
    const answer = await call(stack.merchant.url, 'POST', '/api/orders', {
      ...(bearer === undefined ? {} : { token: bearer }),
      body: { items: [{ productId: 'coffee-beans', quantity: 1 }] },
    });
    expect(answer.status).toBe(401);
    expect(answer.body.error.code).toBe(code);
  });

  test('an expired session → 401 SESSION_EXPIRED', async () => {
    const expired = createSessionToken(
      { customerId: 'c', issuedAt: Date.now() - 120_000, expiresAt: Date.now() - 60_000 },
      stack.dev.sessionSecret,
    );
    const answer = await call(stack.merchant.url, 'GET', '/api/orders/ord_x', { token: expired });
    expect(answer.status).toBe(401);
    expect(answer.body.error.code).toBe('SESSION_EXPIRED');
  });

  test('a session expires after sessionTtlMs: the same token works, then gets SESSION_EXPIRED when the clock passes it', async () => {
    let offset = 0;
    const merchant: RunningMerchantServer = await stack.startMerchant({
      sessionTtlMs: 60_000,
      now: () => new Date(Date.now() + offset),
    });
    try {
      const session = await signIn(stack, undefined, merchant);
      const order = await createOrder(merchant, session.token);
      offset = 61_000;
      const answer = await call(merchant.url, 'GET', `/api/orders/${order.id}`, { token: session.token });
      expect(answer.status).toBe(401);
      expect(answer.body.error.code).toBe('SESSION_EXPIRED');
    } finally {
      await merchant.close();
    }
  });

  test("another customer's order is 404 for reading and for paying, exactly like an order that does not exist", async () => {
    const order = await createOrder(stack.merchant, token);
    const other = await signIn(stack);
    const read = await call(stack.merchant.url, 'GET', `/api/orders/${order.id}`, { token: other.token });
    expect(read.status).toBe(404);
    expect(read.body).toEqual({ error: { code: 'ORDER_NOT_FOUND', message: `no order ${order.id}` } });
    const pay = await call(stack.merchant.url, 'POST', `/api/orders/${order.id}/payment`, { token: other.token });
    expect(pay.status).toBe(404);
    const missing = await call(stack.merchant.url, 'GET', '/api/orders/ord_doesnotexist', { token: other.token });
    expect(missing.body).toEqual({ error: { code: 'ORDER_NOT_FOUND', message: 'no order ord_doesnotexist' } });
    expect((await getOrder(stack.merchant, token, order.id)).status).toBe('CREATED');
  });

  test('an order id with characters no id has → 400 naming params.id', async () => {
    const answer = await call(stack.merchant.url, 'GET', '/api/orders/a%20b', { token });
    expect(answer.status).toBe(400);
    expect(answer.body.error.message).toMatch(/^params\.id /);
  });
});

describe('errors', () => {
  test.each([
    ['a malformed %-escape in an order id', 400, 'INVALID_URL', '/api/orders/%E0%A4%A'],
    ['a lone % in the path', 400, 'INVALID_URL', '/%'],
    ['an order id of 10 000 characters', 414, 'URI_TOO_LONG', `/api/orders/${'x'.repeat(10_000)}`],
  ])("%s → %d %s in the API error shape, not Fastify's", async (_name, status, code, path) => {
    const answer = await call(stack.merchant.url, 'GET', path, { token });
    expect(answer.status).toBe(status);
    expect(answer.body).toEqual({ error: { code, message: expect.any(String) } });
  });

  test('an unknown route is a JSON 404', async () => {
    const answer = await call(stack.merchant.url, 'GET', '/api/nothing-here');
    expect(answer.status).toBe(404);
    expect(answer.body).toEqual({ error: { code: 'NOT_FOUND', message: 'no route GET /api/nothing-here' } });
  });

  test('a broken database gives 500 INTERNAL_ERROR with a request id, and no stack trace or SQL', async () => {
    const broken = await startStack();
    try {
      const session = await signIn(broken);
      const order = await createOrder(broken.merchant, session.token);
      const db = new Database(broken.databasePath);
      db.exec('PRAGMA foreign_keys = OFF; DROP TABLE order_lines');
      db.close();
      const answer = await call(broken.merchant.url, 'GET', `/api/orders/${order.id}`, { token: session.token });
      expect(answer.status).toBe(500);
      expect(answer.body).toEqual({
        error: {
          code: 'INTERNAL_ERROR',
          message: expect.stringMatching(/^internal error \(request .+\); see the server log$/),
        },
      });
      expect(answer.text).not.toMatch(/order_lines|SQLITE|\.ts:|\.js:/);
    } finally {
      await broken.close();
    }
  });

  test('an unhandled error is logged at error level with its class and message, and no stack trace (that is debug level only)', async () => {
    const logs = logCollector();
    const broken = await startStack({ merchant: { log: { level: 'info', stream: logs.stream } } });
    try {
      const session = await signIn(broken);
      const order = await createOrder(broken.merchant, session.token);
      const db = new Database(broken.databasePath);
      db.exec('PRAGMA foreign_keys = OFF; DROP TABLE order_lines');
      db.close();
      expect((await call(broken.merchant.url, 'GET', `/api/orders/${order.id}`, { token: session.token })).status).toBe(
        500,
      );
    } finally {
      await broken.close();
    }
    const errors = logs.entries().filter((entry) => entry.level === 50);
    expect(errors).toEqual([
      expect.objectContaining({
        msg: 'unhandled error',
        err: { name: 'SqliteError', code: expect.any(String), message: 'no such table: order_lines' },
      }),
    ]);
    expect(logs.lines.join('\n')).not.toMatch(/stack|\.ts:\d+/);
  });
});
