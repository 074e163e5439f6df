// npm run bench -w @minipay/merchant-server
//
// (a) Orders created and paid per second end to end through the built merchant server and the built wallet
//     sandbox (one process, real HTTP on 127.0.0.1, real SQLite file in a temp home): per order POST /api/orders,
//     POST /api/orders/:id/payment, the sandbox's "pay" outcome, then GET /api/orders/:id until PAID. A few
//     concurrent workers; p50/p99 of one full order. Next to it: the raw RSA-2048 signing rate of this machine
//     (node:crypto, a typical pay request), and how many signatures/verifications one paid order really took
//     (counted by wrapping node:crypto's sign/verify during the run).
// (b) Notifications applied per second: orders made PAYING through the API, then their notifications (10%
//     duplicates, shuffled) signed with the wallet key and posted straight to /notify/payment by concurrent
//     senders; afterwards the database is checked for double transitions (must be 0).
//
// Env: MINIPAY_BENCH_JSON=<file> also writes the figures as JSON. MINIPAY_BENCH_SECONDS (default 10) bounds (a),
// MINIPAY_BENCH_WORKERS (default 4), MINIPAY_BENCH_NOTIFICATIONS (default 1500 orders) sizes (b).
import crypto from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { createRequire, syncBuiltinESMExports } from 'node:module';
import { tmpdir, cpus } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { performance } from 'node:perf_hooks';

const here = dirname(fileURLToPath(import.meta.url));
const require = createRequire(import.meta.url);
for (const pkg of ['merchant-server', 'wallet-sandbox', 'openapi']) {
  if (!existsSync(join(here, '..', '..', pkg, 'dist', 'index.mjs'))) {
    console.error(`packages/${pkg}/dist is missing: run \`npm run build\` at the repo root first`);
    process.exit(1);
  }
}

// Count every signature and verification made by anyone in this process (merchant and wallet alike).
const counts = { sign: 0, verify: 0 };
const originalSign = crypto.sign;
const originalVerify = crypto.verify;
crypto.sign = function countedSign(...args) {
  counts.sign++;
  return originalSign.apply(this, args);
};
crypto.verify = function countedVerify(...args) {
  counts.verify++;
  return originalVerify.apply(this, args);
};
syncBuiltinESMExports();

const { startMerchantServer } = await import('@minipay/merchant-server');
const { startSandbox } = await import('@minipay/wallet-sandbox');
const { signRequest } = await import('@minipay/openapi');
const { ensureDevHome } = await import('@minipay/dev-home');
const Database = require('better-sqlite3');

const SECONDS = Number(process.env.MINIPAY_BENCH_SECONDS ?? 10);
const WORKERS = Number(process.env.MINIPAY_BENCH_WORKERS ?? 4);
const NOTIFY_ORDERS = Number(process.env.MINIPAY_BENCH_NOTIFICATIONS ?? 1500);
const NOTIFY_SENDERS = 16;

const home = mkdtempSync(join(tmpdir(), 'minipay-bench-'));
const dev = await ensureDevHome(home);
const sandbox = await startSandbox({ home, port: 0, retrySchedule: [200, 1000, 5000], log: () => {} });
const merchant = await startMerchantServer({ home, port: 0, walletUrl: sandbox.url, log: false });

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

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
const percentile = (sorted, p) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];

// Session once.
const { authCode } = await json(sandbox.url, 'POST', '/sandbox/auth-codes', { body: {} });
const { token } = await json(merchant.url, 'POST', '/api/session', { body: { authCode } });

async function payOneOrder() {
  const started = performance.now();
  const order = await json(merchant.url, 'POST', '/api/orders', {
    token,
    body: {
      items: [
        { productId: 'coffee-beans', quantity: 1 },
        { productId: 'dot-notebook', quantity: 2 },
      ],
    },
  });
  const { paymentId } = await json(merchant.url, 'POST', `/api/orders/${order.id}/payment`, { token });
  await json(sandbox.url, 'POST', `/sandbox/payments/${paymentId}/complete`, { body: { outcome: 'pay' } });
  for (;;) {
    const seen = await json(merchant.url, 'GET', `/api/orders/${order.id}`, { token });
    if (seen.status === 'PAID') break;
    if (seen.status !== 'PAYING') throw new Error(`order ${order.id} ended ${seen.status}`);
    await sleep(1);
  }
  return performance.now() - started;
}

// Warm-up (JIT, connection pools, SQLite pages).
for (let i = 0; i < 20; i++) await payOneOrder();

