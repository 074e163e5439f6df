// The real stack for tests: a temp home, the real wallet sandbox and the real merchant server over HTTP on
// 127.0.0.1, a real SQLite file. Nothing here fakes the wallet.
import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ensureDevHome, type DevHome } from '@minipay/dev-home';
import { signRequest, type NotifyPaymentRequest } from '@minipay/openapi';
import { startSandbox, type Outcome, type RunningSandbox, type SandboxOptions } from '@minipay/wallet-sandbox';
import type { Order as OrderJson } from '@minipay/contract';
import {
  startMerchantServer,
  type MerchantServerHooks,
  type MerchantServerOptions,
  type RunningMerchantServer,
} from '../src';

export interface Stack {
  home: string;
  dev: DevHome;
  sandbox: RunningSandbox;
  merchant: RunningMerchantServer;
  databasePath: string;
  /** Starts another merchant server on the same home and database (a restart, or a second instance). */
  startMerchant(options?: Partial<MerchantServerOptions>, hooks?: MerchantServerHooks): Promise<RunningMerchantServer>;
  close(): Promise<void>;
}

export interface StackOptions {
  merchant?: Partial<MerchantServerOptions>;
  sandbox?: Partial<SandboxOptions>;
  /** Do not start a merchant server (the test starts its own). */
  noMerchant?: boolean;
  /** Runs on the empty temp home before anything starts (e.g. to put test keys there). */
  prepareHome?: (home: string) => void;
}

/** The order status each cashier outcome ends in at the merchant (docs/PROTOCOL.md §7's outcome table). */
export const OUTCOME_ORDER_STATUS: Readonly<Record<Outcome, string>> = {
  pay: 'PAID',
  processing: 'PAID',
  'network-error': 'PAID',
  unknown: 'PAID',
  fail: 'FAILED',
  cancel: 'CANCELLED',
};

/** Fast notification retries, so retry behaviour shows up within a test. */
export const RETRY_SCHEDULE = [30, 60, 120];

export async function startStack(options: StackOptions = {}): Promise<Stack> {
  const home = mkdtempSync(join(tmpdir(), 'minipay-merchant-'));
  options.prepareHome?.(home);
  const dev = await ensureDevHome(home);
  const sandbox = await startSandbox({
    home,
    port: 0,
    retrySchedule: RETRY_SCHEDULE,
    log: () => {},
    ...options.sandbox,
  });
  const servers: RunningMerchantServer[] = [];
  const startMerchant = async (
    extra: Partial<MerchantServerOptions> = {},
    hooks: MerchantServerHooks = {},
  ): Promise<RunningMerchantServer> => {
    const server = await startMerchantServer(
      {
        home,
        port: 0,
        walletUrl: sandbox.url,
        log: false,
        // By default the reconciler stays out of the way; tests about it turn it up.
        reconcileAfterMs: 3_600_000,
        ...options.merchant,
        ...extra,
      },
      hooks,
    );
    servers.push(server);
    return server;
  };
  const merchant = options.noMerchant ? (undefined as unknown as RunningMerchantServer) : await startMerchant();
  return {
    home,
    dev,
    sandbox,
    merchant,
    databasePath: join(home, 'merchant.db'),
    startMerchant,
    async close() {
      for (const server of servers) await server.close();
      await sandbox.close();
      rmSync(home, { recursive: true, force: true });
    },
  };
}

export interface Answer<T = unknown> {
  status: number;
  body: T;
  headers: Headers;
  text: string;
}

/** A JSON request; `raw` sends a string as is. */
export async function call<T = any>(
  base: string,
  method: string,
  path: string,
  options: { token?: string; body?: unknown; raw?: string; headers?: Record<string, string> } = {},
): Promise<Answer<T>> {
  const headers: Record<string, string> = { ...options.headers };
  if (options.token !== undefined) headers.authorization = `Bearer ${options.token}`;
  let body: string | undefined;
  if (options.raw !== undefined) body = options.raw;
  else if (options.body !== undefined) body = JSON.stringify(options.body);
  if (body !== undefined && headers['content-type'] === undefined) headers['content-type'] = 'application/json';
  const response = await fetch(`${base}${path}`, { method, headers, body });
  const text = await response.text();
  let parsed: unknown = text;
  try {
    parsed = JSON.parse(text);
  } catch {
    // not JSON: keep the text
  }
  return { status: response.status, body: parsed as T, headers: response.headers, text };
}

