// Several instances behind one load balancer: two merchant servers as real processes (the built `minipay-merchant`,
// so SIGKILL is real) on one PostgreSQL database, a round-robin balancer in front, and the wallet sandbox, whose
// notifications go to the balancer (MINIPAY_PUBLIC_URL is the balancer's URL). Every guarantee is checked from the
// outside: the wallet's own records (its payments and its request log) and the database's order_events.
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { IDEMPOTENCY_KEY_HEADER, type Order as OrderJson } from '@minipay/contract';
import { ensureDevHome, type DevHome } from '@minipay/dev-home';
import {
  startBalancer,
  startNodeProcess,
  startPostgres,
  type Balancer,
  type NodeProcess,
  type PostgresCluster,
} from '@minipay/testing';
import { OUTCOME_NAMES, startSandbox, type RunningSandbox } from '@minipay/wallet-sandbox';
import { MIGRATIONS } from '../src/internal/migrations';
import {
  OUTCOME_ORDER_STATUS,
  call,
  eventually,
  signedNotification,
  successNotification,
  type Answer,
  type Stack,
} from './helpers';

const BIN = join(__dirname, '..', 'bin', 'minipay-merchant.cjs');
const BUILT = join(__dirname, '..', 'dist', 'cli.cjs');

let cluster: PostgresCluster;
let databases = 0;
beforeAll(async () => {
  if (!existsSync(BUILT)) throw new Error('these tests run the built minipay-merchant: run `npm run build` first');
  cluster = await startPostgres();
}, 60_000);
afterAll(() => cluster?.stop());

interface Deployment {
  home: string;
  dev: DevHome;
  databaseUrl: string;
  sandbox: RunningSandbox;
  balancer: Balancer;
  instances: NodeProcess[];
  /** The instances' own URLs (behind the balancer). */
  origins: string[];
  /** Runs a statement on the database over a connection of its own. */
  query<T = Record<string, unknown>>(text: string, parameters?: unknown[]): Promise<T[]>;
  close(): Promise<void>;
}

/** Starts one merchant process on the deployment's database, home and sandbox, behind its balancer. */
function startInstance(
  setup: { home: string; databaseUrl: string; sandbox: RunningSandbox; balancer: Balancer },
  env: Record<string, string>,
): Promise<NodeProcess> {
  return startNodeProcess(BIN, {
    args: ['--port', '0', '--home', setup.home],
    env: {
      MINIPAY_DATABASE_URL: setup.databaseUrl,
      MINIPAY_WALLET_URL: setup.sandbox.url,
      MINIPAY_PUBLIC_URL: setup.balancer.url,
      MINIPAY_LOG_LEVEL: 'info',
      // The command prints readable lines outside production; these tests read its JSON lines.
      MINIPAY_LOG_FORMAT: 'json',
      ...env,
    },
    ready: /^minipay merchant server on (http:\/\/\S+)/,
  });
}

async function deploy(env: Record<string, string> = {}, instances = 2): Promise<Deployment> {
  const home = mkdtempSync(join(tmpdir(), 'minipay-instances-'));
  // The keys and config.json exist before any instance starts (in production they come from a secret store).
  const dev = await ensureDevHome(home);
  const databaseUrl = await cluster.createDatabase(`instances_${process.pid}_${++databases}`);
  const sandbox = await startSandbox({
    home,
    port: 0,
    retrySchedule: [100, 200, 400, 800, 1600, 3200],
    requestLogSize: 10_000,
    log: () => {},
  });
  const balancer = await startBalancer();
  const setup = { home, databaseUrl, sandbox, balancer };
  // Started at the same moment, on an empty database.
  const started = await Promise.all(Array.from({ length: instances }, () => startInstance(setup, env)));
  const origins = started.map((instance) => instance.ready[1] as string);
  balancer.setUpstreams(origins);
  return {
    home,
    dev,
    databaseUrl,
    sandbox,
    balancer,
    instances: started,
    origins,
    async query<T>(text: string, parameters: unknown[] = []) {
      const client = new pg.Client({ connectionString: databaseUrl });
      await client.connect();
      try {
        return (await client.query(text, parameters)).rows as T[];
      } finally {
        await client.end();
      }
    },
    async close() {
      await Promise.all(started.map((instance) => instance.stop()));
      await balancer.close();
      await sandbox.close();
      rmSync(home, { recursive: true, force: true });
    },
  };
}