// (a) end-to-end.
counts.sign = 0;
counts.verify = 0;
const latencies = [];
const flowStarted = performance.now();
const deadline = flowStarted + SECONDS * 1000;
await Promise.all(
  Array.from({ length: WORKERS }, async () => {
    while (performance.now() < deadline) latencies.push(await payOneOrder());
  }),
);
const flowSeconds = (performance.now() - flowStarted) / 1000;
await sandbox.whenIdle();
const signsPerOrder = counts.sign / latencies.length;
const verifiesPerOrder = counts.verify / latencies.length;
latencies.sort((a, b) => a - b);

// Raw RSA-2048 signing rate, same process, same machine: a typical signed pay request.
const typicalBody = JSON.stringify({
  paymentRequestId: 'pr_0123456789abcdef0123456789abcdef',
  paymentAmount: { currency: 'USD', value: '2750' },
  order: {
    referenceOrderId: 'ord_AbCdEfGhIjKlMnOp',
    orderDescription: 'Single-origin coffee beans, 2 × Dot-grid notebook',
    orderAmount: { currency: 'USD', value: '2750' },
    orderCreateTime: '2026-11-21T21:30:00.000+00:00',
    merchant: { merchantName: 'Minipay Demo Shop' },
    buyer: { referenceBuyerId: 'SBXCUST0001' },
  },
  paymentExpiryTime: '2026-11-21T21:45:00.000+00:00',
  paymentNotifyUrl: 'http://127.0.0.1:8200/notify/payment',
  customerId: 'SBXCUST0001',
});
const typicalMessage = `POST /api/open/v2/payments/pay\n${dev.clientId}.2026-11-21T21:30:00.000+00:00.${typicalBody}`;
const privateKey = crypto.createPrivateKey(dev.merchantPrivateKey);
const publicKey = crypto.createPublicKey(dev.merchantPublicKey);
function rate(run) {
  for (let i = 0; i < 50; i++) run();
  let n = 0;
  const started = performance.now();
  while (performance.now() - started < 1500) {
    run();
    n++;
  }
  return n / ((performance.now() - started) / 1000);
}
const signature = originalSign('sha256', Buffer.from(typicalMessage), privateKey);
const signRate = rate(() => originalSign('sha256', Buffer.from(typicalMessage), privateKey));
const verifyRate = rate(() => originalVerify('sha256', Buffer.from(typicalMessage), publicKey, signature));
const cryptoBound = 1 / (signsPerOrder / signRate + verifiesPerOrder / verifyRate);

