// npm run bench:postgres -w @minipay/merchant-server (and `npm run bench` at the root, which calls it)
//
// The merchant server on PostgreSQL with one and with two instances, next to SQLite with one, on this machine. Each
// configuration runs the built `minipay-merchant` as separate processes behind the same round-robin balancer
// (@minipay/testing), the built wallet sandbox as another process, and the load from this one:
// (a) orders created and paid per second end to end (create, pay, the sandbox's "pay" outcome, then GET until PAID)
//     by MINIPAY_BENCH_WORKERS concurrent customers for MINIPAY_BENCH_SECONDS, with p50/p99 of one full order;
// (b) notifications applied per second: orders made PAYING, then their notifications (10% duplicates, shuffled)
//     signed with the wallet's key and posted to the balancer by 16 senders, with p50/p99 of one notification;
//     afterwards the database is checked for double transitions (must be 0).
// PostgreSQL is a throwaway cluster (initdb in a temp folder, fsync off as in the tests; SQLite keeps full fsync,
// so its write figures are not flattered). Every process shares the machine's cores: two instances on 2 cores show
// what a second instance costs there, not what it gives on a second machine.
//
// Env: MINIPAY_BENCH_JSON=<file> writes the figures as JSON; MINIPAY_BENCH_SECONDS (default 8), MINIPAY_BENCH_WORKERS
// (default 8), MINIPAY_BENCH_NOTIFICATIONS (default 1000 orders).
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { cpus, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const packages = join(here, '..', '..');
for (const pkg of ['merchant-server', 'wallet-sandbox', 'openapi', 'testing', 'dev-home']) {
  if (!existsSync(join(packages, pkg, 'dist', 'index.mjs'))) {
    console.error(`packages/${pkg}/dist is missing: run \`npm run build\` at the repo root first`);
    process.exit(1);
  }
}
const require = createRequire(import.meta.url);
const { startBalancer, startNodeProcess, startPostgres } = await import('@minipay/testing');
const { signRequest } = await import('@minipay/openapi');
const { ensureDevHome } = await import('@minipay/dev-home');
const Database = require('better-sqlite3');
const pg = require('pg');

const MERCHANT_BIN = join(packages, 'merchant-server', 'bin', 'minipay-merchant.cjs');
const SANDBOX_BIN = join(packages, 'wallet-sandbox', 'bin', 'minipay-sandbox.cjs');
const SECONDS = Number(process.env.MINIPAY_BENCH_SECONDS ?? 8);
const WORKERS = Number(process.env.MINIPAY_BENCH_WORKERS ?? 8);
const NOTIFY_ORDERS = Number(process.env.MINIPAY_BENCH_NOTIFICATIONS ?? 1000);
const NOTIFY_SENDERS = 16;
const FINALS = "('PAID', 'FAILED', 'CANCELLED', 'EXPIRED')";

const CONFIGURATIONS = [
  { key: 'sqlite1', label: 'SQLite, 1 instance', database: 'sqlite', instances: 1 },
  { key: 'postgres1', label: 'PostgreSQL, 1 instance', database: 'postgres', instances: 1 },
  { key: 'postgres2', label: 'PostgreSQL, 2 instances', database: 'postgres', instances: 2 },
];

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
const percentile = (sorted, p) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;
const round = (value, digits = 1) => Math.round(value * 10 ** digits) / 10 ** digits;

async function json(base, method, path, { token, body, headers = {}, raw } = {}) {
  const h = { ...headers };
  if (token) h.authorization = `Bearer ${token}`;
  let payload = raw;
  if (body !== undefined) {
    payload = JSON.stringify(body);
    h['content-type'] = 'application/json';
  }
  const response = await fetch(base + path, { method, headers: h, body: payload });
  const text = await response.text();
  if (!response.ok) throw new Error(`${method} ${path} → ${response.status} ${text}`);
  return text ? JSON.parse(text) : undefined;
}

/** The database's view of the run: how many orders got more than one final transition. */
async function doubleTransitions(config, database) {
  const sql = `SELECT COUNT(*) AS n FROM (SELECT order_id FROM order_events WHERE to_status IN ${FINALS} GROUP BY order_id HAVING COUNT(*) > 1) AS doubled`;
  if (config.database === 'sqlite') {
    const db = new Database(database, { readonly: true });
    try {
      return db.prepare(sql).get().n;
    } finally {
      db.close();
    }
  }
  const client = new pg.Client({ connectionString: database });
  await client.connect();
  try {
    return Number((await client.query(sql)).rows[0].n);
  } finally {
    await client.end();
  }
}

async function run(config, cluster, index) {
  const home = mkdtempSync(join(tmpdir(), 'minipay-bench-pg-'));
  const dev = await ensureDevHome(home);
  const database =
    config.database === 'sqlite' ? join(home, 'merchant.db') : await cluster.createDatabase(`bench_${index}`);
  const sandbox = await startNodeProcess(SANDBOX_BIN, {
    args: ['--port', '0', '--home', home, '--retry-schedule', '200,1000,5000'],
    ready: /dashboard\s+(http:\/\/\S+?)\/?$/,
  });
  const walletUrl = sandbox.ready[1];
  const balancer = await startBalancer();
  const instances = await Promise.all(
    Array.from({ length: config.instances }, () =>
      startNodeProcess(MERCHANT_BIN, {
        args: ['--port', '0', '--home', home],
        env: {
          ...(config.database === 'sqlite' ? { MINIPAY_DATABASE_PATH: database } : { MINIPAY_DATABASE_URL: database }),
          MINIPAY_WALLET_URL: walletUrl,
          MINIPAY_PUBLIC_URL: balancer.url,
          MINIPAY_LOG_LEVEL: 'warn',
        },
        ready: /^minipay merchant server on (http:\/\/\S+)/,
      }),
    ),
  );
  balancer.setUpstreams(instances.map((instance) => instance.ready[1]));
  const merchant = balancer.url;
  try {
    const { authCode } = await json(walletUrl, 'POST', '/sandbox/auth-codes', { body: {} });
    const { token } = await json(merchant, 'POST', '/api/session', { body: { authCode } });

    const payOneOrder = async () => {
      const started = performance.now();
      const order = await json(merchant, 'POST', '/api/orders', {
        token,
        body: {
          items: [
            { productId: 'coffee-beans', quantity: 1 },
            { productId: 'dot-notebook', quantity: 2 },
          ],
        },
      });
      const { paymentId } = await json(merchant, 'POST', `/api/orders/${order.id}/payment`, { token });
      await json(walletUrl, 'POST', `/sandbox/payments/${paymentId}/complete`, { body: { outcome: 'pay' } });
      for (;;) {
        const seen = await json(merchant, 'GET', `/api/orders/${order.id}`, { token });
        if (seen.status === 'PAID') break;
        if (seen.status !== 'PAYING') throw new Error(`order ${order.id} ended ${seen.status}`);
        await sleep(1);
      }
      return performance.now() - started;
    };
    for (let i = 0; i < 20; i++) await payOneOrder();

    // (a)
    const latencies = [];
    const flowStarted = performance.now();
    const deadline = flowStarted + SECONDS * 1000;
    await Promise.all(
      Array.from({ length: WORKERS }, async () => {
        while (performance.now() < deadline) latencies.push(await payOneOrder());
      }),
    );
    const flowSeconds = (performance.now() - flowStarted) / 1000;
    latencies.sort((a, b) => a - b);

    // (b)
    const paying = [];
    await Promise.all(
      Array.from({ length: 8 }, async () => {
        while (paying.length < NOTIFY_ORDERS) {
          const order = await json(merchant, 'POST', '/api/orders', {
            token,
            body: { items: [{ productId: 'sticker-pack', quantity: 1 }] },
          });
          const { paymentId } = await json(merchant, 'POST', `/api/orders/${order.id}/payment`, { token });
          paying.push({ order, paymentId });
        }
      }),
    );
    const atWallet = new Map(
      (await json(walletUrl, 'GET', '/sandbox/payments')).payments.map((p) => [p.paymentId, p.paymentRequestId]),
    );
    const signed = paying.map(({ order, paymentId }) => {
      const body = JSON.stringify({
        paymentId,
        paymentRequestId: atWallet.get(paymentId),
        paymentResult: { resultStatus: 'S', resultCode: 'SUCCESS', resultMessage: 'success' },
        paymentAmount: order.amount,
        paymentTime: new Date().toISOString().replace('Z', '+00:00'),
      });
      const headers = signRequest({
        path: '/notify/payment',
        clientId: dev.clientId,
        body,
        privateKey: dev.walletPrivateKey,
      });
      return { body, headers };
    });
    const duplicates = Math.round(signed.length * 0.1);
    const queue = [
      ...signed,
      ...Array.from({ length: duplicates }, () => signed[Math.floor(Math.random() * signed.length)]),
    ];
    for (let i = queue.length - 1; i > 0; i--) {
      const j = Math.floor(Math.random() * (i + 1));
      [queue[i], queue[j]] = [queue[j], queue[i]];
    }
    const notifyLatencies = [];
    let refused = 0;
    const notifyStarted = performance.now();
    await Promise.all(
      Array.from({ length: NOTIFY_SENDERS }, async () => {
        for (let item = queue.pop(); item !== undefined; item = queue.pop()) {
          const started = performance.now();
          const response = await fetch(`${merchant}/notify/payment`, {
            method: 'POST',
            headers: item.headers,
            body: item.body,
          });
          const text = await response.text();
          notifyLatencies.push(performance.now() - started);
          if (response.status !== 200 || !text.includes('"resultStatus":"S"')) refused++;
        }
      }),
    );
    const notifySeconds = (performance.now() - notifyStarted) / 1000;
    notifyLatencies.sort((a, b) => a - b);
    const sent = signed.length + duplicates;
    const answered = balancer.answered();
    return {
      label: config.label,
      instances: config.instances,
      ordersPerSec: round(latencies.length / flowSeconds),
      orderP50Ms: round(percentile(latencies, 50)),
      orderP99Ms: round(percentile(latencies, 99)),
      orders: latencies.length,
      notificationsPerSec: round(sent / notifySeconds),
      notifyP50Ms: round(percentile(notifyLatencies, 50)),
      notifyP99Ms: round(percentile(notifyLatencies, 99)),
      notifications: sent,
      refused,
      doubleTransitions: await doubleTransitions(config, database),
      requestsPerInstance: Object.values(answered),
    };
  } finally {
    await Promise.all(instances.map((instance) => instance.stop()));
    await balancer.close();
    await sandbox.stop();
    rmSync(home, { recursive: true, force: true });
  }
}

const cluster = await startPostgres({ settings: { max_connections: '100' } });
const results = {};
try {
  for (const [index, config] of CONFIGURATIONS.entries()) {
    console.log(`${config.label}...`);
    results[config.key] = await run(config, cluster, index);
  }
} finally {
  await cluster.stop();
}

const figures = {
  ...results,
  machine: { cpus: cpus().length, cpuModel: cpus()[0]?.model ?? 'unknown', node: process.version },
  load: { seconds: SECONDS, workers: WORKERS, notificationOrders: NOTIFY_ORDERS, senders: NOTIFY_SENDERS },
};

console.log('\nminipay merchant-server on PostgreSQL\n');
console.log(
  `${'configuration'.padEnd(24)}  ${'orders paid / s'.padEnd(32)}  ${'notifications applied / s'.padEnd(32)}  double transitions`,
);
for (const config of CONFIGURATIONS) {
  const r = results[config.key];
  console.log(
    `${r.label.padEnd(24)}  ${`${r.ordersPerSec} (p50 ${r.orderP50Ms} ms, p99 ${r.orderP99Ms} ms)`.padEnd(32)}  ${`${r.notificationsPerSec} (p50 ${r.notifyP50Ms} ms, p99 ${r.notifyP99Ms} ms)`.padEnd(32)}  ${r.doubleTransitions}`,
  );
}
console.log(
  `\n${WORKERS} customers for ${SECONDS} s; ${NOTIFY_ORDERS} notifications + 10% duplicates by ${NOTIFY_SENDERS} senders; ${cpus().length} CPUs shared by every process\n`,
);

if (process.env.MINIPAY_BENCH_JSON)
  writeFileSync(process.env.MINIPAY_BENCH_JSON, `${JSON.stringify(figures, null, 2)}\n`);
const bad = CONFIGURATIONS.filter((c) => results[c.key].doubleTransitions !== 0 || results[c.key].refused !== 0);
if (bad.length > 0) {
  console.error(
    `FAILED (${bad.map((c) => c.label).join(', ')}): every notification must be acknowledged S and applied exactly once`,
  );
  process.exitCode = 1;
}