/** Through the balancer, retrying what a client retries: a 502/503 or a dropped connection (an instance died). */
async function viaBalancer<T = any>(
  deployment: Deployment,
  method: string,
  path: string,
  options: { token?: string; body?: unknown; raw?: string; headers?: Record<string, string> } = {},
): Promise<Answer<T>> {
  for (let attempt = 0; ; attempt += 1) {
    const answer = await call<T>(deployment.balancer.url, method, path, options).catch(() => undefined);
    const retry = answer === undefined || answer.status === 502 || answer.status === 503;
    if (!retry || attempt === 40) {
      if (answer === undefined) throw new Error(`${method} ${path}: no answer`);
      return answer;
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

async function signIn(deployment: Deployment): Promise<string> {
  const code = await call<{ authCode: string }>(deployment.sandbox.url, 'POST', '/sandbox/auth-codes', { body: {} });
  const session = await viaBalancer<{ token: string }>(deployment, 'POST', '/api/session', {
    body: { authCode: code.body.authCode },
  });
  expect(session.status).toBe(200);
  return session.body.token;
}

async function newOrder(deployment: Deployment, token: string): Promise<OrderJson> {
  const created = await viaBalancer<OrderJson>(deployment, 'POST', '/api/orders', {
    token,
    body: { items: [{ productId: 'coffee-beans', quantity: 1 }] },
  });
  expect(created.status).toBe(201);
  return created.body;
}

async function pay(deployment: Deployment, token: string, orderId: string): Promise<{ paymentId: string }> {
  const started = await viaBalancer<{ paymentId: string }>(deployment, 'POST', `/api/orders/${orderId}/payment`, {
    token,
  });
  expect(started.status).toBe(200);
  return started.body;
}

async function complete(deployment: Deployment, paymentId: string, outcome: string): Promise<void> {
  const done = await call(deployment.sandbox.url, 'POST', `/sandbox/payments/${paymentId}/complete`, {
    body: { outcome },
  });
  expect(done.status).toBe(200);
}

/** Reads the order through the balancer until it is final (as the result page polls). */
function finalOrder(deployment: Deployment, token: string, orderId: string): Promise<OrderJson> {
  return eventually(
    async () => {
      const read = await viaBalancer<OrderJson>(deployment, 'GET', `/api/orders/${orderId}`, { token });
      return read.status === 200 && read.body.status !== 'PAYING' && read.body.status !== 'CREATED'
        ? read.body
        : undefined;
    },
    `order ${orderId} to be final`,
    30_000,
  );
}

/** The final transitions (out of PAYING) the database recorded per order. */
async function finalTransitions(deployment: Deployment): Promise<Map<string, string[]>> {
  const rows = await deployment.query<{ order_id: string; to_status: string }>(
    "SELECT order_id, to_status FROM order_events WHERE from_status = 'PAYING' ORDER BY id",
  );
  const byOrder = new Map<string, string[]>();
  for (const row of rows) byOrder.set(row.order_id, [...(byOrder.get(row.order_id) ?? []), row.to_status]);
  return byOrder;
}

/** The wallet's request log: the bodies of the calls to `api` (e.g. `inquiryPayment`). */
async function walletCalls(deployment: Deployment, api: string): Promise<Array<Record<string, any>>> {
  const log = await call<{ requests: Array<{ request: { body: string } }> }>(
    deployment.sandbox.url,
    'GET',
    `/sandbox/requests?path=/v2/payments/${api}&limit=10000`,
  );
  return log.body.requests.map((entry) => JSON.parse(entry.request.body));
}

/** The wallet's payments for an order (its `referenceOrderId`). */
async function walletPayments(deployment: Deployment, orderId: string): Promise<Array<Record<string, any>>> {
  const list = await call<{ payments: Array<Record<string, any>> }>(deployment.sandbox.url, 'GET', '/sandbox/payments');
  return list.body.payments.filter((payment) => payment.referenceOrderId === orderId);
}

describe('two instances behind a round-robin balancer, one PostgreSQL database', () => {
  let deployment: Deployment;
  beforeAll(async () => {
    // Stale after 500 ms, so reads ask the wallet; the periodic reconciler stays out of the way (its own test below).
    deployment = await deploy({ MINIPAY_RECONCILE_AFTER_MS: '500', MINIPAY_RECONCILE_INTERVAL_MS: '3600000' });
  }, 60_000);
  afterAll(() => deployment?.close());

  test('started at the same moment on an empty database: one of them migrated it, both serve', async () => {
    const migrated = deployment.instances.map((instance) =>
      instance.jsonLines().filter((entry) => entry.msg === 'database schema migrated'),
    );
    expect(migrated.map((lines) => lines.length).sort()).toEqual([0, 1]);
    // Every migration of the list, whoever adds one.
    const versions = MIGRATIONS.map((migration) => migration.version);
    expect(migrated.flat()[0]?.versions).toEqual(versions);
    expect(await deployment.query('SELECT version FROM schema_migrations ORDER BY version')).toEqual(
      versions.map((version) => ({ version })),
    );
    for (const origin of deployment.origins) {
      expect((await call(origin, 'GET', '/api/products')).status).toBe(200);
    }
  });

  test('the full flow for every outcome, through the balancer: each order ends in its status with one transition', async () => {
    const token = await signIn(deployment);
    const expected: Record<string, string> = OUTCOME_ORDER_STATUS;
    expect(Object.keys(expected).sort()).toEqual([...OUTCOME_NAMES].sort());
    const orders = await Promise.all(
      OUTCOME_NAMES.map(async (outcome) => {
        const order = await newOrder(deployment, token);
        const { paymentId } = await pay(deployment, token, order.id);
        await complete(deployment, paymentId, outcome);
        return { outcome, order: await finalOrder(deployment, token, order.id) };
      }),
    );
    for (const { outcome, order } of orders) expect([outcome, order.status]).toEqual([outcome, expected[outcome]]);
    const finals = await finalTransitions(deployment);
    for (const { order } of orders) expect(finals.get(order.id)).toEqual([order.status]);
    expect(orders.find((o) => o.outcome === 'fail')?.order.failReason?.code).toBe('USER_BALANCE_NOT_ENOUGH');
    // Both instances took part.
    for (const origin of deployment.origins) expect(deployment.balancer.answered()[origin]).toBeGreaterThan(0);
  });

  test('20 copies of one notification spread over both instances: one transition, 20 signed S acknowledgements', async () => {
    const token = await signIn(deployment);
    const order = await newOrder(deployment, token);
    const { paymentId } = await pay(deployment, token, order.id);
    const [row] = await deployment.query<{ payment_request_id: string }>(
      'SELECT payment_request_id FROM orders WHERE id = $1',
      [order.id],
    );
    const signed = signedNotification(
      { dev: deployment.dev } as Stack,
      successNotification(order, { paymentId, paymentRequestId: row!.payment_request_id }),
    );
    const before = deployment.balancer.answered();
    const acks = await Promise.all(
      Array.from({ length: 20 }, () =>
        call(deployment.balancer.url, 'POST', '/notify/payment', { raw: signed.body, headers: signed.headers }),
      ),
    );
    const after = deployment.balancer.answered();
    for (const origin of deployment.origins) expect((after[origin] ?? 0) - (before[origin] ?? 0)).toBe(10);
    expect(acks.map((ack) => [ack.status, ack.body.result?.resultStatus])).toEqual(
      Array.from({ length: 20 }, () => [200, 'S']),
    );
    expect((await finalTransitions(deployment)).get(order.id)).toEqual(['PAID']);
    const outcomes = await deployment.query<{ outcome: string; n: string }>(
      'SELECT outcome, COUNT(*) AS n FROM notifications WHERE order_id = $1 GROUP BY outcome ORDER BY outcome',
      [order.id],
    );
    expect(outcomes).toEqual([
      { outcome: 'applied', n: '1' },
      { outcome: 'duplicate', n: '19' },
    ]);
  });

  test('20 concurrent POST /api/orders/:id/payment over both instances: one paymentRequestId, one wallet payment', async () => {
    const token = await signIn(deployment);
    const order = await newOrder(deployment, token);
    const starts = await Promise.all(
      Array.from({ length: 20 }, () =>
        call<{ paymentId: string }>(deployment.balancer.url, 'POST', `/api/orders/${order.id}/payment`, { token }),
      ),
    );
    expect(starts.map((start) => start.status)).toEqual(Array.from({ length: 20 }, () => 200));
    expect(new Set(starts.map((start) => start.body.paymentId)).size).toBe(1);
    const payments = await walletPayments(deployment, order.id);
    expect(payments).toHaveLength(1);
    const requestIds = (await walletCalls(deployment, 'pay'))
      .filter((body) => body.order?.referenceOrderId === order.id)
      .map((body) => body.paymentRequestId);
    expect(requestIds.length).toBeGreaterThan(0);
    expect(new Set(requestIds)).toEqual(new Set([payments[0]!.paymentRequestId]));
    expect(
      await deployment.query('SELECT from_status, to_status FROM order_events WHERE order_id = $1', [order.id]),
    ).toEqual([{ from_status: 'CREATED', to_status: 'PAYING' }]);
  });

  test('20 concurrent POST /api/orders with one Idempotency-Key over both instances: one order', async () => {
    const token = await signIn(deployment);
    const creates = await Promise.all(
      Array.from({ length: 20 }, () =>
        call<OrderJson>(deployment.balancer.url, 'POST', '/api/orders', {
          token,
          body: { items: [{ productId: 'coffee-beans', quantity: 1 }] },
          headers: { [IDEMPOTENCY_KEY_HEADER]: 'checkout-across-instances' },
        }),
      ),
    );
    expect(creates.map((create) => create.status)).toEqual(Array.from({ length: 20 }, () => 201));
    expect(new Set(creates.map((create) => create.body.id)).size).toBe(1);
    expect(
      await deployment.query('SELECT order_id FROM order_idempotency_keys WHERE idempotency_key = $1', [
        'checkout-across-instances',
      ]),
    ).toEqual([{ order_id: creates[0]?.body.id }]);
  });

  test('a stale order read 20 times at once through both instances: one inquiry, and every read has its answer', async () => {
    const token = await signIn(deployment);
    const order = await newOrder(deployment, token);
    const { paymentId } = await pay(deployment, token, order.id);
    // The wallet takes the money but its notification is lost: only an inquiry can tell.
    await call(deployment.sandbox.url, 'POST', '/sandbox/faults', { body: { paymentId, neverSend: true } });
    await complete(deployment, paymentId, 'pay');
    await new Promise((resolve) => setTimeout(resolve, 700));
    const reads = await Promise.all(
      Array.from({ length: 20 }, () =>
        call<OrderJson>(deployment.balancer.url, 'GET', `/api/orders/${order.id}`, { token }),
      ),
    );
    expect(reads.map((read) => [read.status, read.body.status])).toEqual(
      Array.from({ length: 20 }, () => [200, 'PAID']),
    );
    const [row] = await deployment.query<{ payment_request_id: string }>(
      'SELECT payment_request_id FROM orders WHERE id = $1',
      [order.id],
    );
    const inquiries = (await walletCalls(deployment, 'inquiryPayment')).filter(
      (body) => body.paymentId === paymentId || body.paymentRequestId === row!.payment_request_id,
    );
    expect(inquiries).toHaveLength(1);
    expect((await finalTransitions(deployment)).get(order.id)).toEqual(['PAID']);
  });
});

describe('reconcilers on both instances', () => {
  let deployment: Deployment;
  beforeAll(async () => {
    // A reconciler asks about an order PAYING for longer than MINIPAY_RECONCILE_AFTER_MS. The test completes each
    // payment at the wallet right after starting it; if the reconciler asked before that (a loaded machine can take
    // more than a few hundred ms between the two), it would rightly find the payment still PROCESSING and ask again
    // later, and "one inquiry" would not hold for a reason the test did not mean. 2 s keeps the asking after the
    // completion however slow the machine, while still testing both reconcilers racing for the same orders.
    deployment = await deploy({ MINIPAY_RECONCILE_AFTER_MS: '2000', MINIPAY_RECONCILE_INTERVAL_MS: '100' });
  }, 60_000);
  afterAll(() => deployment?.close());

  test('each lost notification is resolved by exactly one inquiry, whichever instance makes it', async () => {
    const token = await signIn(deployment);
    const paid: Array<{ orderId: string; paymentId: string }> = [];
    await Promise.all(
      Array.from({ length: 12 }, async () => {
        const order = await newOrder(deployment, token);
        const { paymentId } = await pay(deployment, token, order.id);
        await call(deployment.sandbox.url, 'POST', '/sandbox/faults', { body: { paymentId, neverSend: true } });
        await complete(deployment, paymentId, 'pay');
        paid.push({ orderId: order.id, paymentId });
      }),
    );
    // Read from the database, not the API: a read would itself ask the wallet.
    await eventually(async () => {
      const finals = await finalTransitions(deployment);
      return paid.every(({ orderId }) => finals.get(orderId)?.[0] === 'PAID') ? true : undefined;
    }, 'every order PAID by the reconcilers');
    const inquiries = await walletCalls(deployment, 'inquiryPayment');
    for (const { paymentId } of paid) {
      expect([paymentId, inquiries.filter((body) => body.paymentId === paymentId).length]).toEqual([paymentId, 1]);
    }
    const finals = await finalTransitions(deployment);
    for (const { orderId } of paid) expect(finals.get(orderId)).toEqual(['PAID']);
  });
});

describe('an instance killed with SIGKILL during a load', () => {
  let deployment: Deployment;
  beforeAll(async () => {
    deployment = await deploy({
      MINIPAY_RECONCILE_AFTER_MS: '1000',
      MINIPAY_RECONCILE_INTERVAL_MS: '250',
      MINIPAY_WALLET_TIMEOUT_MS: '2000',
    });
  }, 60_000);
  afterAll(() => deployment?.close());

  test('the other instance finishes every order: none lost, none paid twice', async () => {
    const token = await signIn(deployment);
    const total = 40;
    const done: OrderJson[] = [];
    let begun = 0;
    let killed: Promise<number | null> | undefined;
    const victim = deployment.instances[0]!;
    const worker = async (): Promise<void> => {
      while (begun < total) {
        begun += 1;
        if (begun === 12) killed = victim.stop('SIGKILL');
        const order = await newOrder(deployment, token);
        const { paymentId } = await pay(deployment, token, order.id);
        await complete(deployment, paymentId, 'pay');
        done.push(await finalOrder(deployment, token, order.id));
      }
    };
    const survivor = deployment.origins[1]!;
    let answeredAtKill = 0;
    void Promise.resolve().then(async () => {
      await eventually(() => (killed === undefined ? undefined : true), 'the kill');
      answeredAtKill = deployment.balancer.answered()[survivor] ?? 0;
    });
    await Promise.all(Array.from({ length: 6 }, worker));
    expect(await killed).toBeNull();
    expect(victim.child.signalCode).toBe('SIGKILL');
    // The victim was serving when it died, and the survivor served the rest.
    expect(deployment.balancer.answered()[deployment.origins[0]!]).toBeGreaterThan(0);
    expect((deployment.balancer.answered()[survivor] ?? 0) - answeredAtKill).toBeGreaterThan(total);

    expect(done).toHaveLength(total);
    expect(done.every((order) => order.status === 'PAID')).toBe(true);
    const finals = await finalTransitions(deployment);
    for (const order of done) {
      expect([order.id, finals.get(order.id)]).toEqual([order.id, ['PAID']]);
      const payments = await walletPayments(deployment, order.id);
      expect([order.id, payments.length, payments[0]?.status]).toEqual([order.id, 1, 'SUCCESS']);
    }
    // No order the clients know of is left behind in the database.
    const stuck = await deployment.query("SELECT id FROM orders WHERE status = 'PAYING'");
    expect(stuck).toEqual([]);
  }, 120_000);
});
