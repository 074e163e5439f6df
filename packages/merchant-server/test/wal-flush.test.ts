// The SQLite storage's group commit (src/internal/wal-flush.ts): every method returns only once the commits it made
// or read are flushed, concurrent commits share one flush, and a flush that fails stops the storage from reporting
// anything durable. On a real file in a temp folder; the flush itself is the real fdatasync.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqliteStorage } from '../src';
import { WalFlush } from '../src/internal/wal-flush';
import { newOrder } from './storages';

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
  await storage.close();
});

test('commits waiting at the same time share a flush: 50 concurrent orders, far fewer flushes', async () => {
  const storage = SqliteStorage.open(join(dir, 'merchant.db'));
  const flush = flushOf(storage);
  await Promise.all(Array.from({ length: 50 }, (_, i) => storage.createOrder(newOrder(`o${i}`))));
  const { commits, flushed, flushes } = flush.counts;
  expect(commits).toBe(50);
  expect(flushed).toBe(50);
  // The 50 commits run one after another on the event loop before the first flush ends: one flush for the first,
  // one for the rest (a commit made while a flush runs may have missed it, so it waits for the next one).
  expect(flushes).toBeLessThanOrEqual(2);
  await storage.close();
});

test('a commit made while a flush runs waits for the next flush, not the running one', async () => {
  const path = join(dir, 'merchant.db');
  const storage = SqliteStorage.open(path);
  await storage.createOrder(newOrder('o0'));
  const flush = new WalFlush(`${path}-wal`);
  flush.committed();
  const first = flush.durable();
  flush.committed();
  const second = flush.durable();
  await first;
  expect(flush.counts.flushes).toBe(1);
  await second;
  expect(flush.counts).toEqual({ commits: 2, flushed: 2, flushes: 2 });
  await flush.close();
  await storage.close();
});

test('a flush that fails is a STORAGE_ERROR naming the file, and every later call fails too', async () => {
  const missing = join(dir, 'gone.db-wal');
  const flush = new WalFlush(missing);
  flush.committed();
  await expect(flush.durable()).rejects.toMatchObject({
    code: 'STORAGE_ERROR',
    message: expect.stringContaining(missing),
  });
  // Nothing new was committed, yet the earlier commit is still not known on disk: no call may say otherwise.
  await expect(flush.durable()).rejects.toMatchObject({ code: 'STORAGE_ERROR' });
  await flush.close();
});

test('in memory there is no WAL: SQLite runs with its own full fsync setting and no group commit', async () => {
  const storage = SqliteStorage.open(':memory:');
  expect(storage['flush']).toBeUndefined();
  expect(storage.db.pragma('synchronous', { simple: true })).toBe(2);
  await storage.createOrder(newOrder('o1'));
  expect((await storage.getOrder('o1'))?.id).toBe('o1');
  await storage.close();
});
