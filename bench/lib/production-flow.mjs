// The production-shaped bench of a paid order: the merchant server, the wallet sandbox and the load generator each
// in its own OS process, as they are deployed, talking real HTTP on 127.0.0.1 with keep-alive. Its figures:
// - closed loop: N workers, each a whole order after the other (create, pay, the cashier's `pay`, read until PAID);
//   the most orders paid per second over a few N;
// - open loop: orders started at half that rate on a fixed schedule, latency counted from the scheduled start (no
//   coordinated omission): p50, p99, max of a whole order;
// - notifications: orders made PAYING, their notifications signed by the load generator before the timed window,
//   then posted to the merchant alone with 10% duplicates: applied per second, and 0 double transitions;
// - the same notifications to a bare endpoint (bare-notify.mjs: node:http, the pooled checks, one durable SQLite
//   transaction each): what a correct endpoint reaches with nothing else, to read the merchant's figure against;
// - the same closed loop against a bare merchant and a bare wallet (bare-orders.mjs: the same requests, signatures
//   and durable commits, nothing else): what a correct pair reaches, to read the real pair's order figure against;
// each next to its bound measured in the same run: the raw signing rate of node:crypto on every core of this machine
// divided by the signatures the figure needs (4 per paid order across merchant and sandbox; 1 signature and 1
// verification of the merchant per notification), and the ratio.
//
// The storage under the merchant is a parameter, so that another database is one more entry:
/**
 * @typedef {object} BenchStorage
 * @property {string} label   how figures name it, e.g. 'SQLite'
 * @property {(where: { home: string, scratch: string }) => Promise<BenchDatabase>} open  set up an empty database
 *
 * @typedef {object} BenchDatabase
 * @property {Record<string, string>} env  the merchant process's settings for it (e.g. MINIPAY_DATABASE_PATH)
 * @property {(orderIds: string[]) => Promise<{ paid: number, doubleTransitions: number, extraEvents: number }>} check
 *   of these orders: how many are PAID, how many have more than one transition into a final status, and how many
 *   such transitions are too many
 * @property {() => Promise<void>} close  after the merchant stopped
 */
