// What only the SQLite storage has (the contract both storages keep is storage.test.ts): its file's journal and lock
// settings, and integers stored as SQLite integers.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqliteStorage } from '../src';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'minipay-sqlite-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

test('runs in WAL mode flushed by the group commit, foreign keys and a 5 s busy timeout', async () => {
  const storage = SqliteStorage.open(join(dir, 'nested', 'merchant.db'));
  try {
    expect(storage.db.pragma('journal_mode', { simple: true })).toBe('wal');
    // NORMAL: SQLite does not fsync at each commit; WalFlush does, off the event loop (wal-flush.test.ts).
    expect(storage.db.pragma('synchronous', { simple: true })).toBe(1);
    expect(storage.db.pragma('foreign_keys', { simple: true })).toBe(1);
    expect(storage.db.pragma('busy_timeout', { simple: true })).toBe(5000);
  } finally {
    await storage.close();
  }
  const patient = SqliteStorage.open(join(dir, 'nested', 'merchant.db'), { busyTimeoutMs: 250 });
  try {
    expect(patient.db.pragma('busy_timeout', { simple: true })).toBe(250);
  } finally {
    await patient.close();
  }
});

test('stores amounts and times as SQLite integers, never as text or reals', async () => {
  const storage = SqliteStorage.open(join(dir, 'merchant.db'));
  try {
    await storage.createOrder({
      id: 'o1',
      customerId: 'C',
      currency: 'USD',
      amount: 3550,
      lines: [{ productId: 'a', name: 'A', quantity: 1, unitPrice: 3550, lineTotal: 3550 }],
      createdAt: 1_700_000_000_000,
      expiresAt: 1_700_000_900_000,
    });
    expect(
      storage.db.prepare("SELECT typeof(amount) AS a, typeof(created_at) AS c FROM orders WHERE id = 'o1'").get(),
    ).toEqual({ a: 'integer', c: 'integer' });
  } finally {
    await storage.close();
  }
});

test('a file that cannot be created is a STORAGE_ERROR naming the path', () => {
  const blocked = join(dir, 'file');
  require('node:fs').writeFileSync(blocked, 'not a folder');
  expect(() => SqliteStorage.open(join(blocked, 'merchant.db'))).toThrow(
    expect.objectContaining({ code: 'STORAGE_ERROR', message: expect.stringContaining(blocked) }),
  );
});
