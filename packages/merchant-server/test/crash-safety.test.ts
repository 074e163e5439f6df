// Crash safety: the built merchant server (a SQLite file in a temp home) and the built wallet sandbox CLI (its state
// in the same home's sandbox.db) as real child processes, each behind a balancer of its own so that the URLs the
// other side knows (the sandbox's paymentNotifyUrl, the merchant's wallet URL) stay valid across restarts. Customers
// check out for about 24 s with every cashier outcome and notification fault; meanwhile the merchant is killed with
// SIGKILL three times and started again on the same database, then the sandbox once on the same home. Clients retry
// what a client retries (a dropped connection, a 502/503) and the checkout's Idempotency-Key makes a retried create
// the same order. Once the reconciler has had its time, the merchant's database and the wallet's own records must
// agree: every order that reached PAYING is final with one final transition, in the status its outcome means, and
// the wallet has exactly one payment per such order and none for an order the merchant does not know.
import Database from 'better-sqlite3';
import { randomUUID } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { IDEMPOTENCY_KEY_HEADER, type Order as OrderJson } from '@minipay/contract';
import { ensureDevHome } from '@minipay/dev-home';
import { startBalancer, startNodeProcess, type Balancer, type NodeProcess } from '@minipay/testing';
import { OUTCOME_NAMES, type Outcome } from '@minipay/wallet-sandbox';
import { OUTCOME_ORDER_STATUS, call, eventually, type Answer } from './helpers';

const MERCHANT_BIN = join(__dirname, '..', 'bin', 'minipay-merchant.cjs');
const MERCHANT_BUILT = join(__dirname, '..', 'dist', 'cli.cjs');
const SANDBOX_BIN = join(__dirname, '..', '..', 'wallet-sandbox', 'bin', 'minipay-sandbox.cjs');
const SANDBOX_BUILT = join(__dirname, '..', '..', 'wallet-sandbox', 'dist', 'cli.cjs');

/** How long customers keep checking out, and when (ms into the load) each process is killed. */
const LOAD_MS = 24_000;
const MERCHANT_KILLS_AT = [4_000, 10_000, 16_000];
const SANDBOX_KILL_AT = 20_000;
const CUSTOMERS = 6;
/** Short notification retries, so a notification refused while the merchant is down comes again within seconds. */
const SANDBOX_RETRY_SCHEDULE = '200,400,800,1600,3200';
/** The merchant asks the wallet about an order PAYING for 1.5 s, looking every 0.5 s. */
const MERCHANT_ENV = {
  MINIPAY_RECONCILE_AFTER_MS: '1500',
  MINIPAY_RECONCILE_INTERVAL_MS: '500',
  MINIPAY_WALLET_TIMEOUT_MS: '2000',
  MINIPAY_LOG_LEVEL: 'warn',
  MINIPAY_LOG_FORMAT: 'json',
};

/** The notification faults, given to the payments in turn (not in step with the outcomes, so they mix). */
const FAULTS: ReadonlyArray<Record<string, unknown>> = [
  {},
  { dropFirst: 1 },
  { duplicate: 2 },
  { delaySeconds: 0.5 },
  { neverSend: true },
  { dropFirst: 2, duplicate: 2 },
  { neverSend: true, duplicate: 3 },
];

const FINAL = ['PAID', 'FAILED', 'CANCELLED', 'EXPIRED'];
/** The wallet's payment status and the merchant statuses that agree with it. */
const AGREES: Record<string, string[]> = {
  SUCCESS: ['PAID'],
  FAIL: ['FAILED', 'CANCELLED', 'EXPIRED'],
  CANCELLED: ['FAILED', 'CANCELLED', 'EXPIRED'],
};

interface Checkout {
  outcome: Outcome;
  orderId?: string;
  paymentId?: string;
  completed: boolean;
  /** Its notification is never sent: only an inquiry can settle it. */
  neverSend?: boolean;
}

interface Stack {
  home: string;
  merchantLb: Balancer;
  walletLb: Balancer;
  merchants: NodeProcess[];
  sandboxes: NodeProcess[];
}

