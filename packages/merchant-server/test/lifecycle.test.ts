// Starting and stopping: the CLI (as a function of argv and environment) and graceful shutdown.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { OpenApiClient } from '@minipay/openapi';
import { startMerchantServer, type RunningMerchantServer, type WalletApi } from '../src';
import { runCli, USAGE } from '../src/internal/cli-main';
import Database from 'better-sqlite3';
import { call, complete, createOrder, logCollector, signIn, startPayment, startStack, type Stack } from './helpers';

let stack: Stack;
beforeAll(async () => {
  stack = await startStack();
});
afterAll(() => stack.close());

function io(env: Record<string, string | undefined>, stop: Promise<string> = new Promise(() => {})) {
  const out: string[] = [];
  const err: string[] = [];
  let server: RunningMerchantServer | undefined;
  return {
    out,
    err,
    server: () => server,
    io: {
      env,
      cwd: stack.home,
      stdout: (text: string) => void out.push(text),
      stderr: (text: string) => void err.push(text),
      stopSignal: () => stop,
      onListening: (running: RunningMerchantServer) => {
        server = running;
      },
    },
  };
}

describe('minipay-merchant CLI', () => {
  test('--help prints the usage, naming every flag', async () => {
    const run = io({});
    expect(await runCli(['--help'], run.io)).toBe(0);
    expect(run.out.join('')).toBe(`${USAGE}\n`);
    for (const flag of ['--port', '--host', '--home']) expect(USAGE).toContain(flag);
  });

  test('an unknown flag exits 2 with the usage', async () => {
    const run = io({});
    expect(await runCli(['--prot', '8200'], run.io)).toBe(2);
    expect(run.err.join('')).toContain("Unknown option '--prot'");
    expect(run.err.join('')).toContain('Usage: minipay-merchant');
  });

  test('a port in use exits 1 with a message naming MINIPAY_MERCHANT_PORT and --port', async () => {
    const port = new URL(stack.merchant.url).port;
    const run = io({ MINIPAY_LOG_LEVEL: 'fatal' });
    expect(await runCli(['--port', port, '--home', stack.home], run.io)).toBe(1);
    expect(run.err.join('')).toMatch(new RegExp(`port ${port} .*already in use.*MINIPAY_MERCHANT_PORT.*--port`));
  });

  test('production without its settings exits 1 naming them, before listening', async () => {
    const run = io({ MINIPAY_ENV: 'production', MINIPAY_HOME: stack.home });
    expect(await runCli([], run.io)).toBe(1);
    expect(run.err.join('')).toMatch(/MINIPAY_PUBLIC_URL.*required when MINIPAY_ENV=production/);
  });

  test('runs from flags and environment, serves, and stops cleanly on a signal', async () => {
    let stop!: (signal: string) => void;
    const signal = new Promise<string>((resolve) => (stop = resolve));
    const run = io({ MINIPAY_WALLET_URL: stack.sandbox.url, MINIPAY_LOG_LEVEL: 'fatal' }, signal);
    const exit = runCli(['--port', '0', '--host', '127.0.0.1', '--home', stack.home], run.io);
    const server = await (async () => {
      for (;;) {
        const running = run.server();
        if (running) return running;
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
    })();
    expect((await call(server.url, 'GET', '/api/products')).status).toBe(200);
    stop('SIGTERM');
    expect(await exit).toBe(0);
    expect(run.out.join('')).toContain('SIGTERM: finishing requests in flight');
    await expect(fetch(`${server.url}/healthz`)).rejects.toThrow();
  });
});

describe('start-up checks', () => {
  test('a merchant private key that does not parse stops start-up with CONFIG_INVALID, without quoting the key', async () => {
    const bogus = readFileSync(join(__dirname, 'fixtures', 'test-bogus-private-key.pem'), 'utf8');
    const failure = await startMerchantServer({
      home: stack.home,
      port: 0,
      log: false,
      merchantPrivateKey: bogus,
    }).then(
      () => undefined,
      (error: unknown) => error as Error & { code?: string },
    );
    expect(failure?.name).toBe('MerchantServerError');
    expect(failure?.code).toBe('CONFIG_INVALID');
    expect(failure?.message).toMatch(/privateKey/);
    expect(failure?.message).not.toContain('bm90IGEga2V5');
  });
});

/**
 * The real wallet client with one call held at a gate: `entered` resolves when that call arrives, and it goes on
 * to the wallet only after `release()`.
 */
function heldWallet(held: keyof WalletApi): { wallet: WalletApi; entered: Promise<void>; release: () => void } {
  const real = new OpenApiClient({
    baseUrl: stack.sandbox.url,
    clientId: stack.dev.clientId,
    privateKey: stack.dev.merchantPrivateKey,
    walletPublicKey: stack.dev.walletPublicKey,
  });
  let arrived!: () => void;
  const entered = new Promise<void>((resolve) => (arrived = resolve));
  let release!: () => void;
  const gate = new Promise<void>((resolve) => (release = resolve));
  const hold = async <T>(call: () => Promise<T>): Promise<T> => {
    arrived();
    await gate;
    return call();
  };
  const wallet: WalletApi = {
    pay: (request) => (held === 'pay' ? hold(() => real.pay(request)) : real.pay(request)),
    inquiryPayment: (request) =>
      held === 'inquiryPayment' ? hold(() => real.inquiryPayment(request)) : real.inquiryPayment(request),
    applyToken: (request) => (held === 'applyToken' ? hold(() => real.applyToken(request)) : real.applyToken(request)),
    refund: (request) => real.refund(request),
    cancelPayment: (request) => real.cancelPayment(request),
  };
  return { wallet, entered, release };
}

describe('graceful shutdown', () => {
  test('close() lets a request in flight finish, refuses new ones, then closes the database', async () => {
    // The real client, held at the door: the request is in flight while close() starts.
    const { wallet, entered: inside, release } = heldWallet('applyToken');
    // Its own database file, so that "closed" is visible: SQLite removes the WAL file when the last connection closes.
    const databasePath = join(stack.home, 'graceful.db');
    const server = await startMerchantServer(
      { home: stack.home, port: 0, walletUrl: stack.sandbox.url, log: false, databasePath },
      { wallet },
    );
    expect(existsSync(`${databasePath}-wal`)).toBe(true);
    const code = await call<{ authCode: string }>(stack.sandbox.url, 'POST', '/sandbox/auth-codes', { body: {} });
    const inFlight = call(server.url, 'POST', '/api/session', { body: { authCode: code.body.authCode } });
    await inside;

    let closed = false;
    const closing = server.close().then(() => {
      closed = true;
    });
    // A new request is refused: the connection is refused/reset, or (if it raced into a socket still open) 503.
    const refused = await fetch(`${server.url}/healthz`).then(
      (response) => response.status,
      () => 'refused',
    );
    expect([503, 'refused']).toContain(refused);
    expect(closed).toBe(false);

    release();
    const answer = await inFlight;
    expect(answer.status).toBe(200);
    expect(answer.body.token).toEqual(expect.any(String));
    await closing;
    expect(closed).toBe(true);
    expect(existsSync(`${databasePath}-wal`)).toBe(false);
  });

  test('close() waits for an inquiry that outlived its request before closing the database, and the answer is applied', async () => {
    const { wallet, entered: askedPromise, release } = heldWallet('inquiryPayment');
    const logs = logCollector();
    let offset = 0;
    const server = await startMerchantServer(
      {
        home: stack.home,
        port: 0,
        walletUrl: stack.sandbox.url,
        databasePath: join(stack.home, 'inquiry-on-close.db'),
        log: { level: 'info', stream: logs.stream },
        orderTtlMs: 60_000,
        now: () => new Date(Date.now() + offset),
      },
      { wallet },
    );
    const { token } = await signIn(stack, undefined, server);
    const order = await createOrder(server, token);
    const { paymentId } = await startPayment(server, token, order.id);
    // No notification: only the inquiry can tell the server the payment succeeded.
    expect(
      (await call(stack.sandbox.url, 'POST', '/sandbox/faults', { body: { paymentId, neverSend: true } })).status,
    ).toBe(200);
    await complete(stack, paymentId, 'pay');
    // The merchant's clock passes the order's expiry (the wallet's does not): paying again answers 409 at once and
    // leaves an inquiry running in the background.
    offset = 61_000;
    const again = await call(server.url, 'POST', `/api/orders/${order.id}/payment`, { token });
    expect(again.body.error.code).toBe('ORDER_EXPIRED');
    await askedPromise;

    let closed = false;
    const closing = server.close().then(() => {
      closed = true;
    });
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(closed).toBe(false);
    release();
    await closing;
    expect(logs.lines.join('')).not.toContain('inquiry of an expired PAYING order failed');
    const db = new Database(join(stack.home, 'inquiry-on-close.db'), { readonly: true });
    expect(db.prepare('SELECT status FROM orders WHERE id = ?').get(order.id)).toEqual({ status: 'PAID' });
    db.close();
  });
});
