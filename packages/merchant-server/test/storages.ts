// The two storages as the test suites that run against both see them: a factory per implementation that makes a
// fresh, empty database per test, opens the storage on it (as often as a test wants: a second instance is a second
// open), and reads or writes its tables directly over a connection of its own, as another process would.
// PostgreSQL is a real server: one throwaway cluster per test file (`startPostgres`), a new database per test.
import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { startPostgres, type PostgresCluster } from '@minipay/testing';
import { PostgresStorage, SqliteStorage, type NewOrder, type NotificationRecord, type Storage } from '../src';
import type { Migration } from '../src/internal/migrations';
import { numbered } from '../src/internal/portable-sql';

/** As the storage reads them: BIGINT (COUNT(*) included) as a number. */
const INT8_AS_NUMBER = {
  getTypeParser: ((oid: number, format?: string) =>
    oid === 20 ? Number : pg.types.getTypeParser(oid, format as 'text')) as typeof pg.types.getTypeParser,
};

/** An order of one line, ready for `createOrder`; `overrides` change any field. */
export function newOrder(id: string, overrides: Partial<NewOrder> = {}): NewOrder {
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

/** A success notification of order `orderId`'s payment, as received, before its outcome is known. */
export function newNotification(
  orderId: string,
  overrides: Partial<Omit<NotificationRecord, 'outcome'>> = {},
): Omit<NotificationRecord, 'outcome'> {
  return {
    orderId,
    paymentId: `pay_${orderId}`,
    paymentRequestId: `pr_${orderId}`,
    resultStatus: 'S',
    resultCode: 'SUCCESS',
    body: `{"paymentId":"pay_${orderId}"}`,
    at: 3_000,
    ...overrides,
  };
}

export interface StorageOpenOptions {
  migrations?: readonly Migration[];
}

/** One empty database. */
export interface TestDatabase {
  /** Opens the storage on it (migrating it). SQLite's synchronous errors arrive as a rejection too. */
  open(options?: StorageOpenOptions): Promise<Storage>;
  /** Runs one statement on a connection of its own (`?` placeholders) and returns its rows. */
  query<T = Record<string, unknown>>(text: string, parameters?: unknown[]): Promise<T[]>;
  /** What a server's `MINIPAY_DATABASE_URL` / `MINIPAY_DATABASE_PATH` would be. */
  settings: { databaseUrl: string } | { databasePath: string };
}

export interface StorageFactory {
  name: 'SqliteStorage' | 'PostgresStorage';
  /** Once per test file, before anything else (starts the PostgreSQL cluster). */
  setUp(): Promise<void>;
  tearDown(): Promise<void>;
  /** A new, empty database. */
  database(): Promise<TestDatabase>;
}

export function sqliteFactory(): StorageFactory {
  const folders: string[] = [];
  return {
    name: 'SqliteStorage',
    async setUp() {},
    async tearDown() {
      for (const folder of folders.splice(0)) rmSync(folder, { recursive: true, force: true });
    },
    async database() {
      const folder = mkdtempSync(join(tmpdir(), 'minipay-storage-'));
      folders.push(folder);
      const path = join(folder, 'merchant.db');
      return {
        settings: { databasePath: path },
        open: async (options = {}) => SqliteStorage.open(path, options),
        async query<T>(text: string, parameters: unknown[] = []) {
          const db = new Database(path);
          try {
            const statement = db.prepare(text);
            return (statement.reader ? statement.all(...parameters) : (statement.run(...parameters), [])) as T[];
          } finally {
            db.close();
          }
        },
      };
    },
  };
}

export function postgresFactory(): StorageFactory {
  let cluster: PostgresCluster | undefined;
  let count = 0;
  return {
    name: 'PostgresStorage',
    async setUp() {
      cluster = await startPostgres();
    },
    async tearDown() {
      await cluster?.stop();
    },
    async database() {
      if (cluster === undefined) throw new Error('postgresFactory: setUp() first');
      count += 1;
      const url = await cluster.createDatabase(`test_${process.pid}_${count}`);
      return {
        settings: { databaseUrl: url },
        open: (options = {}) => PostgresStorage.open(url, options),
        async query<T>(text: string, parameters: unknown[] = []) {
          const client = new pg.Client({ connectionString: url, types: INT8_AS_NUMBER });
          await client.connect();
          try {
            return (await client.query(numbered(text), parameters)).rows as T[];
          } finally {
            await client.end();
          }
        },
      };
    },
  };
}

/** Both implementations, for `describe.each`. */
export function storageFactories(): StorageFactory[] {
  return [sqliteFactory(), postgresFactory()];
}

/** `describe.each` over both storages, with the factory set up once for the block. */
export function describeEachStorage(title: string, body: (factory: StorageFactory) => void): void {
  describe.each(storageFactories().map((factory) => [factory.name, factory] as const))(
    `${title} (%s)`,
    (_name, factory) => {
      beforeAll(() => factory.setUp(), 60_000);
      afterAll(() => factory.tearDown());
      body(factory);
    },
  );
}