let stack: Stack | undefined;
afterAll(async () => {
  if (!stack) return;
  for (const child of [...stack.merchants, ...stack.sandboxes]) await child.stop('SIGKILL');
  await stack.merchantLb.close();
  await stack.walletLb.close();
  rmSync(stack.home, { recursive: true, force: true });
});

async function startMerchant(s: Stack): Promise<void> {
  const child = await startNodeProcess(MERCHANT_BIN, {
    args: ['--port', '0', '--home', s.home],
    env: { ...MERCHANT_ENV, MINIPAY_WALLET_URL: s.walletLb.url, MINIPAY_PUBLIC_URL: s.merchantLb.url },
    ready: /^minipay merchant server on (http:\/\/\S+)/,
  });
  s.merchants.push(child);
  s.merchantLb.setUpstreams([child.ready[1] as string]);
}

async function startSandbox(s: Stack): Promise<void> {
  const child = await startNodeProcess(SANDBOX_BIN, {
    args: ['--port', '0', '--home', s.home, '--retry-schedule', SANDBOX_RETRY_SCHEDULE],
    ready: /^\s+dashboard\s+(http:\/\/\S+)\/$/,
  });
  s.sandboxes.push(child);
  s.walletLb.setUpstreams([child.ready[1] as string]);
}

/** SIGKILL to the process started last of the list, then a new one on the same home (and database). */
async function killAndRestart(s: Stack, which: 'merchant' | 'sandbox'): Promise<void> {
  const list = which === 'merchant' ? s.merchants : s.sandboxes;
  const victim = list[list.length - 1]!;
  expect(await victim.stop('SIGKILL')).toBeNull();
  expect(victim.child.signalCode).toBe('SIGKILL');
  await (which === 'merchant' ? startMerchant(s) : startSandbox(s));
}

/** What the clients met while the processes died: answers they retried, by kind. */
const retried: Record<string, number> = {};

/**
 * Sends a request until `accept` takes the answer, retrying a dropped connection and a 5xx (an instance died or is
 * starting). Anything else, and a deadline far above a restart, is a failure with the answer in its message.
 */
