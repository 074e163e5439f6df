// The load generator of the production-shaped bench, in its own OS process: it plays the mini programs (and, for
// the notification figure, the wallet's notifier) against the merchant server and the sandbox over real HTTP with
// keep-alive connections (node:http's Agent: cheaper per request than fetch, so that the load takes as little of
// the machine's two cores as it can). The bench drives it over IPC:
//   { type: 'sessions', count }           customers signed in (applyToken) before any timed window
//   { type: 'closed', workers, seconds }  N workers, each with its own session, ordering back to back
//   { type: 'open', rate, seconds }       orders started at a fixed rate; latency from the scheduled start
//   { type: 'prepare-notifications', orders }  orders made PAYING, their notifications signed now (not timed)
//   { type: 'prepare-notifications', payments }  the same for payments another server made up (the bare merchant)
//   { type: 'notifications', senders, url? }  the prepared notifications (10% duplicates, shuffled) posted at once,
//                                         to the merchant or to `url`
// Each answers with its figures under the same type. Env: MINIPAY_BENCH_MERCHANT_URL, MINIPAY_BENCH_SANDBOX_URL,
// MINIPAY_HOME (the dev home with the wallet's key and the client id).
import http from 'node:http';
import { performance } from 'node:perf_hooks';
import { ensureDevHome } from '@minipay/dev-home';
import { signRequest } from '@minipay/openapi';
import { NOTIFY_PATH } from './wire-paths.mjs';

const merchant = new URL(process.env.MINIPAY_BENCH_MERCHANT_URL);
const sandbox = new URL(process.env.MINIPAY_BENCH_SANDBOX_URL);
const dev = await ensureDevHome(process.env.MINIPAY_HOME);

/** How long a client waits between two reads of an order that is not PAID yet. */
export const POLL_INTERVAL_MS = 5;
/** How long a client reads an order before it counts it failed: a lost notification fails the run, not hangs it. */
const PAID_WITHIN_MS = 10_000;
/** What every order buys: two lines, as the sample mini program's cart does. */
const ORDER_BODY = JSON.stringify({
  items: [
    { productId: 'coffee-beans', quantity: 1 },
    { productId: 'dot-notebook', quantity: 2 },
  ],
});

const agent = new http.Agent({ keepAlive: true, maxSockets: Infinity });
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** One JSON call. Resolves the parsed body of a 2xx answer; rejects with the status and the body otherwise. */
function call(base, method, path, { token, body, headers } = {}) {
  return new Promise((resolve, reject) => {
    const h = { ...headers };
    if (token) h.authorization = `Bearer ${token}`;
    if (body !== undefined) {
      h['content-type'] ??= 'application/json';
      h['content-length'] = Buffer.byteLength(body);
    }
    const request = http.request(
      { agent, host: base.hostname, port: base.port, method, path, headers: h },
      (response) => {
        const chunks = [];
        response.on('data', (chunk) => chunks.push(chunk));
        response.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          if (response.statusCode < 200 || response.statusCode > 299) {
            reject(new Error(`${method} ${path} → ${response.statusCode} ${text.slice(0, 300)}`));
            return;
          }
          try {
            resolve({ status: response.statusCode, body: text ? JSON.parse(text) : undefined, text });
          } catch (error) {
            reject(error);
          }
        });
        response.on('error', reject);
      },
    );
    request.on('error', reject);
    request.end(body);
  });
}

async function newSession() {
  const { body: code } = await call(sandbox, 'POST', '/sandbox/auth-codes', { body: '{}' });
  const { body: session } = await call(merchant, 'POST', '/api/session', {
    body: JSON.stringify({ authCode: code.authCode }),
  });
  return session.token;
}

/**
 * One whole order as a mini program makes it: create, start the payment, the cashier's `pay`, then read the order
 * until it is PAID. Resolves how many reads that took.
 */
async function payOneOrder(token) {
  const { body: order } = await call(merchant, 'POST', '/api/orders', { token, body: ORDER_BODY });
  const { body: payment } = await call(merchant, 'POST', `/api/orders/${order.id}/payment`, { token });
  await call(sandbox, 'POST', `/sandbox/payments/${payment.paymentId}/complete`, { body: '{"outcome":"pay"}' });
  const deadline = performance.now() + PAID_WITHIN_MS;
  for (let polls = 1; ; polls++) {
    const { body: seen } = await call(merchant, 'GET', `/api/orders/${order.id}`, { token });
    if (seen.status === 'PAID') return polls;
    if (seen.status !== 'PAYING') throw new Error(`order ${order.id} ended ${seen.status}`);
    if (performance.now() > deadline)
      throw new Error(`order ${order.id} still PAYING after ${PAID_WITHIN_MS / 1000} s`);
    await sleep(POLL_INTERVAL_MS);
  }
}

