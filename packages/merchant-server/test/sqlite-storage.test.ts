import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MerchantServerError, SqliteStorage, type NewOrder } from '../src';
import { transitionOrder } from '../src/order-state';

let dir: string;
let path: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'minipay-storage-'));
  path = join(dir, 'merchant.db');
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

function newOrder(id: string, overrides: Partial<NewOrder> = {}): NewOrder {
  return {
    id,
    customerId: 'CUST_1',
    currency: 'USD',
    amount: 2900,
    lines: [{ productId: 'coffee-beans', name: 'Beans', quantity: 2, unitPrice: 1450, lineTotal: 2900 }],
    createdAt: 1_000,
    expiresAt: 901_000,
    ...overrides,
  };
}

describe('SqliteStorage', () => {
  test('creates the schema once, records it in schema_migrations, and runs in WAL mode', async () => {
    const first = SqliteStorage.open(path);
    expect(first.db.prepare('SELECT version FROM schema_migrations').all()).toEqual([{ version: 1 }]);
    expect(first.db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(first.db.pragma('busy_timeout', { simple: true })).toBe(5000);
    await first.createOrder(newOrder('o1'));
    await first.close();
    const second = SqliteStorage.open(path);
    expect(second.db.prepare('SELECT COUNT(*) AS n FROM schema_migrations').get()).toEqual({ n: 1 });
    expect((await second.getOrder('o1'))?.amount).toBe(2900);
    await second.close();
  });

  test('applies a later migration on top of an existing database, once', async () => {
    await SqliteStorage.open(path).close();
    const { MIGRATIONS } = await import('../src/internal/migrations');
    const extra = [
      ...MIGRATIONS,
      { version: 2, name: 'test column', statements: ['ALTER TABLE orders ADD COLUMN note TEXT'] },
    ];
    const storage = SqliteStorage.open(path, { migrations: extra });
    expect(storage.db.prepare('SELECT version FROM schema_migrations ORDER BY version').all()).toEqual([
      { version: 1 },
      { version: 2 },
    ]);
    await storage.close();
    const again = SqliteStorage.open(path, { migrations: extra });
    expect(again.db.prepare('SELECT COUNT(*) AS n FROM schema_migrations').get()).toEqual({ n: 2 });
    await again.close();
  });

  test('refuses a database migrated by a newer server', async () => {
    const storage = SqliteStorage.open(path);
    storage.db.prepare('INSERT INTO schema_migrations (version, name, applied_at) VALUES (99, ?, 0)').run('future');
    await storage.close();
    expect(() => SqliteStorage.open(path)).toThrow(MerchantServerError);
    expect(() => SqliteStorage.open(path)).toThrow(/schema version 99/);
  });

  test('stores amounts as integers and reads an order back with its lines in order', async () => {
    const storage = SqliteStorage.open(path);
    await storage.createOrder(
      newOrder('o1', {
        amount: 3550,
        lines: [
          { productId: 'a', name: 'A', quantity: 1, unitPrice: 650, lineTotal: 650 },
          { productId: 'b', name: 'B', quantity: 2, unitPrice: 1450, lineTotal: 2900 },
        ],
      }),
    );
    expect(storage.db.prepare("SELECT typeof(amount) AS t FROM orders WHERE id = 'o1'").get()).toEqual({
      t: 'integer',
    });
    const order = await storage.getOrder('o1');
    expect(order).toMatchObject({
      id: 'o1',
      status: 'CREATED',
      currency: 'USD',
      amount: 3550,
      paymentRequestId: null,
      paymentId: null,
    });
    expect(order?.lines.map((l) => l.productId)).toEqual(['a', 'b']);
    await storage.close();
  });

  test('a transition applies only from an allowed status and records one event with the status it replaced', async () => {
    const storage = SqliteStorage.open(path);
    await storage.createOrder(newOrder('o1'));
    const paying = await transitionOrder(storage, 'o1', 'PAYING', {
      at: 2_000,
      cause: 'payment-started',
      set: { paymentRequestId: 'pr1', payingSince: 2_000 },
    });
    expect(paying.status).toBe('applied');
    const paid = await transitionOrder(storage, 'o1', 'PAID', {
      at: 3_000,
      cause: 'notification',
      set: { paymentId: 'p1' },
    });
    expect(paid.status).toBe('applied');
    const again = await transitionOrder(storage, 'o1', 'PAID', { at: 4_000, cause: 'inquiry' });
    expect(again.status).toBe('unchanged');
    const contradicting = await transitionOrder(storage, 'o1', 'FAILED', {
      at: 5_000,
      cause: 'notification',
      set: { failCode: 'X' },
    });
    expect(contradicting.status).toBe('conflict');
    const order = await storage.getOrder('o1');
    expect(order).toMatchObject({
      status: 'PAID',
      paymentRequestId: 'pr1',
      paymentId: 'p1',
      failCode: null,
      payingSince: 2_000,
      updatedAt: 3_000,
    });
    const events = await storage.listEvents('o1');
    expect(events.map((e) => [e.fromStatus, e.toStatus, e.cause])).toEqual([
      ['CREATED', 'PAYING', 'payment-started'],
      ['PAYING', 'PAID', 'notification'],
    ]);
    await storage.close();
  });

  test('a payment id, once stored, is never replaced by another', async () => {
    const storage = SqliteStorage.open(path);
    await storage.createOrder(newOrder('o1'));
    expect(await storage.setPaymentDetails('o1', { paymentId: 'p1', paymentUrl: 'http://cashier/1' }, 2_000)).toBe(
      true,
    );
    expect(await storage.setPaymentDetails('o1', { paymentId: 'p1', paymentUrl: null }, 3_000)).toBe(true);
    expect(await storage.setPaymentDetails('o1', { paymentId: 'p2', paymentUrl: 'http://cashier/2' }, 4_000)).toBe(
      false,
    );
    await transitionOrder(storage, 'o1', 'PAYING', {
      at: 5_000,
      cause: 'payment-started',
      set: { paymentRequestId: 'pr1', payingSince: 5_000 },
    });
    await transitionOrder(storage, 'o1', 'PAID', { at: 6_000, cause: 'notification', set: { paymentId: 'p9' } });
    expect(await storage.getOrder('o1')).toMatchObject({
      paymentId: 'p1',
      paymentUrl: 'http://cashier/1',
      status: 'PAID',
    });
    expect((await storage.findOrderByPayment({ paymentId: 'p1' }))?.id).toBe('o1');
    expect((await storage.findOrderByPayment({ paymentRequestId: 'pr1' }))?.id).toBe('o1');
    expect(await storage.findOrderByPayment({ paymentId: 'p9' })).toBeUndefined();
    await storage.close();
  });

  test('two connections to the same file racing to finish one order: exactly one wins', async () => {
    const a = SqliteStorage.open(path);
    const b = SqliteStorage.open(path);
    for (let i = 0; i < 50; i++) {
      await a.createOrder(newOrder(`o${i}`));
      await a.transition({
        orderId: `o${i}`,
        from: ['CREATED'],
        to: 'PAYING',
        at: 2_000,
        cause: 'payment-started',
        set: { paymentRequestId: `pr${i}` },
      });
    }
    const results = await Promise.all(
      Array.from({ length: 50 }, (_, i) => [
        transitionOrder(a, `o${i}`, 'PAID', { at: 3_000, cause: 'notification' }),
        transitionOrder(b, `o${i}`, 'FAILED', { at: 3_000, cause: 'inquiry', set: { failCode: 'X' } }),
        transitionOrder(b, `o${i}`, 'PAID', { at: 3_000, cause: 'inquiry' }),
      ]).flat(),
    );
    expect(results.filter((r) => r.status === 'applied')).toHaveLength(50);
    const finals = a.db
      .prepare("SELECT order_id, COUNT(*) AS n FROM order_events WHERE from_status = 'PAYING' GROUP BY order_id")
      .all() as Array<{ n: number }>;
    expect(finals).toHaveLength(50);
    expect(finals.every((row) => row.n === 1)).toBe(true);
    await a.close();
    await b.close();
  });

  test('lists PAYING orders older than a threshold and CREATED orders past expiry', async () => {
    const storage = SqliteStorage.open(path);
    await storage.createOrder(newOrder('fresh', { expiresAt: 10_000 }));
    await storage.createOrder(newOrder('stale', { expiresAt: 10_000 }));
    await storage.createOrder(newOrder('late', { expiresAt: 5_000 }));
    await storage.transition({
      orderId: 'fresh',
      from: ['CREATED'],
      to: 'PAYING',
      at: 8_000,
      cause: 'payment-started',
      set: { paymentRequestId: 'a', payingSince: 8_000 },
    });
    await storage.transition({
      orderId: 'stale',
      from: ['CREATED'],
      to: 'PAYING',
      at: 2_000,
      cause: 'payment-started',
      set: { paymentRequestId: 'b', payingSince: 2_000 },
    });
    expect((await storage.listPayingSince(5_000, 10)).map((o) => o.id)).toEqual(['stale']);
    expect((await storage.listCreatedExpired(6_000, 10)).map((o) => o.id)).toEqual(['late']);
    await storage.close();
  });

  test('pages through PAYING orders with a cursor (oldest first, ties by id)', async () => {
    const storage = SqliteStorage.open(path);
    for (const [id, since] of [
      ['d', 3_000],
      ['b', 2_000],
      ['c', 2_000],
      ['a', 1_000],
    ] as const) {
      await storage.createOrder(newOrder(id));
      await storage.transition({
        orderId: id,
        from: ['CREATED'],
        to: 'PAYING',
        at: since,
        cause: 'payment-started',
        set: { paymentRequestId: `pr_${id}`, payingSince: since },
      });
    }
    const ids = (orders: Array<{ id: string }>) => orders.map((o) => o.id);
    expect(ids(await storage.listPayingSince(10_000, 2))).toEqual(['a', 'b']);
    expect(ids(await storage.listPayingSince(10_000, 2, { payingSince: 2_000, id: 'b' }))).toEqual(['c', 'd']);
    expect(ids(await storage.listPayingSince(10_000, 2, { payingSince: 3_000, id: 'd' }))).toEqual([]);
    await storage.close();
  });

  test('keeps the wallet tokens of a customer, replacing them on a new sign-in', async () => {
    const storage = SqliteStorage.open(path);
    await storage.saveCustomerToken({
      customerId: 'c',
      accessToken: 't1',
      accessTokenExpiresAt: 1,
      refreshToken: 'r1',
      refreshTokenExpiresAt: 2,
      at: 3,
    });
    await storage.saveCustomerToken({
      customerId: 'c',
      accessToken: 't2',
      accessTokenExpiresAt: null,
      refreshToken: null,
      refreshTokenExpiresAt: null,
      at: 4,
    });
    expect(await storage.getCustomerToken('c')).toEqual({
      customerId: 'c',
      accessToken: 't2',
      accessTokenExpiresAt: null,
      refreshToken: null,
      refreshTokenExpiresAt: null,
      at: 4,
    });
    await storage.close();
  });
});