/** Signs in a (new or given) sandbox customer and returns the merchant's session token. */
export async function signIn(
  stack: Stack,
  customerId?: string,
  merchant = stack.merchant,
): Promise<{ token: string; customerId: string }> {
  const code = await call<{ authCode: string; customerId: string }>(stack.sandbox.url, 'POST', '/sandbox/auth-codes', {
    body: customerId === undefined ? {} : { customerId },
  });
  expect(code.status).toBe(200);
  const session = await call<{ token: string; customerId: string }>(merchant.url, 'POST', '/api/session', {
    body: { authCode: code.body.authCode },
  });
  expect(session.status).toBe(200);
  return session.body;
}

export async function createOrder(
  merchant: RunningMerchantServer,
  token: string,
  items: Array<Record<string, unknown>> = [{ productId: 'coffee-beans', quantity: 2 }],
): Promise<OrderJson> {
  const created = await call<OrderJson>(merchant.url, 'POST', '/api/orders', { token, body: { items } });
  expect(created.status).toBe(201);
  return created.body;
}

export async function startPayment(
  merchant: RunningMerchantServer,
  token: string,
  orderId: string,
): Promise<{ paymentUrl: string; paymentId: string }> {
  const started = await call<{ paymentUrl: string; paymentId: string }>(
    merchant.url,
    'POST',
    `/api/orders/${orderId}/payment`,
    { token },
  );
  expect(started.status).toBe(200);
  return started.body;
}

export async function complete(
  stack: Stack,
  paymentId: string,
  outcome: string,
): Promise<{ resultCode: string; paymentStatus: string }> {
  const done = await call<{ resultCode: string; paymentStatus: string }>(
    stack.sandbox.url,
    'POST',
    `/sandbox/payments/${paymentId}/complete`,
    {
      body: { outcome },
    },
  );
  expect(done.status).toBe(200);
  return done.body;
}

export async function setFaults(stack: Stack, faults: Record<string, unknown>): Promise<void> {
  const set = await call(stack.sandbox.url, 'POST', '/sandbox/faults', { body: faults });
  expect(set.status).toBe(200);
}

export async function getOrder(merchant: RunningMerchantServer, token: string, orderId: string): Promise<OrderJson> {
  const read = await call<OrderJson>(merchant.url, 'GET', `/api/orders/${orderId}`, { token });
  expect(read.status).toBe(200);
  return read.body;
}

/**
 * Polls until `check` returns a value that is not undefined. Not a timed assertion: the deadline only stops a
 * broken test from hanging, and is far above what a working run needs.
 */
