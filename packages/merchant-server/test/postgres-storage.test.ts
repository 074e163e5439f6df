// What only the PostgreSQL storage has (the contract both storages keep is storage.test.ts), against a real server:
// the URL and connection errors (never showing the password), the migration lock, the statement timeout, the pool's
// size and its draining on close, and the start-up errors of a server given MINIPAY_DATABASE_URL.
import pg from 'pg';
import { startPostgres, type PostgresCluster } from '@minipay/testing';
import { loadConfig, MerchantServerError, PostgresStorage, startMerchantServer } from '../src';
import { runCli } from '../src/internal/cli-main';
import { MIGRATION_LOCK_KEY } from '../src/postgres-storage';
import { eventually, startStack, type Stack } from './helpers';

let cluster: PostgresCluster;
let count = 0;
beforeAll(async () => {
  cluster = await startPostgres();
}, 60_000);
afterAll(() => cluster?.stop());

const freshDatabase = () => cluster.createDatabase(`pg_only_${++count}`);

/** A client of its own on `url`, as another process (or a person with psql) would have. */
async function withClient<T>(url: string, work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

const connectionsOf = (url: string, applicationName: string) =>
  withClient(url, async (client) =>
    Number(
      (await client.query('SELECT COUNT(*) AS n FROM pg_stat_activity WHERE application_name = $1', [applicationName]))
        .rows[0].n,
    ),
  );
/**
 * Waits until the server shows no connection of `applicationName`: a backend leaves pg_stat_activity a moment after
 * its client hung up, so a count read right after `close()` may still see one (it did, once in a whole run). A pool
 * that is never closed still fails, at the deadline.
 */
const connectionsClosed = (url: string, applicationName: string) =>
  eventually(
    async () => ((await connectionsOf(url, applicationName)) === 0 ? true : undefined),
    `every connection of ${applicationName} to be closed`,
  );

describe('PostgresStorage.open', () => {
  test.each([
    ['not a URL', 'user@s3cret:db/orders', /is not a URL/],
    ['another scheme', 'mysql://user:s3cret@db/orders', /must be a postgres:\/\/.*got a mysql: URL/],
    ['a scheme-less URL read as a scheme', 'user:s3cret@db/orders', /must be a postgres:\/\/.*got a user: URL/],
    ['no database', 'postgres://user:s3cret@db:5432/', /names no database/],
  ])('a malformed URL (%s) is CONFIG_INVALID and never shows the password', async (_case, url, message) => {
    const failure = await PostgresStorage.open(url).catch((error: unknown) => error as MerchantServerError);
    expect(failure).toBeInstanceOf(MerchantServerError);
    expect(failure).toMatchObject({ code: 'CONFIG_INVALID', message: expect.stringMatching(message) });
    expect((failure as Error).message).not.toContain('s3cret');
  });

  test('an unreachable server is a STORAGE_ERROR naming the URL without its password', async () => {
    const url = `postgres://minipay:s3cret@127.0.0.1:${cluster.port + 1}/orders`;
    const failure = await PostgresStorage.open(url, { connectTimeoutMs: 2000 }).catch((error: unknown) => error);
    expect(failure).toMatchObject({
      name: 'MerchantServerError',
      code: 'STORAGE_ERROR',
      message: expect.stringMatching(
        new RegExp(
          `^cannot connect to PostgreSQL at postgres://minipay:\\*\\*\\*@127\\.0\\.0\\.1:${cluster.port + 1}/orders: .*ECONNREFUSED`,
        ),
      ),
    });
    expect((failure as Error).message).not.toContain('s3cret');
  });

  test('a database that does not exist is a STORAGE_ERROR that says so', async () => {
    await expect(PostgresStorage.open(`${cluster.url.replace(/\/postgres$/, '')}/nowhere`)).rejects.toMatchObject({
      code: 'STORAGE_ERROR',
      message: expect.stringMatching(/database "nowhere" does not exist/),
    });
  });

  test('migrations wait for the migration lock another instance holds, then run', async () => {
    const url = await freshDatabase();
    let opening: Promise<PostgresStorage> | undefined;
    try {
      await withClient(url, async (holder) => {
        await holder.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK_KEY]);
        let opened = false;
        opening = PostgresStorage.open(url).then((storage) => {
          opened = true;
          return storage;
        });
        await new Promise((resolve) => setTimeout(resolve, 300));
        expect(opened).toBe(false);
        const tables = await holder.query("SELECT 1 FROM pg_tables WHERE tablename = 'orders'");
        expect(tables.rowCount).toBe(0);
        await holder.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK_KEY]);
        await opening;
        expect(opened).toBe(true);
      });
    } finally {
      await (await opening)?.close();
    }
  });

  test('BIGINT columns hold the amounts and times, and are read back as numbers', async () => {
    const url = await freshDatabase();
    const storage = await PostgresStorage.open(url);
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
      const types = await withClient(url, (client) =>
        client.query(
          "SELECT pg_typeof(amount)::text AS a, pg_typeof(created_at)::text AS c FROM orders WHERE id = 'o1'",
        ),
      );
      expect(types.rows).toEqual([{ a: 'bigint', c: 'bigint' }]);
      expect(await storage.getOrder('o1')).toMatchObject({ amount: 3550, createdAt: 1_700_000_000_000 });
    } finally {
      await storage.close();
    }
  });
});