// (b) notifications applied per second, 10% duplicates.
const paying = [];
await Promise.all(
  Array.from({ length: 8 }, async () => {
    while (paying.length < NOTIFY_ORDERS) {
      const order = await json(merchant.url, 'POST', '/api/orders', {
        token,
        body: { items: [{ productId: 'sticker-pack', quantity: 1 }] },
      });
      const { paymentId } = await json(merchant.url, 'POST', `/api/orders/${order.id}/payment`, { token });
      paying.push({ order, paymentId });
    }
  }),
);
const db = new Database(join(home, 'merchant.db'), { readonly: true });
const requestIds = new Map(
  db
    .prepare("SELECT id, payment_request_id FROM orders WHERE status = 'PAYING'")
    .all()
    .map((r) => [r.id, r.payment_request_id]),
);
const signed = paying.map(({ order, paymentId }) => {
  const body = JSON.stringify({
    paymentId,
    paymentRequestId: requestIds.get(order.id),
    paymentResult: { resultStatus: 'S', resultCode: 'SUCCESS', resultMessage: 'success' },
    paymentAmount: order.amount,
    paymentTime: new Date().toISOString().replace('Z', '+00:00'),
  });
  return {
    body,
    headers: signRequest({ path: '/notify/payment', clientId: dev.clientId, body, privateKey: dev.walletPrivateKey }),
  };
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
let acked = 0;
let refused = 0;
const notifyStarted = performance.now();
await Promise.all(
  Array.from({ length: NOTIFY_SENDERS }, async () => {
    for (let item = queue.pop(); item !== undefined; item = queue.pop()) {
      const response = await fetch(`${merchant.url}/notify/payment`, {
        method: 'POST',
        headers: item.headers,
        body: item.body,
      });
      const text = await response.text();
      if (response.status === 200 && text.includes('"resultStatus":"S"')) acked++;
      else refused++;
    }
  }),
);
const notifySeconds = (performance.now() - notifyStarted) / 1000;
const sent = signed.length + duplicates;
const finals = "('PAID', 'FAILED', 'CANCELLED', 'EXPIRED')";
const doubleTransitions = db
  .prepare(
    `SELECT COUNT(*) AS n FROM (SELECT order_id FROM order_events WHERE to_status IN ${finals} GROUP BY order_id HAVING COUNT(*) > 1)`,
  )
  .get().n;
const extraEvents = db
  .prepare(
    `SELECT COALESCE(SUM(n - 1), 0) AS n FROM (SELECT COUNT(*) AS n FROM order_events WHERE to_status IN ${finals} GROUP BY order_id)`,
  )
  .get().n;
const ids = paying.map((p) => p.order.id);
const paid = db
  .prepare(`SELECT COUNT(*) AS n FROM orders WHERE status = 'PAID' AND id IN (SELECT value FROM json_each(?))`)
  .get(JSON.stringify(ids)).n;
db.close();

await merchant.close();
await sandbox.close();
rmSync(home, { recursive: true, force: true });

const figures = {
  // Flat figures, as the root `npm run bench` aggregator (scripts/bench.mjs) reads them.
  ordersPerSec: round(latencies.length / flowSeconds, 1),
  p50Ms: round(percentile(latencies, 50), 1),
  p99Ms: round(percentile(latencies, 99), 1),
  rawSignPerSec: Math.round(signRate),
  signaturesPerOrder: round(signsPerOrder, 2),
  notificationsPerSec: round(sent / notifySeconds, 1),
  doubleTransitions,
  // The details.
  machine: { cpus: cpus().length, cpuModel: cpus()[0]?.model ?? 'unknown', node: process.version },
  flow: {
    workers: WORKERS,
    orders: latencies.length,
    seconds: round(flowSeconds, 2),
    ordersPerSecond: round(latencies.length / flowSeconds, 1),
    latencyMs: {
      p50: round(percentile(latencies, 50), 1),
      p99: round(percentile(latencies, 99), 1),
      max: round(latencies.at(-1), 1),
    },
    signaturesPerOrder: round(signsPerOrder, 2),
    verificationsPerOrder: round(verifiesPerOrder, 2),
  },
  crypto: {
    rsa2048SignsPerSecond: Math.round(signRate),
    rsa2048VerifiesPerSecond: Math.round(verifyRate),
    ordersPerSecondBoundBySigning: round(signRate / signsPerOrder, 1),
    ordersPerSecondBoundByAllCrypto: round(cryptoBound, 1),
  },
  notifications: {
    orders: signed.length,
    duplicates,
    sent,
    senders: NOTIFY_SENDERS,
    seconds: round(notifySeconds, 2),
    perSecond: round(sent / notifySeconds, 1),
    acknowledgedS: acked,
    refused,
    ordersPaid: paid,
    doubleTransitions,
    extraTransitionEvents: extraEvents,
  },
};

const rows = [
  [
    'machine',
    `${figures.machine.cpus} CPU (${figures.machine.cpuModel}), Node ${figures.machine.node}; merchant, sandbox and load in one process`,
  ],
  [
    '(a) orders created and paid / s',
    `${figures.flow.ordersPerSecond}  (${figures.flow.orders} orders in ${figures.flow.seconds} s, ${WORKERS} workers)`,
  ],
  [
    '(a) latency of one full order',
    `p50 ${figures.flow.latencyMs.p50} ms, p99 ${figures.flow.latencyMs.p99} ms, max ${figures.flow.latencyMs.max} ms`,
  ],
  [
    '(a) RSA-2048 signatures per paid order',
    `${figures.flow.signaturesPerOrder} signs + ${figures.flow.verificationsPerOrder} verifies (merchant + wallet)`,
  ],
  [
    'raw RSA-2048 signing rate',
    `${figures.crypto.rsa2048SignsPerSecond} signs/s, ${figures.crypto.rsa2048VerifiesPerSecond} verifies/s (node:crypto, one core)`,
  ],
  [
    'bound: signing rate / signs per order',
    `${figures.crypto.ordersPerSecondBoundBySigning} orders/s (all crypto: ${figures.crypto.ordersPerSecondBoundByAllCrypto})`,
  ],
  [
    '(b) notifications applied / s',
    `${figures.notifications.perSecond}  (${sent} sent = ${signed.length} + ${duplicates} duplicates, ${NOTIFY_SENDERS} senders, ${figures.notifications.seconds} s)`,
  ],
  ['(b) acknowledged S / refused', `${acked} / ${refused}; orders PAID ${paid} of ${signed.length}`],
  ['(b) double transitions (must be 0)', String(doubleTransitions)],
];
const width = Math.max(...rows.map(([k]) => k.length));
console.log('\nminipay merchant-server bench\n');
for (const [k, v] of rows) console.log(`${k.padEnd(width)}  ${v}`);
console.log('');

if (process.env.MINIPAY_BENCH_JSON)
  writeFileSync(process.env.MINIPAY_BENCH_JSON, `${JSON.stringify(figures, null, 2)}\n`);
if (doubleTransitions !== 0 || paid !== signed.length || refused !== 0) {
  console.error('FAILED: every notification must be acknowledged S and applied exactly once');
  process.exitCode = 1;
}

function round(value, digits) {
  const f = 10 ** digits;
  return Math.round(value * f) / f;
}