export async function eventually<T>(
  check: () => Promise<T | undefined> | T | undefined,
  what: string,
  deadlineMs = 15_000,
): Promise<T> {
  const started = Date.now();
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() - started > deadlineMs) throw new Error(`gave up waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

/** Waits until the order (read through the API) has a final status. */
export async function finalOrder(merchant: RunningMerchantServer, token: string, orderId: string): Promise<OrderJson> {
  return eventually(async () => {
    const order = await getOrder(merchant, token, orderId);
    return order.status === 'CREATED' || order.status === 'PAYING' ? undefined : order;
  }, `order ${orderId} to reach a final status`);
}

/** The database as another process would see it (read-only, its own connection). */
export function readDatabase<T>(stack: Stack, read: (db: Database.Database) => T): T {
  const db = new Database(stack.databasePath, { readonly: true, fileMustExist: true });
  try {
    return read(db);
  } finally {
    db.close();
  }
}

export interface EventRow {
  from_status: string;
  to_status: string;
  cause: string;
}

export function orderEvents(stack: Stack, orderId: string): EventRow[] {
  return readDatabase(
    stack,
    (db) =>
      db
        .prepare('SELECT from_status, to_status, cause FROM order_events WHERE order_id = ? ORDER BY id')
        .all(orderId) as EventRow[],
  );
}

export function orderRow(
  stack: Stack,
  orderId: string,
): { status: string; payment_request_id: string | null; payment_id: string | null } {
  return readDatabase(stack, (db) => db.prepare('SELECT * FROM orders WHERE id = ?').get(orderId) as never);
}

/** A notification signed with the wallet's key from the temp home, as the wallet would send it (or tampered). */
export function signedNotification(
  stack: Stack,
  notification: NotifyPaymentRequest | Record<string, unknown>,
  options: { privateKey?: string; clientId?: string; now?: Date; path?: string } = {},
): { headers: Record<string, string>; body: string } {
  const body = JSON.stringify(notification);
  const headers = signRequest({
    path: options.path ?? '/notify/payment',
    clientId: options.clientId ?? stack.dev.clientId,
    body,
    privateKey: options.privateKey ?? stack.dev.walletPrivateKey,
    ...(options.now ? { now: options.now } : {}),
  });
  return { headers, body };
}

export async function postNotification(
  merchant: RunningMerchantServer,
  signed: { headers: Record<string, string>; body: string },
): Promise<Answer<any>> {
  return call(merchant.url, 'POST', '/notify/payment', { raw: signed.body, headers: signed.headers });
}

/** A success notification for an order's payment, with the order's own amount unless overridden. */
export function successNotification(
  order: OrderJson,
  payment: { paymentId: string; paymentRequestId: string },
  overrides: Partial<NotifyPaymentRequest> = {},
): NotifyPaymentRequest {
  return {
    paymentId: payment.paymentId,
    paymentRequestId: payment.paymentRequestId,
    paymentResult: { resultStatus: 'S', resultCode: 'SUCCESS', resultMessage: 'success' },
    paymentAmount: order.amount,
    paymentTime: new Date().toISOString().replace('Z', '+00:00'),
    ...overrides,
  };
}

/** Collects the server's JSON log lines (for "logged loudly" and "no secrets in logs"). */
export function logCollector(): {
  lines: string[];
  stream: { write(line: string): void };
  entries(): Array<Record<string, unknown>>;
} {
  const lines: string[] = [];
  return {
    lines,
    stream: { write: (line: string) => void lines.push(line) },
    entries: () => lines.map((line) => JSON.parse(line) as Record<string, unknown>),
  };
}

/** A call to the operator API with the dev home's admin token (or the one given). */
export async function admin<T = any>(
  stack: Stack,
  method: string,
  path: string,
  options: { body?: unknown; merchant?: RunningMerchantServer; token?: string } = {},
): Promise<Answer<T>> {
  return call<T>((options.merchant ?? stack.merchant).url, method, path, {
    token: options.token ?? stack.dev.adminToken,
    ...(options.body === undefined ? {} : { body: options.body }),
  });
}

/** A new order of a signed-in customer, paid at the sandbox and PAID at the merchant. */
export async function paidOrder(
  stack: Stack,
  token: string,
  merchant = stack.merchant,
  items?: Array<Record<string, unknown>>,
): Promise<{ order: OrderJson; paymentId: string }> {
  const order = await createOrder(merchant, token, items);
  const { paymentId } = await startPayment(merchant, token, order.id);
  await complete(stack, paymentId, 'pay');
  expect((await finalOrder(merchant, token, order.id)).status).toBe('PAID');
  return { order, paymentId };
}

/** The sandbox's own record of a payment (its refunds included). */
export async function sandboxPayment(stack: Stack, paymentId: string): Promise<any> {
  const read = await call(stack.sandbox.url, 'GET', `/sandbox/payments/${paymentId}`);
  expect(read.status).toBe(200);
  return read.body;
}