function summary(latencies) {
  const sorted = Float64Array.from(latencies).sort();
  const at = (p) => (sorted.length === 0 ? null : sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))]);
  return { p50Ms: at(0.5), p90Ms: at(0.9), p99Ms: at(0.99), maxMs: sorted.length ? sorted[sorted.length - 1] : null };
}

function errorText(error) {
  return error instanceof Error ? error.message : String(error);
}

let sessions = [];

/** Signs `count` customers in, so that the timed windows count orders only (a session is one applyToken). */
async function makeSessions({ count }) {
  sessions = await Promise.all(Array.from({ length: count }, newSession));
  return { sessions: sessions.length };
}

/** Closed loop: `workers` clients, each ordering again as soon as its order is PAID, for `seconds`. */
async function closedLoop({ workers, seconds }) {
  if (sessions.length < workers) throw new Error(`closed loop of ${workers} workers, but ${sessions.length} sessions`);
  const tokens = sessions.slice(0, workers);
  const latencies = [];
  let polls = 0;
  const errors = [];
  const started = performance.now();
  const deadline = started + seconds * 1000;
  await Promise.all(
    tokens.map(async (token) => {
      while (performance.now() < deadline) {
        const t0 = performance.now();
        try {
          // Not `polls += await ...`: that reads `polls` before the await and loses the other workers' reads.
          const reads = await payOneOrder(token);
          polls += reads;
          latencies.push(performance.now() - t0);
        } catch (error) {
          errors.push(errorText(error));
        }
      }
    }),
  );
  const elapsed = (performance.now() - started) / 1000;
  return {
    workers,
    orders: latencies.length,
    seconds: elapsed,
    ordersPerSecond: latencies.length / elapsed,
    pollsPerOrder: polls / Math.max(1, latencies.length),
    errors: errors.length,
    firstErrors: errors.slice(0, 3),
    ...summary(latencies),
  };
}

/**
 * Open loop: an order starts every 1/rate s whatever the others are doing, for `seconds`; each one's latency runs
 * from the moment it was scheduled, so a generator or server that falls behind shows in the latency instead of
 * hiding it (no coordinated omission). Sessions come from a pool made before the window.
 */
async function openLoop({ rate, seconds }) {
  const tokens = sessions;
  const total = Math.max(1, Math.round(rate * seconds));
  const intervalMs = 1000 / rate;
  const latencies = [];
  const errors = [];
  let polls = 0;
  let inFlight = 0;
  let maxInFlight = 0;
  let maxStartLagMs = 0;
  const running = [];
  const started = performance.now();
  for (let i = 0; i < total; i++) {
    const scheduled = started + i * intervalMs;
    const wait = scheduled - performance.now();
    if (wait > 1) await sleep(wait);
    maxStartLagMs = Math.max(maxStartLagMs, performance.now() - scheduled);
    inFlight += 1;
    maxInFlight = Math.max(maxInFlight, inFlight);
    running.push(
      payOneOrder(tokens[i % tokens.length]).then(
        (n) => {
          polls += n;
          latencies.push(performance.now() - scheduled);
          inFlight -= 1;
        },
        (error) => {
          errors.push(errorText(error));
          inFlight -= 1;
        },
      ),
    );
  }
  await Promise.all(running);
  const elapsed = (performance.now() - started) / 1000;
  return {
    rate,
    scheduled: total,
    orders: latencies.length,
    seconds: elapsed,
    ordersPerSecond: latencies.length / elapsed,
    pollsPerOrder: polls / Math.max(1, latencies.length),
    maxInFlight,
    maxStartLagMs,
    errors: errors.length,
    firstErrors: errors.slice(0, 3),
    ...summary(latencies),
  };
}

let prepared = [];

/**
 * The notifications of `orders` orders made PAYING through the merchant's API (the merchant asked the sandbox to
 * `pay`, nobody completes them), or of the `payments` given (`{ paymentId, paymentRequestId, amount }` each, made up
 * by a server that has no API for it), signed here with the wallet's key before the timed window.
 */