describe('the pool', () => {
  test('a statement that runs past the statement timeout is cancelled by the server, and nothing changes', async () => {
    const url = await freshDatabase();
    const storage = await PostgresStorage.open(url, { statementTimeoutMs: 300 });
    try {
      await storage.createOrder({
        id: 'o1',
        customerId: 'C',
        currency: 'USD',
        amount: 100,
        lines: [{ productId: 'a', name: 'A', quantity: 1, unitPrice: 100, lineTotal: 100 }],
        createdAt: 1,
        expiresAt: 2,
      });
      // Another session holds the order's row lock: the transition waits for it until the timeout ends it.
      await withClient(url, async (other) => {
        await other.query('BEGIN');
        await other.query("SELECT * FROM orders WHERE id = 'o1' FOR UPDATE");
        const started = Date.now();
        await expect(
          storage.transition({ orderId: 'o1', from: ['CREATED'], to: 'EXPIRED', at: 3, cause: 'expiry' }),
        ).rejects.toThrow(/statement timeout/);
        expect(Date.now() - started).toBeGreaterThanOrEqual(250);
        await other.query('ROLLBACK');
      });
      expect((await storage.getOrder('o1'))?.status).toBe('CREATED');
    } finally {
      await storage.close();
    }
  });

  test('keeps at most poolSize connections however many queries run at once', async () => {
    const url = await freshDatabase();
    const storage = await PostgresStorage.open(url, { poolSize: 3, applicationName: 'pool_size_test' });
    try {
      const reads = Array.from({ length: 40 }, (_, i) => storage.getOrder(`o${i}`));
      const during = await connectionsOf(url, 'pool_size_test');
      await Promise.all(reads);
      expect(during).toBeGreaterThan(0);
      expect(during).toBeLessThanOrEqual(3);
      expect(storage.pool.totalCount).toBeLessThanOrEqual(3);
    } finally {
      await storage.close();
    }
  });

  test('close() drains the pool: a query under way finishes, then every connection is closed', async () => {
    const url = await freshDatabase();
    const storage = await PostgresStorage.open(url, { applicationName: 'drain_test' });
    const slow = storage.pool.query('SELECT pg_sleep(0.3) AS slept');
    try {
      await new Promise((resolve) => setTimeout(resolve, 50));
      expect(await connectionsOf(url, 'drain_test')).toBe(1);
    } finally {
      await storage.close();
    }
    await expect(slow).resolves.toMatchObject({ rowCount: 1 });
    await connectionsClosed(url, 'drain_test');
    await expect(storage.getOrder('o1')).rejects.toThrow();
  });
});