async function untilAccepted<T = any>(
  what: string,
  send: () => Promise<Answer<T>>,
  accept: (answer: Answer<T>) => boolean = (answer) => answer.status < 300,
): Promise<Answer<T>> {
  const started = Date.now();
  for (;;) {
    const answer = await send().catch((error: Error) => error);
    if (!(answer instanceof Error) && accept(answer)) return answer;
    const kind = answer instanceof Error ? 'no answer' : String(answer.status);
    if (!(answer instanceof Error) && answer.status < 500) {
      throw new Error(`${what}: ${answer.status} ${answer.text}`);
    }
    retried[kind] = (retried[kind] ?? 0) + 1;
    if (Date.now() - started > 20_000) {
      throw new Error(`${what}: still ${kind} after 20 s`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

async function signIn(s: Stack): Promise<string> {
  const code = await untilAccepted<{ authCode: string }>('auth code', () =>
    call(s.walletLb.url, 'POST', '/sandbox/auth-codes', { body: {} }),
  );
  const session = await untilAccepted<{ token: string }>('session', () =>
    call(s.merchantLb.url, 'POST', '/api/session', { body: { authCode: code.body.authCode } }),
  );
  return session.body.token;
}

/** One customer's checkout, as the mini program does it (one Idempotency-Key per checkout), then the cashier. */
async function checkOut(s: Stack, token: string, checkout: Checkout, faults: Record<string, unknown>): Promise<void> {
  const idempotencyKey = randomUUID();
  const created = await untilAccepted<OrderJson>('create order', () =>
    call(s.merchantLb.url, 'POST', '/api/orders', {
      token,
      body: { items: [{ productId: 'coffee-beans', quantity: 1 }] },
      headers: { [IDEMPOTENCY_KEY_HEADER]: idempotencyKey },
    }),
  );
  checkout.orderId = created.body.id;
  const started = await untilAccepted<{ paymentId: string }>(`pay ${checkout.orderId}`, () =>
    call(s.merchantLb.url, 'POST', `/api/orders/${checkout.orderId}/payment`, { token }),
  );
  checkout.paymentId = started.body.paymentId;
  checkout.neverSend = faults.neverSend === true;
  await untilAccepted('faults', () =>
    call(s.walletLb.url, 'POST', '/sandbox/faults', { body: { paymentId: checkout.paymentId, ...faults } }),
  );
  // A retried complete whose first try was applied before the sandbox died is refused with 409: it is done.
  await untilAccepted(
    `complete ${checkout.paymentId}`,
    () =>
      call(s.walletLb.url, 'POST', `/sandbox/payments/${checkout.paymentId}/complete`, {
        body: { outcome: checkout.outcome },
      }),
    (answer) => answer.status === 200 || answer.status === 409,
  );
  checkout.completed = true;
}

function readMerchantDb<T>(home: string, read: (db: Database.Database) => T): T {
  const db = new Database(join(home, 'merchant.db'), { readonly: true, fileMustExist: true });
  try {
    return read(db);
  } finally {
    db.close();
  }
}

test('merchant killed 3 times and the sandbox once during a load: every order final, agreeing with the wallet', async () => {
  for (const built of [MERCHANT_BUILT, SANDBOX_BUILT]) {
    if (!existsSync(built)) throw new Error(`this test runs ${built}: run \`npm run build\` first`);
  }
  const home = mkdtempSync(join(tmpdir(), 'minipay-crash-'));
  stack = { home, merchantLb: await startBalancer(), walletLb: await startBalancer(), merchants: [], sandboxes: [] };
  const s = stack;
  // The keys and config.json exist before either process starts, so both read the same ones.
  await ensureDevHome(home);
  await startSandbox(s);
  await startMerchant(s);

  const checkouts: Checkout[] = [];
  const failures: Error[] = [];
  const loadStart = Date.now();
  const customer = async (): Promise<void> => {
    const token = await signIn(s);
    while (Date.now() - loadStart < LOAD_MS) {
      const n = checkouts.length;
      const checkout: Checkout = { outcome: OUTCOME_NAMES[n % OUTCOME_NAMES.length]!, completed: false };
      checkouts.push(checkout);
      await checkOut(s, token, checkout, FAULTS[n % FAULTS.length]!).catch((error: Error) => failures.push(error));
    }
  };
  const kills = (async () => {
    const schedule: Array<[number, 'merchant' | 'sandbox']> = [
      ...MERCHANT_KILLS_AT.map((at) => [at, 'merchant'] as [number, 'merchant']),
      [SANDBOX_KILL_AT, 'sandbox'],
    ];
    for (const [at, which] of schedule) {
      await new Promise((resolve) => setTimeout(resolve, Math.max(0, loadStart + at - Date.now())));
      await killAndRestart(s, which);
    }
  })();
  await Promise.all([kills, ...Array.from({ length: CUSTOMERS }, customer)]);

  // The load did what it is for: the clients met the kills, and every merchant process served checkouts.
  expect(failures.map((error) => error.message)).toEqual([]);
  expect(s.merchants).toHaveLength(4);
  expect(s.sandboxes).toHaveLength(2);
  expect(Object.values(retried).reduce((sum, count) => sum + count, 0)).toBeGreaterThan(0);
  const answered = s.merchantLb.answered();
  for (const merchant of s.merchants) expect(answered[merchant.ready[1] as string] ?? 0).toBeGreaterThan(0);
  expect(checkouts.length).toBeGreaterThan(60);
  expect(checkouts.every((checkout) => checkout.completed)).toBe(true);

  // Settled: no order left PAYING, read from the file (an API read would itself ask the wallet).
  const unsettled = () =>
    readMerchantDb(home, (db) => db.prepare("SELECT id FROM orders WHERE status = 'PAYING'").all() as unknown[]);
  await eventually(() => (unsettled().length === 0 ? true : undefined), 'every PAYING order to be final', 30_000).catch(
    (error: Error) => {
      const left = unsettled();
      throw new Error(`${error.message}; still PAYING: ${left.length}, e.g. ${JSON.stringify(left.slice(0, 5))}`);
    },
  );

  const { orders, finals } = readMerchantDb(home, (db) => ({
    orders: db.prepare('SELECT id, status, payment_id FROM orders').all() as Array<{
      id: string;
      status: string;
      payment_id: string | null;
    }>,
    finals: db
      .prepare(`SELECT order_id, to_status FROM order_events WHERE to_status IN (${FINAL.map(() => '?').join(',')})`)
      .all(...FINAL) as Array<{ order_id: string; to_status: string }>,
  }));
  const reachedPaying = readMerchantDb(home, (db) =>
    (
      db.prepare("SELECT DISTINCT order_id FROM order_events WHERE to_status = 'PAYING'").all() as Array<{
        order_id: string;
      }>
    ).map((row) => row.order_id),
  );
  const byId = new Map(orders.map((order) => [order.id, order]));
  const finalsByOrder = new Map<string, string[]>();
  for (const row of finals)
    finalsByOrder.set(row.order_id, [...(finalsByOrder.get(row.order_id) ?? []), row.to_status]);
  // The wallet's own notifications, refused while the merchant was down and carried over its own restart, are done
  // too: each delivered, but for the payments whose notifications the neverSend fault suppresses.
  const list = await eventually(async () => {
    const read = await untilAccepted<{ payments: Array<Record<string, any>> }>('wallet payments', () =>
      call(s.walletLb.url, 'GET', '/sandbox/payments'),
    );
    const busy = ['waiting', 'scheduled', 'sending'];
    return read.body.payments.some((payment) => busy.includes(payment.notification.state)) ? undefined : read;
  }, 'the wallet to finish its notifications');
  const suppressed = new Set(checkouts.filter((checkout) => checkout.neverSend).map((checkout) => checkout.paymentId));
  for (const payment of list.body.payments) {
    expect([payment.paymentId, payment.notification.state]).toEqual([
      payment.paymentId,
      suppressed.has(payment.paymentId) ? 'suppressed' : 'delivered',
    ]);
  }
  const walletByOrder = new Map<string, Array<Record<string, any>>>();
  for (const payment of list.body.payments) {
    const orderId = payment.referenceOrderId as string;
    walletByOrder.set(orderId, [...(walletByOrder.get(orderId) ?? []), payment]);
  }

  // Every checkout is one order (a retried create gave the same one), in the status its outcome means.
  expect(new Set(checkouts.map((checkout) => checkout.orderId)).size).toBe(checkouts.length);
  expect(orders).toHaveLength(checkouts.length);
  for (const checkout of checkouts) {
    const order = byId.get(checkout.orderId!);
    expect([checkout.orderId, checkout.outcome, order?.status]).toEqual([
      checkout.orderId,
      checkout.outcome,
      OUTCOME_ORDER_STATUS[checkout.outcome],
    ]);
  }
  // Every order that reached PAYING is final, with exactly one final transition, and one wallet payment that agrees.
  expect(reachedPaying.length).toBe(checkouts.length);
  for (const orderId of reachedPaying) {
    const order = byId.get(orderId)!;
    const payments = walletByOrder.get(orderId) ?? [];
    expect([orderId, FINAL.includes(order.status), finalsByOrder.get(orderId)]).toEqual([
      orderId,
      true,
      [order.status],
    ]);
    expect([orderId, payments.length]).toEqual([orderId, 1]);
    const payment = payments[0]!;
    expect([orderId, payment.status, AGREES[payment.status]?.includes(order.status)]).toEqual([
      orderId,
      payment.status,
      true,
    ]);
    expect([orderId, order.payment_id]).toEqual([orderId, payment.paymentId]);
  }
  // No wallet payment without its order; no final transition for an order that never reached PAYING.
  for (const orderId of walletByOrder.keys()) expect([orderId, byId.has(orderId)]).toEqual([orderId, true]);
  for (const orderId of finalsByOrder.keys()) expect(reachedPaying).toContain(orderId);
}, 120_000);