async function prepareNotifications({ orders, payments }) {
  const paying = payments ?? (await payingOrders(orders));
  prepared = notificationQueue(paying);
  return { orderIds: paying.map((p) => p.orderId), unique: paying.length, duplicates: prepared.length - paying.length };
}

/** `count` orders made PAYING through the API, as `{ orderId, paymentId, paymentRequestId, amount }`. */
async function payingOrders(count) {
  const token = await newSession();
  const paying = new Array(count);
  let next = 0;
  await Promise.all(
    Array.from({ length: 8 }, async () => {
      for (let i = next++; i < count; i = next++) {
        const { body: order } = await call(merchant, 'POST', '/api/orders', {
          token,
          body: JSON.stringify({ items: [{ productId: 'sticker-pack', quantity: 1 }] }),
        });
        const { body: payment } = await call(merchant, 'POST', `/api/orders/${order.id}/payment`, { token });
        const { body: view } = await call(sandbox, 'GET', `/sandbox/payments/${payment.paymentId}`);
        paying[i] = {
          orderId: order.id,
          paymentId: payment.paymentId,
          paymentRequestId: view.paymentRequestId,
          amount: order.amount,
        };
      }
    }),
  );
  return paying;
}

/** Each payment's successful notification, signed as the wallet signs it; 10% of them queued twice, shuffled. */
function notificationQueue(payments) {
  const signed = payments.map(({ paymentId, paymentRequestId, amount }) => {
    const body = JSON.stringify({
      paymentId,
      paymentRequestId,
      paymentResult: { resultStatus: 'S', resultCode: 'SUCCESS', resultMessage: 'success' },
      paymentAmount: amount,
      paymentTime: new Date().toISOString().replace('Z', '+00:00'),
    });
    const headers = signRequest({ path: NOTIFY_PATH, clientId: dev.clientId, body, privateKey: dev.walletPrivateKey });
    return { body, headers };
  });
  const duplicates = Math.round(signed.length * 0.1);
  const queue = [...signed];
  for (let i = 0; i < duplicates; i++) queue.push(signed[Math.floor(Math.random() * signed.length)]);
  for (let i = queue.length - 1; i > 0; i--) {
    const j = Math.floor(Math.random() * (i + 1));
    [queue[i], queue[j]] = [queue[j], queue[i]];
  }
  return queue;
}

/** Posts every prepared notification to the merchant (or `url`), `senders` at a time, as fast as it acknowledges them. */
async function sendNotifications({ senders, url }) {
  const target = url === undefined ? merchant : new URL(url);
  const queue = prepared;
  prepared = [];
  const sent = queue.length;
  let acknowledged = 0;
  const refusals = [];
  const started = performance.now();
  await Promise.all(
    Array.from({ length: senders }, async () => {
      for (let item = queue.pop(); item !== undefined; item = queue.pop()) {
        try {
          const { text } = await call(target, 'POST', NOTIFY_PATH, { headers: item.headers, body: item.body });
          if (text.includes('"resultStatus":"S"')) acknowledged += 1;
          else refusals.push(text.slice(0, 200));
        } catch (error) {
          refusals.push(errorText(error));
        }
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  return {
    sent,
    senders,
    seconds,
    perSecond: sent / seconds,
    acknowledged,
    refused: refusals.length,
    firstRefusals: refusals.slice(0, 3),
  };
}

/** Runs a command and adds the CPU time this process took for it (the load's own share of the machine). */
async function measured(command, message) {
  const cpu = process.cpuUsage();
  const figures = await command(message);
  const used = process.cpuUsage(cpu);
  return { ...figures, loadCpuSeconds: (used.user + used.system) / 1e6, loadPid: process.pid };
}

const commands = {
  ready: async () => ({}),
  sessions: makeSessions,
  closed: closedLoop,
  open: openLoop,
  'prepare-notifications': prepareNotifications,
  notifications: sendNotifications,
};

process.on('message', (message) => {
  const command = commands[message?.type];
  if (message?.type === 'stop') {
    agent.destroy();
    process.disconnect();
    return;
  }
  if (!command) {
    process.send({ type: 'error', message: `unknown command ${JSON.stringify(message?.type)}` });
    return;
  }
  measured(command, message).then(
    (figures) => process.send({ type: message.type, ...figures }),
    (error) => process.send({ type: 'error', message: errorText(error) }),
  );
});