describe('a merchant server given MINIPAY_DATABASE_URL', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack({ noMerchant: true });
  });
  afterAll(() => stack.close());

  test('a malformed URL stops loadConfig naming the variable, without the password', () => {
    expect(() => loadConfig({ MINIPAY_DATABASE_URL: 'postgres//minipay:s3cret@db/orders' })).toThrow(
      expect.objectContaining({
        code: 'CONFIG_INVALID',
        message: expect.stringMatching(/^MINIPAY_DATABASE_URL \(option databaseUrl\) is not a URL/),
      }),
    );
    expect(() => loadConfig({ MINIPAY_DATABASE_URL: 'postgres//minipay:s3cret@db/orders' })).not.toThrow(/s3cret/);
  });

  test('an unreachable database stops start-up (exit 1) with a message naming the variable, without the password', async () => {
    const err: string[] = [];
    const code = await runCli(['--port', '0', '--home', stack.home], {
      env: {
        MINIPAY_WALLET_URL: stack.sandbox.url,
        MINIPAY_LOG_LEVEL: 'fatal',
        MINIPAY_DATABASE_URL: `postgres://minipay:s3cret@127.0.0.1:${cluster.port + 1}/orders`,
        MINIPAY_DATABASE_CONNECT_TIMEOUT_MS: '2000',
      },
      cwd: stack.home,
      stdout: () => undefined,
      stderr: (text) => void err.push(text),
      stopSignal: () => new Promise(() => {}),
    });
    expect(code).toBe(1);
    expect(err.join('')).toMatch(
      /^minipay-merchant: MINIPAY_DATABASE_URL \(option databaseUrl\): cannot connect to PostgreSQL at postgres:\/\/minipay:\*\*\*@127\.0\.0\.1:\d+\/orders: .*ECONNREFUSED/,
    );
    expect(err.join('')).not.toContain('s3cret');
  });

  test('a URL and an SQLite path at once are refused: which database would it be?', async () => {
    await expect(
      startMerchantServer({
        home: stack.home,
        port: 0,
        log: false,
        databaseUrl: cluster.url,
        databasePath: '/tmp/merchant.db',
      }),
    ).rejects.toMatchObject({
      code: 'CONFIG_INVALID',
      message: expect.stringContaining('set either MINIPAY_DATABASE_URL (PostgreSQL) or MINIPAY_DATABASE_PATH'),
    });
  });

  test('serves on PostgreSQL, logs where without the password, and closes its pool on close()', async () => {
    const url = await freshDatabase();
    await withClient(url, (client) => client.query("CREATE ROLE shop LOGIN PASSWORD 's3cret' SUPERUSER"));
    const withPassword = url.replace('minipay@', 'shop:s3cret@');
    const lines: string[] = [];
    const server = await startMerchantServer({
      ...loadConfig({ MINIPAY_DATABASE_URL: withPassword, MINIPAY_DATABASE_POOL_SIZE: '2' }),
      home: stack.home,
      port: 0,
      walletUrl: stack.sandbox.url,
      log: { level: 'info', stream: { write: (line) => void lines.push(line) } },
    });
    try {
      const answer = await fetch(`${server.url}/api/products`);
      expect(answer.status).toBe(200);
      expect(await connectionsOf(url, 'minipay-merchant')).toBeGreaterThan(0);
    } finally {
      await server.close();
    }
    await connectionsClosed(url, 'minipay-merchant');
    const listening = lines.map((line) => JSON.parse(line)).find((entry) => entry.msg === 'merchant server listening');
    expect(listening.database).toBe(withPassword.replace('s3cret', '***'));
    expect(lines.join('')).not.toContain('s3cret');
  });
});
