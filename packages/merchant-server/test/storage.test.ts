// The storage contract: every guarantee of `Storage`, run against both implementations (a real SQLite file, a real
// PostgreSQL server). What only one of them has (SQLite's WAL, PostgreSQL's pool) is in sqlite-storage.test.ts and
// postgres-storage.test.ts.
import { MerchantServerError, type Storage } from '../src';
import { MIGRATIONS } from '../src/internal/migrations';
import { transitionOrder } from '../src/order-state';
import { describeEachStorage, newNotification, newOrder, type TestDatabase } from './storages';

async function paying(storage: Storage, id: string, since: number): Promise<void> {
  await storage.createOrder(newOrder(id, { expiresAt: 10_000_000 }));
  expect(
    await storage.transition({
      orderId: id,
      from: ['CREATED'],
      to: 'PAYING',
      at: since,
      cause: 'payment-started',
      set: { paymentRequestId: `pr_${id}`, payingSince: since },
    }),
  ).toBe(true);
}

describeEachStorage('Storage', (factory) => {
  let database: TestDatabase;
  const opened: Storage[] = [];
  const open = async (options?: Parameters<TestDatabase['open']>[0]): Promise<Storage> => {
    const storage = await database.open(options);
    opened.push(storage);
    return storage;
  };
  beforeEach(async () => {
    database = await factory.database();
  });
  afterEach(async () => {
    for (const storage of opened.splice(0)) await storage.close();
  });

  test('creates the schema once and records each migration in schema_migrations', async () => {
    const first = await open();
    const versions = MIGRATIONS.map((m) => ({ version: m.version }));
    expect(await database.query('SELECT version FROM schema_migrations ORDER BY version')).toEqual(versions);
    await first.createOrder(newOrder('o1'));
    await first.close();
    const second = await open();
    expect(await database.query('SELECT version FROM schema_migrations ORDER BY version')).toEqual(versions);
    expect((await second.getOrder('o1'))?.amount).toBe(2900);
  });

  test('instances opening an empty database at the same moment migrate it once, and all of them work', async () => {
    const storages = await Promise.all(Array.from({ length: 4 }, () => open()));
    expect(await database.query('SELECT version FROM schema_migrations ORDER BY version')).toEqual(
      MIGRATIONS.map((m) => ({ version: m.version })),
    );
    await Promise.all(storages.map((storage, i) => storage.createOrder(newOrder(`o${i}`))));
    expect((await storages[0]!.getOrder('o3'))?.id).toBe('o3');
  });

  test('applies a later migration on top of an existing database, once', async () => {
    await (await open()).close();
    const extra = [
      ...MIGRATIONS,
      { version: 99, name: 'test column', statements: ['ALTER TABLE orders ADD COLUMN note TEXT'] },
    ];
    await (await open({ migrations: extra })).close();
    await open({ migrations: extra });
    expect(await database.query('SELECT version FROM schema_migrations WHERE version = 99')).toEqual([{ version: 99 }]);
  });

  test('refuses a database migrated by a newer server', async () => {
    await (await open()).close();
    await database.query('INSERT INTO schema_migrations (version, name, applied_at) VALUES (99, ?, 0)', ['future']);
    const refused = open();
    await expect(refused).rejects.toThrow(MerchantServerError);
    await expect(refused).rejects.toThrow(/schema version 99, newer than this server knows/);
  });

  test('reads an order back with its amounts as integers and its lines in order', async () => {
    const storage = await open();
    await storage.createOrder(
      newOrder('o1', {
        amount: 3550,
        lines: [
          { productId: 'a', name: 'A', quantity: 1, unitPrice: 650, lineTotal: 650 },
          { productId: 'b', name: 'B', quantity: 2, unitPrice: 1450, lineTotal: 2900 },
        ],
      }),
    );
    const order = await storage.getOrder('o1');
    expect(order).toEqual({
      id: 'o1',
      customerId: 'CUST_1',
      status: 'CREATED',
      currency: 'USD',
      amount: 3550,
      lines: [
        { productId: 'a', name: 'A', quantity: 1, unitPrice: 650, lineTotal: 650 },
        { productId: 'b', name: 'B', quantity: 2, unitPrice: 1450, lineTotal: 2900 },
      ],
      paymentRequestId: null,
      paymentId: null,
      paymentUrl: null,
      failCode: null,
      failMessage: null,
      createdAt: 1_000,
      updatedAt: 1_000,
      expiresAt: 901_000,
      payingSince: null,
      lastInquiryAt: null,
      inquiryLeaseUntil: null,
      refundReserved: 0,
      refundedAmount: 0,
      latePaymentAt: null,
    });
    expect(await storage.getOrder('nope')).toBeUndefined();
  });

  test('an order is written whole or not at all (a bad line leaves no order)', async () => {
    const storage = await open();
    const broken = newOrder('o1', {
      lines: [
        { productId: 'a', name: 'A', quantity: 1, unitPrice: 650, lineTotal: 650 },
        { productId: 'b', name: 'B', quantity: 0, unitPrice: 1450, lineTotal: 0 },
      ],
    });
    // (The rejection is matched by its message: better-sqlite3's errors are not `Error`s to jest in every run.)
    await expect(storage.createOrder(broken)).rejects.toHaveProperty('message', expect.stringMatching(/constraint/i));
    expect(await storage.getOrder('o1')).toBeUndefined();
    expect(await database.query('SELECT * FROM order_lines')).toEqual([]);
  });

  test('a transition applies only from an allowed status and records one event with the status it replaced', async () => {
    const storage = await open();
    await storage.createOrder(newOrder('o1'));
    const started = await transitionOrder(storage, 'o1', 'PAYING', {
      at: 2_000,
      cause: 'payment-started',
      set: { paymentRequestId: 'pr1', payingSince: 2_000 },
    });
    expect(started.status).toBe('applied');
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
    expect(await transitionOrder(storage, 'missing', 'PAID', { at: 5_000, cause: 'inquiry' })).toEqual({
      status: 'missing',
    });
    expect(await storage.getOrder('o1')).toMatchObject({
      status: 'PAID',
      paymentRequestId: 'pr1',
      paymentId: 'p1',
      failCode: null,
      payingSince: 2_000,
      updatedAt: 3_000,
    });
    const events = await storage.listEvents('o1');
    expect(events.map((e) => [e.fromStatus, e.toStatus, e.cause, e.at])).toEqual([
      ['CREATED', 'PAYING', 'payment-started', 2_000],
      ['PAYING', 'PAID', 'notification', 3_000],
    ]);
    expect(events[0]!.id).toBeLessThan(events[1]!.id);
    expect(await storage.listEvents()).toEqual(events);
  });

  test('one paymentRequestId per order: of concurrent starts from two instances one wins, and no two orders share one', async () => {
    const a = await open();
    const b = await open();
    await a.createOrder(newOrder('o1'));
    const starts = await Promise.all(
      Array.from({ length: 10 }, (_, k) =>
        (k % 2 === 0 ? a : b).transition({
          orderId: 'o1',
          from: ['CREATED'],
          to: 'PAYING',
          at: 3_000,
          cause: 'payment-started',
          set: { paymentRequestId: `pr_${k}`, payingSince: 3_000 },
        }),
      ),
    );
    expect(starts.filter(Boolean)).toHaveLength(1);
    expect((await a.getOrder('o1'))?.paymentRequestId).toBe(`pr_${starts.indexOf(true)}`);
    expect(await a.listEvents('o1')).toHaveLength(1);
    await a.createOrder(newOrder('o2'));
    await expect(
      a.transition({
        orderId: 'o2',
        from: ['CREATED'],
        to: 'PAYING',
        at: 3_000,
        cause: 'payment-started',
        set: { paymentRequestId: `pr_${starts.indexOf(true)}` },
      }),
    ).rejects.toHaveProperty('message', expect.stringMatching(/unique/i));
    expect((await a.getOrder('o2'))?.status).toBe('CREATED');
    expect(await a.listEvents('o2')).toEqual([]);
  });

  test('createOrderOnce: 20 concurrent creates with one key from two instances → one order, each told which', async () => {
    const a = await open();
    const b = await open();
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, k) =>
        (k % 2 === 0 ? a : b).createOrderOnce(newOrder(`o${k}`, { createdAt: 1_000 + k }), {
          key: 'checkout-1',
          requestHash: 'h'.repeat(64),
        }),
      ),
    );
    expect(results.filter((result) => result.created)).toHaveLength(1);
    const winner = results.find((result) => result.created)?.order.id;
    for (const result of results) {
      expect(result.order.id).toBe(winner);
      expect(result.order.lines).toHaveLength(1);
      expect(result.requestHash).toBe('h'.repeat(64));
    }
    expect(await database.query('SELECT COUNT(*) AS n FROM orders')).toEqual([{ n: 1 }]);
    expect(await database.query('SELECT COUNT(*) AS n FROM order_lines')).toEqual([{ n: 1 }]);
    // The database itself refuses a second row for the key, whoever writes it.
    await expect(
      database.query(
        'INSERT INTO order_idempotency_keys (customer_id, idempotency_key, request_hash, order_id, created_at) VALUES (?, ?, ?, ?, ?)',
        ['CUST_1', 'checkout-1', 'h'.repeat(64), winner, 5_000],
      ),
    ).rejects.toHaveProperty('message', expect.stringMatching(/unique|duplicate/i));
  });

  test('createOrderOnce: a key is per customer, and a retry returns the first request hash for the route to compare', async () => {
    const storage = await open();
    const first = await storage.createOrderOnce(newOrder('o1'), { key: 'k', requestHash: 'a'.repeat(64) });
    const again = await storage.createOrderOnce(newOrder('o2'), { key: 'k', requestHash: 'b'.repeat(64) });
    const other = await storage.createOrderOnce(newOrder('o3', { customerId: 'CUST_2' }), {
      key: 'k',
      requestHash: 'b'.repeat(64),
    });
    expect([first.created, first.order.id, first.requestHash]).toEqual([true, 'o1', 'a'.repeat(64)]);
    expect([again.created, again.order.id, again.requestHash]).toEqual([false, 'o1', 'a'.repeat(64)]);
    expect([other.created, other.order.id]).toEqual([true, 'o3']);
    expect(await storage.getOrder('o2')).toBeUndefined();
  });

  test('createOrderOnce: a bad line leaves neither the order nor its key (the key can be used again)', async () => {
    const storage = await open();
    const broken = newOrder('o1', {
      lines: [{ productId: 'b', name: 'B', quantity: 0, unitPrice: 1450, lineTotal: 0 }],
    });
    await expect(storage.createOrderOnce(broken, { key: 'k', requestHash: 'a'.repeat(64) })).rejects.toHaveProperty(
      'message',
      expect.stringMatching(/check/i),
    );
    expect(await database.query('SELECT COUNT(*) AS n FROM order_idempotency_keys')).toEqual([{ n: 0 }]);
    const retried = await storage.createOrderOnce(newOrder('o2'), { key: 'k', requestHash: 'a'.repeat(64) });
    expect([retried.created, retried.order.id]).toEqual([true, 'o2']);
  });

  test('a payment id, once stored, is never replaced by another', async () => {
    const storage = await open();
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
    expect((await storage.findOrderByPayment({ paymentId: 'p9', paymentRequestId: 'pr1' }))?.id).toBe('o1');
    expect(await storage.findOrderByPayment({ paymentId: 'p9' })).toBeUndefined();
  });

  test('two instances racing to finish the same orders: exactly one transition per order', async () => {
    const a = await open();
    const b = await open();
    for (let i = 0; i < 30; i++) await paying(a, `o${i}`, 2_000);
    const results = await Promise.all(
      Array.from({ length: 30 }, (_, i) => [
        transitionOrder(a, `o${i}`, 'PAID', { at: 3_000, cause: 'notification' }),
        transitionOrder(b, `o${i}`, 'FAILED', { at: 3_000, cause: 'inquiry', set: { failCode: 'X' } }),
        transitionOrder(b, `o${i}`, 'PAID', { at: 3_000, cause: 'inquiry' }),
        transitionOrder(a, `o${i}`, 'PAID', { at: 3_000, cause: 'notification' }),
      ]).flat(),
    );
    expect(results.filter((r) => r.status === 'applied')).toHaveLength(30);
    const finals = await database.query<{ n: number }>(
      "SELECT order_id, COUNT(*) AS n FROM order_events WHERE from_status = 'PAYING' GROUP BY order_id",
    );
    expect(finals).toHaveLength(30);
    expect(finals.every((row) => Number(row.n) === 1)).toBe(true);
  });

  test('lists the CREATED orders past their expiry, soonest first', async () => {
    const storage = await open();
    await storage.createOrder(newOrder('fresh', { expiresAt: 10_000 }));
    await storage.createOrder(newOrder('late', { expiresAt: 5_000 }));
    await storage.createOrder(newOrder('later', { expiresAt: 4_000 }));
    await paying(storage, 'paying', 1_000);
    expect((await storage.listCreatedExpired(6_000, 10)).map((o) => o.id)).toEqual(['later', 'late']);
    expect((await storage.listCreatedExpired(6_000, 1)).map((o) => o.id)).toEqual(['later']);
    expect((await storage.listCreatedExpired(6_000, 10))[0]?.lines).toHaveLength(1);
  });

  describe('the inquiry lease', () => {
    const claim = (holder: string, at: number, extra: { notAskedSince?: number } = {}) => ({
      holder,
      at,
      leaseUntil: at + 1_000,
      ...extra,
    });

    test('one holder at a time; released, it is rate-limited; a forced claim skips the rate limit, not the lease', async () => {
      const storage = await open();
      await paying(storage, 'o1', 1_000);
      const first = await storage.claimInquiry('o1', claim('a', 10_000, { notAskedSince: 5_000 }));
      expect(first.claimed).toBe(true);
      expect(first.order).toMatchObject({ id: 'o1', lastInquiryAt: 10_000, inquiryLeaseUntil: 11_000 });
      // Held: nobody else, rate limit or not.
      const second = await storage.claimInquiry('o1', claim('b', 10_500));
      expect(second).toEqual({ claimed: false, order: expect.objectContaining({ inquiryLeaseUntil: 11_000 }) });
      // Only its holder releases it.
      await storage.releaseInquiry('o1', 'b');
      expect((await storage.getOrder('o1'))?.inquiryLeaseUntil).toBe(11_000);
      await storage.releaseInquiry('o1', 'a');
      expect((await storage.getOrder('o1'))?.inquiryLeaseUntil).toBeNull();
      // Released, but asked at 10 000: a claim that wants "not asked since 9 000" is refused, a forced one is granted.
      expect((await storage.claimInquiry('o1', claim('c', 10_600, { notAskedSince: 9_000 }))).claimed).toBe(false);
      expect((await storage.claimInquiry('o1', claim('c', 10_600, { notAskedSince: 10_000 }))).claimed).toBe(true);
      await storage.releaseInquiry('o1', 'c');
      expect((await storage.claimInquiry('o1', claim('d', 10_700))).claimed).toBe(true);
    });

    test('a lease whose holder never released it ends at its deadline', async () => {
      const storage = await open();
      await paying(storage, 'o1', 1_000);
      expect((await storage.claimInquiry('o1', claim('dead', 10_000))).claimed).toBe(true);
      expect((await storage.claimInquiry('o1', claim('b', 10_999))).claimed).toBe(false);
      expect((await storage.claimInquiry('o1', claim('b', 11_000))).claimed).toBe(true);
      // The dead holder coming back cannot release the new holder's lease.
      await storage.releaseInquiry('o1', 'dead');
      expect((await storage.getOrder('o1'))?.inquiryLeaseUntil).toBe(12_000);
    });

    test('only a PAYING order can be claimed', async () => {
      const storage = await open();
      await storage.createOrder(newOrder('created'));
      expect(await storage.claimInquiry('created', claim('a', 10_000))).toEqual({
        claimed: false,
        order: expect.objectContaining({ status: 'CREATED', inquiryLeaseUntil: null }),
      });
      expect(await storage.claimInquiry('missing', claim('a', 10_000))).toEqual({ claimed: false, order: undefined });
    });

    test('instances claiming one order at the same moment: exactly one gets it', async () => {
      const storages = [await open(), await open()];
      for (let i = 0; i < 10; i++) await paying(storages[0]!, `o${i}`, 1_000);
      const claims = await Promise.all(
        Array.from({ length: 10 }, (_, i) =>
          Array.from({ length: 6 }, (_, k) =>
            storages[k % 2]!.claimInquiry(`o${i}`, claim(`h${k}`, 10_000, { notAskedSince: 9_000 })),
          ),
        ).flat(),
      );
      expect(claims.filter((c) => c.claimed)).toHaveLength(10);
      const holders = await database.query<{ id: string; inquiry_holder: string }>(
        'SELECT id, inquiry_holder FROM orders ORDER BY id',
      );
      expect(holders.every((row) => row.inquiry_holder !== null)).toBe(true);
    });

    test('the stale claim takes the least recently asked stale order nobody holds, then the oldest', async () => {
      const storage = await open();
      await paying(storage, 'old', 1_000);
      await paying(storage, 'older', 500);
      await paying(storage, 'asked', 100);
      await paying(storage, 'fresh', 9_000);
      await storage.claimInquiry('asked', claim('x', 2_000));
      await storage.releaseInquiry('asked', 'x');
      const next = (holder: string, at: number) =>
        storage.claimStaleInquiry(5_000, { ...claim(holder, at), notAskedSince: at - 1_000 });
      expect((await next('a', 10_000))?.id).toBe('older');
      expect((await next('b', 10_000))?.id).toBe('old');
      // Then the one asked at 2 000; "fresh" is not stale; then nothing (all three now held).
      const third = await next('c', 10_000);
      expect(third).toMatchObject({ id: 'asked', lastInquiryAt: 10_000, inquiryLeaseUntil: 11_000 });
      expect(third?.lines).toHaveLength(1);
      expect(await next('d', 10_000)).toBeUndefined();
      // Released, but asked at 10 000: not again before 11 000 (the rate limit). Then, all three asked at 10 000 and
      // their leases over, the oldest first.
      await storage.releaseInquiry('older', 'a');
      expect(await next('e', 10_500)).toBeUndefined();
      expect((await next('e', 11_000))?.id).toBe('asked');
    });

    test('stale claims made at the same moment by several instances take different orders', async () => {
      const storages = [await open(), await open(), await open()];
      for (let i = 0; i < 12; i++) await paying(storages[0]!, `o${String(i).padStart(2, '0')}`, 1_000 + i);
      const claimed = await Promise.all(
        Array.from({ length: 18 }, (_, k) =>
          storages[k % 3]!.claimStaleInquiry(5_000, { ...claim(`h${k}`, 10_000), notAskedSince: 9_000 }),
        ),
      );
      const ids = claimed.flatMap((order) => (order === undefined ? [] : [order.id]));
      expect(ids).toHaveLength(12);
      expect(new Set(ids).size).toBe(12);
    });
  });

  test('keeps the wallet tokens of a customer, replacing them on a new sign-in', async () => {
    const storage = await open();
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
    expect(await storage.getCustomerToken('nobody')).toBeUndefined();
  });

  test('records each notification received, as it travelled', async () => {
    const storage = await open();
    const body = '{"paymentId":"p1","paymentResult":{"resultStatus":"S"}}';
    await storage.recordNotification({
      orderId: null,
      paymentId: 'p1',
      paymentRequestId: null,
      resultStatus: 'S',
      resultCode: 'SUCCESS',
      outcome: 'unknown-payment',
      body,
      at: 7,
    });
    expect(await database.query('SELECT payment_id, outcome, body, received_at FROM notifications')).toEqual([
      { payment_id: 'p1', outcome: 'unknown-payment', body, received_at: 7 },
    ]);
  });

  test('a transition records the notification that reported it in the same transaction, only when it applies', async () => {
    const storage = await open();
    await paying(storage, 'o1', 2_000);
    const reported = (at: number) => newNotification('o1', { body: `{"paymentId":"pay_o1","at":${at}}`, at });
    const paid = (at: number) =>
      storage.transition({
        orderId: 'o1',
        from: ['PAYING'],
        to: 'PAID',
        at,
        cause: 'notification',
        appliedNotification: reported(at),
      });
    expect(await paid(3_000)).toBe(true);
    // A duplicate does not apply: nothing of it is recorded here (its caller records it as a duplicate).
    expect(await paid(4_000)).toBe(false);
    expect(await database.query('SELECT order_id, payment_id, outcome, body, received_at FROM notifications')).toEqual([
      { order_id: 'o1', payment_id: 'pay_o1', outcome: 'applied', body: reported(3_000).body, received_at: 3_000 },
    ]);
  });

  test('a notification record that cannot be written undoes the transition it came with', async () => {
    const storage = await open();
    await paying(storage, 'o1', 2_000);
    // Another connection makes every insert into notifications fail, as a full disk or a broken table would.
    if (factory.name === 'SqliteStorage') {
      await database.query(
        "CREATE TRIGGER refuse_notifications BEFORE INSERT ON notifications BEGIN SELECT RAISE(ABORT, 'refused by the test'); END",
      );
    } else {
      await database.query(
        "CREATE FUNCTION refuse_notifications() RETURNS trigger AS $$ BEGIN RAISE EXCEPTION 'refused by the test'; END $$ LANGUAGE plpgsql",
      );
      await database.query(
        'CREATE TRIGGER refuse_notifications BEFORE INSERT ON notifications FOR EACH ROW EXECUTE FUNCTION refuse_notifications()',
      );
    }
    await expect(
      storage.transition({
        orderId: 'o1',
        from: ['PAYING'],
        to: 'PAID',
        at: 3_000,
        cause: 'notification',
        appliedNotification: newNotification('o1'),
      }),
    ).rejects.toHaveProperty('message', expect.stringMatching(/refused by the test/));
    expect((await storage.getOrder('o1'))?.status).toBe('PAYING');
    expect(await database.query("SELECT to_status FROM order_events WHERE to_status = 'PAID'")).toEqual([]);
    expect(await database.query('SELECT event FROM outbox')).toEqual([]);
    expect(await database.query('SELECT outcome FROM notifications')).toEqual([]);
  });

  test('lists orders newest first (created_at, then id), filtered by customer, status and time, paged by cursor', async () => {
    const storage = await open();
    // Two orders share a creation time: the id breaks the tie, so no order is skipped or repeated across pages.
    const made: Array<[string, string, number]> = [
      ['o1', 'CUST_1', 1_000],
      ['o2', 'CUST_2', 2_000],
      ['o3', 'CUST_1', 3_000],
      ['o4a', 'CUST_1', 4_000],
      ['o4b', 'CUST_1', 4_000],
      ['o5', 'CUST_1', 5_000],
    ];
    for (const [id, customerId, createdAt] of made) await storage.createOrder(newOrder(id, { customerId, createdAt }));
    await storage.createOrder(newOrder('o6', { createdAt: 6_000 }));
    await storage.transition({ orderId: 'o6', from: ['CREATED'], to: 'PAYING', at: 6_500, cause: 'payment-started' });
    const ids = (orders: Array<{ id: string }>) => orders.map((order) => order.id);
    expect(ids(await storage.listOrders({ customerId: 'CUST_1', limit: 10 }))).toEqual([
      'o6',
      'o5',
      'o4b',
      'o4a',
      'o3',
      'o1',
    ]);
    const first = await storage.listOrders({ customerId: 'CUST_1', limit: 3 });
    expect(ids(first)).toEqual(['o6', 'o5', 'o4b']);
    const last = first[first.length - 1]!;
    const second = await storage.listOrders({ customerId: 'CUST_1', limit: 3, after: last });
    expect(ids(second)).toEqual(['o4a', 'o3', 'o1']);
    expect(ids(await storage.listOrders({ customerId: 'CUST_2', limit: 10 }))).toEqual(['o2']);
    expect(ids(await storage.listOrders({ statuses: ['PAYING'], limit: 10 }))).toEqual(['o6']);
    expect(ids(await storage.listOrders({ createdFrom: 2_000, createdBefore: 4_000, limit: 10 }))).toEqual([
      'o3',
      'o2',
    ]);
    expect((await storage.listOrders({ customerId: 'CUST_1', limit: 1 }))[0]!.lines).toHaveLength(1);
  });

  describe('refunds', () => {
    async function paid(storage: Storage, id: string, amount = 2900): Promise<void> {
      await storage.createOrder(newOrder(id, { amount, expiresAt: 10_000_000 }));
      await storage.transition({
        orderId: id,
        from: ['CREATED'],
        to: 'PAYING',
        at: 2_000,
        cause: 'payment-started',
        set: { paymentRequestId: `pr_${id}`, payingSince: 2_000 },
      });
      await storage.transition({
        orderId: id,
        from: ['PAYING'],
        to: 'PAID',
        at: 3_000,
        cause: 'notification',
        set: { paymentId: `p_${id}` },
      });
    }
    const ask = (refundRequestId: string, amount: number, orderId = 'o1') => ({
      refundRequestId,
      orderId,
      amount,
      reason: null,
      initiator: 'operator' as const,
      at: 5_000,
    });

    test('a refund is stored PENDING with its amount reserved before anything is sent, carrying the payment reference', async () => {
      const storage = await open();
      await paid(storage, 'o1');
      const reserved = await storage.reserveRefund({ ...ask('rf1', 1000), reason: 'damaged' });
      expect(reserved.status).toBe('reserved');
      expect(await storage.getRefund('rf1')).toEqual({
        refundRequestId: 'rf1',
        orderId: 'o1',
        currency: 'USD',
        amount: 1000,
        status: 'PENDING',
        reason: 'damaged',
        initiator: 'operator',
        paymentId: 'p_o1',
        paymentRequestId: 'pr_o1',
        refundId: null,
        failCode: null,
        failMessage: null,
        createdAt: 5_000,
        updatedAt: 5_000,
        lastAttemptAt: 5_000,
        attempts: 1,
      });
      expect(await storage.getOrder('o1')).toMatchObject({ status: 'PAID', refundReserved: 1000, refundedAmount: 0 });
    });

    test('full, partial and repeated refunds up to the paid amount, and not a unit more', async () => {
      const storage = await open();
      await paid(storage, 'o1', 2900);
      expect((await storage.reserveRefund(ask('rf1', 900))).status).toBe('reserved');
      expect((await storage.reserveRefund(ask('rf2', 1000))).status).toBe('reserved');
      expect(await storage.reserveRefund(ask('rf3', 1001))).toMatchObject({ status: 'exceeds', refundable: 1000 });
      expect((await storage.reserveRefund(ask('rf4', 1000))).status).toBe('reserved');
      expect(await storage.reserveRefund(ask('rf5', 1))).toMatchObject({ status: 'exceeds', refundable: 0 });
      // The same refundRequestId again is the refund already there, not a second one.
      expect(await storage.reserveRefund(ask('rf1', 900))).toMatchObject({
        status: 'duplicate',
        refund: { refundRequestId: 'rf1', amount: 900 },
      });
      expect((await storage.listRefunds('o1')).map((r) => [r.refundRequestId, r.amount])).toEqual([
        ['rf1', 900],
        ['rf2', 1000],
        ['rf4', 1000],
      ]);
      expect((await storage.getOrder('o1'))?.refundReserved).toBe(2900);
    });

    test('only an order money was received for can be refunded: PAID, or closed with a late payment', async () => {
      const storage = await open();
      await storage.createOrder(newOrder('o1'));
      expect(await storage.reserveRefund(ask('rf1', 100))).toMatchObject({ status: 'not-refundable' });
      expect(await storage.reserveRefund(ask('rf1', 100, 'nope'))).toEqual({ status: 'missing' });
      // A PAYING order is not closed: a late payment cannot be recorded on it.
      await paying(storage, 'o2', 2_000);
      expect(await storage.recordLatePayment('o2', 3_000)).toBe(false);
      await storage.transition({ orderId: 'o2', from: ['PAYING'], to: 'CANCELLED', at: 3_000, cause: 'notification' });
      expect(await storage.reserveRefund(ask('rf2', 100, 'o2'))).toMatchObject({ status: 'not-refundable' });
      expect(await storage.recordLatePayment('o2', 4_000)).toBe(true);
      expect(await storage.recordLatePayment('o2', 9_000)).toBe(true);
      expect((await storage.getOrder('o2'))?.latePaymentAt).toBe(4_000);
      expect((await storage.reserveRefund(ask('rf2', 2900, 'o2'))).status).toBe('reserved');
      expect((await storage.getOrder('o2'))?.status).toBe('CANCELLED');
    });

    test('settling: SUCCEEDED adds to the refunded amount, FAILED frees the reservation, each once, with an event', async () => {
      const storage = await open();
      await paid(storage, 'o1', 2900);
      await storage.reserveRefund(ask('rf1', 1000));
      await storage.reserveRefund(ask('rf2', 1900));
      expect(await storage.settleRefund('rf1', { status: 'SUCCEEDED', refundId: 'W1', at: 6_000 })).toBe(true);
      expect(await storage.settleRefund('rf1', { status: 'FAILED', failCode: 'X', failMessage: 'x', at: 6_500 })).toBe(
        false,
      );
      expect(
        await storage.settleRefund('rf2', { status: 'FAILED', failCode: 'PROCESS_FAIL', failMessage: 'no', at: 7_000 }),
      ).toBe(true);
      expect(await storage.settleRefund('nope', { status: 'SUCCEEDED', refundId: null, at: 7_000 })).toBe(false);
      expect(await storage.getOrder('o1')).toMatchObject({
        status: 'PAID',
        refundReserved: 1000,
        refundedAmount: 1000,
      });
      expect(await storage.getRefund('rf1')).toMatchObject({ status: 'SUCCEEDED', refundId: 'W1', updatedAt: 6_000 });
      expect(await storage.getRefund('rf2')).toMatchObject({
        status: 'FAILED',
        failCode: 'PROCESS_FAIL',
        failMessage: 'no',
      });
      const refundEvents = (await storage.listEvents('o1')).filter((event) => event.cause === 'refund');
      expect(refundEvents.map((e) => [e.fromStatus, e.toStatus, e.detail, e.at])).toEqual([
        ['PAID', 'PAID', 'refund rf1 SUCCEEDED 1000', 6_000],
        ['PAID', 'PAID', 'refund rf2 FAILED 1900 PROCESS_FAIL', 7_000],
      ]);
      // What the failed one freed can be refunded again.
      expect((await storage.reserveRefund(ask('rf3', 1900))).status).toBe('reserved');
    });

    test('20 concurrent partial refunds from two instances never add up to more than was paid', async () => {
      const a = await open();
      const b = await open();
      await paid(a, 'o1', 2900);
      // 20 × 300 = 6000 asked for 2900 paid: exactly 9 fit (2700), whichever instance each comes through.
      const results = await Promise.all(
        Array.from({ length: 20 }, (_, k) => (k % 2 === 0 ? a : b).reserveRefund(ask(`rf${k}`, 300))),
      );
      expect(results.filter((r) => r.status === 'reserved')).toHaveLength(9);
      expect(results.filter((r) => r.status === 'exceeds')).toHaveLength(11);
      const rows = await database.query<{ total: number; count: number }>(
        'SELECT SUM(amount) AS total, COUNT(*) AS count FROM refunds WHERE order_id = ?',
        ['o1'],
      );
      // (PostgreSQL's SUM of a BIGINT is a NUMERIC, which arrives as text.)
      expect([Number(rows[0]!.total), Number(rows[0]!.count)]).toEqual([2700, 9]);
      expect((await b.getOrder('o1'))?.refundReserved).toBe(2700);
    });

    test('the database itself refuses an order whose refunds would exceed its amount (the CHECK constraint)', async () => {
      const storage = await open();
      await paid(storage, 'o1', 2900);
      await expect(
        database.query('UPDATE orders SET refund_reserved = 2901 WHERE id = ?', ['o1']),
      ).rejects.toHaveProperty('message', expect.stringMatching(/constraint/i));
      await expect(
        database.query('UPDATE orders SET refunded_amount = 10, refund_reserved = 5 WHERE id = ?', ['o1']),
      ).rejects.toHaveProperty('message', expect.stringMatching(/constraint/i));
    });

    test('a PENDING refund is claimed for a retry by one caller at a time, the least recently tried first', async () => {
      const a = await open();
      const b = await open();
      await paid(a, 'o1', 2900);
      await a.reserveRefund({ ...ask('rf1', 100), at: 5_000 });
      await a.reserveRefund({ ...ask('rf2', 100), at: 4_000 });
      await a.reserveRefund({ ...ask('rf3', 100), at: 9_000 });
      await a.settleRefund('rf3', { status: 'SUCCEEDED', refundId: null, at: 9_500 });
      const claims = await Promise.all([a.claimPendingRefund(6_000, 10_000), b.claimPendingRefund(6_000, 10_000)]);
      expect(claims.map((c) => c?.refundRequestId).sort()).toEqual(['rf1', 'rf2']);
      expect(claims.every((c) => c?.lastAttemptAt === 10_000 && c.attempts === 2)).toBe(true);
      // Both were just tried: nothing is due until they are older than the retry interval again.
      expect(await a.claimPendingRefund(6_000, 10_001)).toBeUndefined();
      expect((await a.claimPendingRefund(10_000, 11_000))?.refundRequestId).toBe('rf2');
    });
  });

  test('the outbox: one order.paid per PAID transition and one order.refunded per refund that succeeded, each leased to one caller, delivered once', async () => {
    const a = await open();
    const b = await open();
    await paying(a, 'o1', 2_000);
    await paying(a, 'o2', 2_000);
    await a.transition({ orderId: 'o2', from: ['PAYING'], to: 'FAILED', at: 3_000, cause: 'notification' });
    // The same PAID from two instances at once: one transition, one event.
    await Promise.all(
      [a, b].map((storage) =>
        storage.transition({ orderId: 'o1', from: ['PAYING'], to: 'PAID', at: 3_000, cause: 'notification' }),
      ),
    );
    await a.reserveRefund({
      refundRequestId: 'rf1',
      orderId: 'o1',
      amount: 100,
      reason: null,
      initiator: 'operator',
      at: 4_000,
    });
    await a.reserveRefund({
      refundRequestId: 'rf2',
      orderId: 'o1',
      amount: 100,
      reason: null,
      initiator: 'operator',
      at: 4_000,
    });
    await a.settleRefund('rf1', { status: 'SUCCEEDED', refundId: 'W1', at: 5_000 });
    await a.settleRefund('rf2', { status: 'FAILED', failCode: 'X', failMessage: 'x', at: 5_000 });
    expect((await a.listOutbox()).map((e) => [e.orderId, e.event, e.refundRequestId, e.deliveredAt])).toEqual([
      ['o1', 'order.paid', null, null],
      ['o1', 'order.refunded', 'rf1', null],
    ]);
    const [first, second] = await Promise.all([a.claimOutbox(6_000, 66_000, 'ha'), b.claimOutbox(6_000, 66_000, 'hb')]);
    expect([first?.event, second?.event].sort()).toEqual(['order.paid', 'order.refunded']);
    expect(await a.claimOutbox(6_000, 66_000, 'hc')).toBeUndefined();
    const paidEvent = first?.event === 'order.paid' ? first : second;
    const paidHolder = first?.event === 'order.paid' ? 'ha' : 'hb';
    const refundedEvent = paidEvent === first ? second : first;
    const refundedHolder = paidHolder === 'ha' ? 'hb' : 'ha';
    // Only the holder finishes it; a failure makes it due again later; once delivered it is never claimed again.
    await a.finishOutbox(paidEvent!.id, 'someone-else', { delivered: true, at: 7_000 });
    await a.finishOutbox(paidEvent!.id, paidHolder, { delivered: true, at: 7_000 });
    await a.finishOutbox(refundedEvent!.id, refundedHolder, {
      delivered: false,
      error: 'warehouse down',
      nextAttemptAt: 9_000,
    });
    expect(await a.claimOutbox(8_000, 68_000, 'hd')).toBeUndefined();
    const retried = await b.claimOutbox(9_000, 69_000, 'he');
    expect(retried).toMatchObject({ event: 'order.refunded', attempts: 2, lastError: 'warehouse down' });
    // A lease that ran out (its holder died) is free again.
    expect(await a.claimOutbox(70_000, 130_000, 'hf')).toMatchObject({ id: retried!.id, attempts: 3 });
    expect((await a.listOutbox()).map((e) => e.deliveredAt)).toEqual([7_000, null]);
  });

  test('close() is idempotent', async () => {
    const storage = await open();
    await storage.close();
    await storage.close();
  });

  test(`is ${factory.name}`, async () => {
    expect((await open()).constructor.name).toBe(factory.name);
  });
});