import { mkdirSync, readFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { measureBareNotifications } from './bare-notify.mjs';
import { measureBareOrders } from './bare-orders.mjs';
import { measureHttpFloor } from './http-floor.mjs';
import { measureSigningRate, typicalPayContent } from './signing-rate.mjs';
import { repoRoot, startServer, startWorker } from './processes.mjs';

const here = dirname(fileURLToPath(import.meta.url));

/** Signatures one paid order needs: pay request, pay answer, notification, acknowledgement. */
export const SIGNATURES_PER_ORDER = 4;
/** The issue's targets, printed next to the figures (never asserted by a test). */
const TARGET_RATIO = 0.6;
const TARGET_P99_MS = 50;

/** How long each part runs, full and `--quick` (a test runs the quick one; its figures mean nothing). */
const SHAPES = {
  full: {
    warmupSeconds: 3,
    workers: [4, 8, 16, 32],
    closedSeconds: 6,
    openSeconds: 10,
    notifications: 2000,
    rateMs: 2000,
    floorRequests: 20_000,
  },
  quick: {
    warmupSeconds: 0.5,
    workers: [4],
    closedSeconds: 1.5,
    openSeconds: 1.5,
    notifications: 150,
    rateMs: 300,
    floorRequests: 1_000,
  },
};
const NOTIFICATION_SENDERS = 16;

/**
 * A bench entry (see bench/entries.mjs) for the whole flow with the merchant on `storage`.
 * @param {{ name: string, storage: BenchStorage }} options
 */
export function productionFlowEntry({ name, storage }) {
  return {
    name,
    title: `orders paid and notifications applied, merchant (${storage.label}), sandbox and load in three processes`,
    run: (context) => runFlow(context, storage),
  };
}

async function runFlow(context, storage) {
  const shape = context.quick ? SHAPES.quick : SHAPES.full;
  const { ensureDevHome } = await import('@minipay/dev-home');
  const home = join(context.scratch, 'home');
  mkdirSync(home, { recursive: true });
  const dev = await ensureDevHome(home);
  const database = await storage.open({ home, scratch: context.scratch });
  const parts = [];
  try {
    const sandbox = await startServer({
      name: 'sandbox',
      bin: 'packages/wallet-sandbox/bin/minipay-sandbox.cjs',
      args: ['--port', '0', '--home', home, '--retry-schedule', '200,1000,5000'],
      logFile: join(context.scratch, 'sandbox.log'),
      urlPattern: /dashboard\s+(http:\/\/[^\s/]+)\//,
    });
    parts.push(sandbox);
    const merchant = await startServer({
      name: 'merchant',
      bin: 'packages/merchant-server/bin/minipay-merchant.cjs',
      // JSON log lines, as in production (the readable lines of development parse each JSON line again).
      env: {
        MINIPAY_HOME: home,
        MINIPAY_MERCHANT_PORT: '0',
        MINIPAY_WALLET_URL: sandbox.url,
        MINIPAY_LOG_FORMAT: 'json',
        ...database.env,
      },
      logFile: join(context.scratch, 'merchant.log'),
      urlPattern: /merchant server on (http:\/\/\S+)/,
    });
    parts.push(merchant);
    const load = await startWorker({
      name: 'load',
      module: join(here, 'load-generator.mjs'),
      env: { MINIPAY_HOME: home, MINIPAY_BENCH_MERCHANT_URL: merchant.url, MINIPAY_BENCH_SANDBOX_URL: sandbox.url },
      logFile: join(context.scratch, 'load.log'),
    });
    parts.push(load);
    const servers = { merchant, sandbox };

    // The ceiling, measured while the three processes sit idle (and again at the end: the spread says how quiet
    // the machine was).
    const rateOptions = {
      privatePem: dev.merchantPrivateKey,
      publicPem: dev.merchantPublicKey,
      message: typicalPayContent(dev.clientId),
      ms: shape.rateMs,
    };
    context.log(`measuring the raw signing rate on ${cpus().length} cores ...`);
    const rateBefore = await measureSigningRate(rateOptions);
    context.log('measuring a bare node:http request ...');
    const httpFloor = await measureHttpFloor({ requests: shape.floorRequests });

    await load.request({ type: 'sessions', count: Math.max(...shape.workers, 64) });
    context.log('warming up ...');
    await load.request({ type: 'closed', workers: 4, seconds: shape.warmupSeconds });

    const closed = [];
    for (const workers of shape.workers) {
      const step = await window(servers, () => load.request({ type: 'closed', workers, seconds: shape.closedSeconds }));
      context.log(
        `closed loop, ${workers} workers: ${step.ordersPerSecond.toFixed(1)} orders/s, p99 ${step.p99Ms?.toFixed(1)} ms`,
      );
      closed.push(step);
    }
    const best = closed.reduce((a, b) => (b.ordersPerSecond > a.ordersPerSecond ? b : a));

    const rate = Math.max(1, best.ordersPerSecond / 2);
    const open = await window(servers, () => load.request({ type: 'open', rate, seconds: shape.openSeconds }));
    context.log(
      `open loop at ${rate.toFixed(1)}/s: p50 ${open.p50Ms?.toFixed(1)} ms, p99 ${open.p99Ms?.toFixed(1)} ms`,
    );

    const prepared = await load.request({ type: 'prepare-notifications', orders: shape.notifications });
    const notifications = await window(servers, () =>
      load.request({ type: 'notifications', senders: NOTIFICATION_SENDERS }),
    );
    const applied = await database.check(prepared.orderIds);
    context.log(
      `notifications: ${notifications.perSecond.toFixed(0)}/s, double transitions ${applied.doubleTransitions}`,
    );

    // The same notifications to the bare endpoint, with the load as warm as it was for the merchant's.
    context.log('notifications to a bare endpoint ...');
    const bare = await measureBareNotifications({
      load,
      dev,
      scratch: context.scratch,
      orders: shape.notifications,
      senders: NOTIFICATION_SENDERS,
    });
    context.log(`bare endpoint: ${bare.perSecond.toFixed(0)}/s`);

    // The same orders (the real merchant's catalogue) from a bare merchant and wallet, while the real pair sits idle.
    context.log('orders from a bare merchant and wallet ...');
    const { products } = await (await fetch(`${merchant.url}/api/products`)).json();
    const bareOrders = await measureBareOrders({
      dev,
      home,
      scratch: context.scratch,
      products,
      workers: shape.workers,
      warmupSeconds: shape.warmupSeconds,
      closedSeconds: shape.closedSeconds,
    });
    context.log(`bare pair: ${bareOrders.best.ordersPerSecond.toFixed(1)} orders/s`);

    const rateAfter = await measureSigningRate(rateOptions);
    const signsPerSecond = (rateBefore.signsPerSecond + rateAfter.signsPerSecond) / 2;
    const verifiesPerSecond = (rateBefore.verifiesPerSecond + rateAfter.verifiesPerSecond) / 2;

    const failures = [];
    for (const step of [...closed, open]) {
      if (step.errors > 0) failures.push(`${step.errors} orders failed (${step.firstErrors.join('; ')})`);
    }
    if (applied.doubleTransitions !== 0) failures.push(`${applied.doubleTransitions} orders transitioned twice`);
    if (applied.paid !== prepared.unique) failures.push(`${applied.paid} of ${prepared.unique} notified orders PAID`);
    if (notifications.acknowledged !== notifications.sent) {
      failures.push(
        `${notifications.sent - notifications.acknowledged} notifications not acknowledged S (${notifications.firstRefusals.join('; ')})`,
      );
    }
    if (bare.acknowledged !== bare.sent || bare.paid !== bare.unique || bare.applied !== bare.unique) {
      failures.push(
        `the bare endpoint acknowledged ${bare.acknowledged} of ${bare.sent}, applied ${bare.applied} and made ${bare.paid} PAID of ${bare.unique} (${bare.firstRefusals.join('; ')})`,
      );
    }
    if (failures.length > 0) throw new Error(`the flow went wrong: ${failures.join('; ')}`);

    return figures({
      storage,
      threads: rateBefore.threads,
      signsPerSecond,
      verifiesPerSecond,
      rateBefore,
      rateAfter,
      httpFloor,
      bare,
      bareOrders,
      closed,
      best,
      open,
      notifications,
      prepared,
      applied,
      logBytes: {
        merchant: readFileSync(merchant.logFile).length,
        sandbox: readFileSync(sandbox.logFile).length,
      },
    });
  } finally {
    for (const part of parts.reverse()) await part.stop();
    await database.close();
  }
}

/** Runs `work` (a load command) between a reset and a report of both servers' counters, and joins the figures. */
async function window(servers, work) {
  await Promise.all(Object.values(servers).map((part) => part.request({ type: 'reset' })));
  const figures = await work();
  const [merchant, sandbox] = await Promise.all(
    [servers.merchant, servers.sandbox].map((part) => part.request({ type: 'report' })),
  );
  return { ...figures, merchant, sandbox };
}

const rate = (n) => `${Math.round(n).toLocaleString('en-US')}/s`;
const percent = (ratio) => `${(ratio * 100).toFixed(0)}%`;
const ms = (n) => (n === null || n === undefined ? 'n/a' : `${n.toFixed(1)} ms`);

/** What one order (or notification) cost each process: signatures, requests, CPU. */
function perUnit(step, units) {
  const per = (n) => n / Math.max(1, units);
  return {
    signs: per(step.merchant.sign + step.sandbox.sign),
    verifies: per(step.merchant.verify + step.sandbox.verify),
    merchantRequests: per(step.merchant.requests),
    sandboxRequests: per(step.sandbox.requests),
    merchantConnections: step.merchant.connections,
    sandboxConnections: step.sandbox.connections,
    merchantCpuMs: per(step.merchant.cpuSeconds * 1000),
    sandboxCpuMs: per(step.sandbox.cpuSeconds * 1000),
    loadCpuMs: per(step.loadCpuSeconds * 1000),
    merchantLoop: step.merchant.eventLoopUtilization,
    sandboxLoop: step.sandbox.eventLoopUtilization,
  };
}

function figures(run) {
  const {
    storage,
    threads,
    signsPerSecond,
    verifiesPerSecond,
    best,
    open,
    notifications,
    httpFloor,
    bare,
    bareOrders,
  } = run;
  const orderBound = signsPerSecond / SIGNATURES_PER_ORDER;
  const notificationBound = 1 / (1 / signsPerSecond + 1 / verifiesPerSecond);
  // The least time one order can take: its signatures and verifications one after the other on one core.
  const perThreadSign = signsPerSecond / threads;
  const perThreadVerify = verifiesPerSecond / threads;
  const floorMs = (SIGNATURES_PER_ORDER / perThreadSign + SIGNATURES_PER_ORDER / perThreadVerify) * 1000;
  const bestCost = perUnit(best, best.orders);
  const openCost = perUnit(open, open.orders);
  const notifyCost = perUnit(notifications, notifications.sent);
  const cost = (c) =>
    `per order ${c.signs.toFixed(2)} signs + ${c.verifies.toFixed(2)} verifies; CPU merchant ${c.merchantCpuMs.toFixed(2)} ms, ` +
    `sandbox ${c.sandboxCpuMs.toFixed(2)} ms, load ${c.loadCpuMs.toFixed(2)} ms; ${c.merchantRequests.toFixed(1)} merchant ` +
    `requests (${best.pollsPerOrder.toFixed(1)} reads), new connections in the window: ${c.merchantConnections} to the merchant, ${c.sandboxConnections} to the sandbox (keep-alive)`;
  // The shape's own floor: an order's signatures and verifications plus its requests at the cost of bare node:http
  // (client and server), every core busy; nothing of Fastify, JSON, the database or logging counted.
  const signCpuMs = (threads / signsPerSecond) * 1000;
  const verifyCpuMs = (threads / verifiesPerSecond) * 1000;
  const requestsPerOrder = bestCost.merchantRequests + bestCost.sandboxRequests;
  const shapeFloor = (signs, verifies, requests) => {
    const cpuMs = signs * signCpuMs + verifies * verifyCpuMs + (requests * httpFloor.cpuUs) / 1000;
    return { cpuMs, perSecond: (threads * 1000) / cpuMs };
  };
  const orderShape = shapeFloor(SIGNATURES_PER_ORDER, SIGNATURES_PER_ORDER, requestsPerOrder);
  const notificationShape = shapeFloor(1, 1, 1);
  const label = storage.label;
  const rows = [
    {
      figure: `raw RSA-2048 signing, node:crypto, ${threads} cores`,
      value: `${rate(signsPerSecond)} signs, ${rate(verifiesPerSecond)} verifies`,
      bound: '—',
      ratio: '—',
      notes: `before the flow ${rate(run.rateBefore.signsPerSecond)}, after ${rate(run.rateAfter.signsPerSecond)}; the ceiling of the figures below`,
    },
    {
      figure: 'a bare node:http request, keep-alive, CPU of client + server',
      value: `${httpFloor.cpuUs.toFixed(0)} µs`,
      bound: '—',
      ratio: '—',
      notes:
        `client ${httpFloor.clientCpuUs.toFixed(0)} µs, server ${httpFloor.serverCpuUs.toFixed(0)} µs (${httpFloor.requests.toLocaleString('en-US')} requests, ` +
        `8 in flight). The shape's floor, with nothing but signing and bare HTTP: an order (${requestsPerOrder.toFixed(1)} requests) ` +
        `${orderShape.cpuMs.toFixed(2)} ms of CPU, at most ${rate(orderShape.perSecond)} = ${percent(orderShape.perSecond / orderBound)} of its bound; ` +
        `a notification (1 request) ${notificationShape.cpuMs.toFixed(2)} ms, at most ${rate(notificationShape.perSecond)} = ` +
        `${percent(notificationShape.perSecond / notificationBound)} of its bound`,
    },
    {
      figure: `orders paid end to end, closed loop (${label})`,
      value: `${best.ordersPerSecond.toFixed(1)}/s`,
      bound: `${rate(orderBound)} (signing / ${SIGNATURES_PER_ORDER})`,
      ratio: percent(best.ordersPerSecond / orderBound),
      notes:
        `best of ${run.closed.map((s) => `${s.workers} workers ${s.ordersPerSecond.toFixed(0)}/s`).join(', ')}; ` +
        `p50 ${ms(best.p50Ms)}, p99 ${ms(best.p99Ms)}; ${cost(bestCost)}; target ≥ ${percent(TARGET_RATIO)} of the bound`,
    },
    {
      figure: 'orders paid end to end by a bare merchant and wallet (node:http, pooled signing, durable SQLite)',
      value: `${bareOrders.best.ordersPerSecond.toFixed(1)}/s`,
      bound: `${rate(orderBound)} (signing / ${SIGNATURES_PER_ORDER})`,
      ratio: percent(bareOrders.best.ordersPerSecond / orderBound),
      notes:
        `the same closed loop and orders against a pair doing only the protocol's signatures and checks, the sessions' ` +
        `HMAC and the durable commits (the order, PAYING, the wallet's payment and its SUCCESS, PAID with its record and outbox row, notified); best of ` +
        `${bareOrders.workers.map((s) => `${s.workers} workers ${s.ordersPerSecond.toFixed(0)}/s`).join(', ')}; ` +
        `p50 ${ms(bareOrders.best.p50Ms)}, p99 ${ms(bareOrders.best.p99Ms)}; CPU per order merchant ` +
        `${bareOrders.best.merchantCpuMs.toFixed(2)} ms, wallet ${bareOrders.best.walletCpuMs.toFixed(2)} ms, load ` +
        `${bareOrders.best.loadCpuMs.toFixed(2)} ms; ${bareOrders.best.merchantRequests.toFixed(1)} merchant and ` +
        `${bareOrders.best.walletRequests.toFixed(1)} wallet requests; the real pair's figure is ` +
        `${percent(best.ordersPerSecond / bareOrders.best.ordersPerSecond)} of it`,
    },
    {
      figure: `one order at half that rate, open loop (${label})`,
      value: `p50 ${ms(open.p50Ms)}, p99 ${ms(open.p99Ms)}, max ${ms(open.maxMs)}`,
      bound: `${ms(floorMs)} (${SIGNATURES_PER_ORDER} signs + ${SIGNATURES_PER_ORDER} verifies in series on one core)`,
      ratio: '—',
      notes:
        `${open.orders} orders at ${open.rate.toFixed(1)}/s offered, ${open.ordersPerSecond.toFixed(1)}/s done, ` +
        `latency from the scheduled start; at most ${open.maxInFlight} in flight, starts late by ≤ ${ms(open.maxStartLagMs)}; ` +
        `CPU per order merchant ${openCost.merchantCpuMs.toFixed(2)} ms, sandbox ${openCost.sandboxCpuMs.toFixed(2)} ms; target p99 < ${TARGET_P99_MS} ms`,
    },
    {
      figure: `notifications applied, 10% duplicates (${label})`,
      value: `${notifications.perSecond.toFixed(0)}/s`,
      bound: `${rate(notificationBound)} (1 sign + 1 verify each)`,
      ratio: percent(notifications.perSecond / notificationBound),
      notes:
        `${notifications.sent} sent (${run.prepared.unique} + ${run.prepared.duplicates} duplicates) by ${notifications.senders} senders; ` +
        `double transitions ${run.applied.doubleTransitions}; merchant CPU ${notifyCost.merchantCpuMs.toFixed(2)} ms each, ` +
        `event loop ${percent(notifyCost.merchantLoop)} busy; target ≥ ${percent(TARGET_RATIO)} of the bound`,
    },
    {
      figure: 'notifications applied by a bare endpoint (node:http, pooled verify and sign, one SQLite transaction)',
      value: `${bare.perSecond.toFixed(0)}/s`,
      bound: `${rate(notificationBound)} (1 sign + 1 verify each)`,
      ratio: percent(bare.perSecond / notificationBound),
      notes:
        `the same ${bare.sent} notifications (${bare.unique} + ${bare.sent - bare.unique} duplicates, ${bare.senders} senders) to an endpoint ` +
        `doing only the protocol's checks, a durable conditional PAYING → PAID with its record and outbox row, and the signed ` +
        `acknowledgement; applied ${bare.applied}, duplicates ${bare.duplicates}; CPU ${bare.serverCpuUs.toFixed(0)} µs each, ` +
        `load ${bare.loadCpuUs.toFixed(0)} µs; the merchant's figure is ${percent(notifications.perSecond / bare.perSecond)} of it`,
    },
  ];
  return {
    rows,
    details: {
      signing: { threads, signsPerSecond, verifiesPerSecond, before: run.rateBefore, after: run.rateAfter },
      bounds: { ordersPerSecond: orderBound, notificationsPerSecond: notificationBound, orderFloorMs: floorMs },
      shapeFloor: { httpFloor, order: orderShape, notification: notificationShape },
      bareNotifications: bare,
      bareOrders,
      closed: run.closed,
      open,
      notifications,
      applied: run.applied,
      perOrder: { closed: bestCost, open: openCost },
      perNotification: notifyCost,
      logBytes: run.logBytes,
      repoRoot,
    },
  };
}
