// The SQLite storage's group commit (src/internal/wal-flush.ts): every method returns only once the commits it made
// or read are flushed, concurrent commits share one flush, and a flush that fails stops the storage from reporting
// anything durable. On a real file in a temp folder; the flush itself is the real fdatasync.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqliteStorage } from '../src';
import { WalFlush } from '../src/internal/wal-flush';
import { newNotification, newOrder } from './storages';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'minipay-wal-flush-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

/** The storage's flush, read through TypeScript's bracket access to a private member. */
function flushOf(storage: SqliteStorage): WalFlush {
  const flush = storage['flush'];
  if (flush === undefined) throw new Error('this storage has no WalFlush');
  return flush;
}

test('a write returns once its commit is flushed, and a read waits for the flush of what it read', async () => {
  const storage = SqliteStorage.open(join(dir, 'merchant.db'));
  try {
    const flush = flushOf(storage);
    await storage.createOrder(newOrder('o1'));
    expect(flush.counts).toEqual({ commits: 1, flushed: 1, flushes: 1 });

    // The read runs while the write's flush is still in libuv's pool: it sees the row, so it waits for that flush.
    const writing = storage.createOrder(newOrder('o2'));
    const read = await storage.getOrder('o2');
    expect(read?.id).toBe('o2');
    expect(flush.counts.flushed).toBe(flush.counts.commits);
    await writing;

    // Nothing pending: a read costs no flush.
    const before = flush.counts.flushes;
    await storage.getOrder('o1');
    expect(flush.counts.flushes).toBe(before);
    // A conditional write that changed nothing is a read: no flush either.
    expect(await storage.setPaymentDetails('nope', { paymentId: 'p', paymentUrl: null }, 1)).toBe(false);
    expect(flush.counts.flushes).toBe(before);
  } finally {
    await storage.close();
  }
});

test('each write on the way of a payment returns after a flush of its own commit', async () => {
  // Create, PAYING, payment details, PAID with the notification's record, a duplicate's record: each must reach the
  // disk before the server answers or calls the wallet, so each must count its commit (a write that forgot would cost
  // no flush).
  const storage = SqliteStorage.open(join(dir, 'merchant.db'));
  try {
    const flush = flushOf(storage);
    const notification = newNotification('o1', { paymentId: 'pay_1', paymentRequestId: 'pr_1' });
    const writes: Array<[string, () => Promise<unknown>]> = [
      ['createOrder', () => storage.createOrder(newOrder('o1'))],
      [
        'transition to PAYING',
        () =>
          storage.transition({
            orderId: 'o1',
            from: ['CREATED'],
            to: 'PAYING',
            at: 2_000,
            cause: 'payment-started',
            set: { paymentRequestId: 'pr_1', payingSince: 2_000 },
          }),
      ],
      ['setPaymentDetails', () => storage.setPaymentDetails('o1', { paymentId: 'pay_1', paymentUrl: null }, 2_100)],
      [
        'transition to PAID, with the notification',
        () =>
          storage.transition({
            orderId: 'o1',
            from: ['PAYING'],
            to: 'PAID',
            at: 3_000,
            cause: 'notification',
            appliedNotification: notification,
          }),
      ],
      [
        "a duplicate notification's record",
        () => storage.recordNotification({ ...notification, outcome: 'duplicate', at: 3_100 }),
      ],
    ];
    for (const [name, write] of writes) {
      const before = flush.counts.flushes;
      await write();
      expect({ name, flushed: flush.counts.flushes > before }).toEqual({ name, flushed: true });
      expect(flush.counts.flushed).toBe(flush.counts.commits);
    }
    expect((await storage.getOrder('o1'))?.status).toBe('PAID');
  } finally {
    await storage.close();
  }
});

test('commits waiting at the same time share a flush: 50 concurrent orders, far fewer flushes', async () => {
  const storage = SqliteStorage.open(join(dir, 'merchant.db'));
  try {
    const flush = flushOf(storage);
    await Promise.all(Array.from({ length: 50 }, (_, i) => storage.createOrder(newOrder(`o${i}`))));
    const { commits, flushed, flushes } = flush.counts;
    expect(commits).toBe(50);
    expect(flushed).toBe(50);
    // The 50 commits run one after another on the event loop before the first flush ends: one flush for the first,
    // one for the rest (a commit made while a flush runs may have missed it, so it waits for the next one).
    expect(flushes).toBeLessThanOrEqual(2);
  } finally {
    await storage.close();
  }
});

test('a commit made while a flush runs waits for the next flush, not the running one', async () => {
  const path = join(dir, 'merchant.db');
  const storage = SqliteStorage.open(path);
  try {
    await storage.createOrder(newOrder('o0'));
    const flush = new WalFlush(`${path}-wal`);
    try {
      flush.committed();
      const first = flush.durable();
      flush.committed();
      const second = flush.durable();
      await first;
      expect(flush.counts.flushes).toBe(1);
      await second;
      expect(flush.counts).toEqual({ commits: 2, flushed: 2, flushes: 2 });
    } finally {
      await flush.close();
    }
  } finally {
    await storage.close();
  }
});

test('a flush that fails is a STORAGE_ERROR naming the file, and every later call fails too', async () => {
  const missing = join(dir, 'gone.db-wal');
  const flush = new WalFlush(missing);
  try {
    flush.committed();
    await expect(flush.durable()).rejects.toMatchObject({
      code: 'STORAGE_ERROR',
      message: expect.stringContaining(missing),
    });
    // Even once the file is there and a flush would succeed, the earlier commit is still not known on disk: no call
    // may say otherwise.
    writeFileSync(missing, '');
    await expect(flush.durable()).rejects.toMatchObject({ code: 'STORAGE_ERROR' });
    flush.committed();
    await expect(flush.durable()).rejects.toMatchObject({ code: 'STORAGE_ERROR' });
  } finally {
    await flush.close();
  }
});

test('in memory there is no WAL: SQLite runs with its own full fsync setting and no group commit', async () => {
  const storage = SqliteStorage.open(':memory:');
  try {
    expect(storage['flush']).toBeUndefined();
    expect(storage.db.pragma('synchronous', { simple: true })).toBe(2);
    await storage.createOrder(newOrder('o1'));
    expect((await storage.getOrder('o1'))?.id).toBe('o1');
  } finally {
    await storage.close();
  }
});
