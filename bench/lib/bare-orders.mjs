// What a paid order costs with nothing but the work itself: the bare merchant (bare-merchant-server.mjs) and the bare
// wallet (bare-wallet-server.mjs), each in its own process, driven by a load generator of their own (the same
// module and closed loop as the real pair's: session once per worker, order, payment, the cashier's `pay`, reads
// until PAID). Both do every signature and verification of the protocol in libuv's pool and every commit an order
// needs durably, and nothing else. Next to the signing bound it says how far a correct merchant and wallet get on
// this machine at all, so that the real pair's figure can be read against it as well as against the bound.
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startWorker } from './processes.mjs';

const merchantModule = fileURLToPath(new URL('./bare-merchant-server.mjs', import.meta.url));
const walletModule = fileURLToPath(new URL('./bare-wallet-server.mjs', import.meta.url));
const loadModule = fileURLToPath(new URL('./load-generator.mjs', import.meta.url));
/** How long the wallet may take to have every notification acknowledged once the load stopped. */
const DRAIN_MS = 10_000;

/**
 * @param {{ dev: object, home: string, scratch: string, products: object[], workers: number[],
 *   warmupSeconds: number, closedSeconds: number }} options  `dev` the dev home's keys and client id; `products` the
 *   real merchant's catalogue (GET /api/products), so both pairs price the same orders
 * @returns {Promise<{ workers: object[], best: object, paid: number, notified: number, failedAttempts: number }>} each
 *   timed step of the closed loop with what one of its orders cost each process (`merchantCpuMs`, `walletCpuMs`,
 *   `loadCpuMs`, `merchantRequests`, `walletRequests`), the best step, and the orders paid and notified in all
 */
export async function measureBareOrders({ dev, home, scratch, products, workers, warmupSeconds, closedSeconds }) {
  const parts = [];
  try {
    // Each bare server in its own process, started with its part of the keys and a database file of its own.
    const start = async (role, module, settings) => {
      const part = await startWorker({ name: `bare ${role}`, module, logFile: join(scratch, `bare-${role}.log`) });
      parts.push(part);
      const { url } = await part.request({
        type: 'start',
        databasePath: join(scratch, `bare-${role}.db`),
        ...settings,
      });
      return { part, url };
    };
    const { part: wallet, url: walletUrl } = await start('wallet', walletModule, {
      merchantPublicKey: dev.merchantPublicKey,
      walletPrivateKey: dev.walletPrivateKey,
    });
    const { part: merchant, url: merchantUrl } = await start('merchant', merchantModule, {
      clientId: dev.clientId,
      walletUrl,
      products,
      walletPublicKey: dev.walletPublicKey,
      merchantPrivateKey: dev.merchantPrivateKey,
    });
    const load = await startWorker({
      name: 'bare load',
      module: loadModule,
      env: { MINIPAY_HOME: home, MINIPAY_BENCH_MERCHANT_URL: merchantUrl, MINIPAY_BENCH_SANDBOX_URL: walletUrl },
      logFile: join(scratch, 'bare-load.log'),
    });
    parts.push(load);

    await load.request({ type: 'sessions', count: Math.max(...workers) });
    const warmup = await load.request({ type: 'closed', workers: 4, seconds: warmupSeconds });
    const steps = [];
    for (const count of workers) {
      const [merchantBefore, walletBefore] = await counters(merchant, wallet);
      const step = await load.request({ type: 'closed', workers: count, seconds: closedSeconds });
      const [merchantAfter, walletAfter] = await counters(merchant, wallet);
      const per = (n) => n / Math.max(1, step.orders);
      const cpuMs = (after, before) => per(after.user + after.system - before.user - before.system) / 1000;
      steps.push({
        ...step,
        merchantCpuMs: cpuMs(merchantAfter.cpu, merchantBefore.cpu),
        walletCpuMs: cpuMs(walletAfter.cpu, walletBefore.cpu),
        loadCpuMs: per(step.loadCpuSeconds * 1000),
        merchantRequests: per(merchantAfter.requests - merchantBefore.requests),
        walletRequests: per(walletAfter.requests - walletBefore.requests),
      });
    }
    const best = steps.reduce((a, b) => (b.ordersPerSecond > a.ordersPerSecond ? b : a));

    // Every order the load saw PAID was paid at the wallet, and each one's notification gets acknowledged.
    const deadline = Date.now() + DRAIN_MS;
    let walletState = await wallet.request({ type: 'check' });
    while (walletState.pending > 0 && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 50));
      walletState = await wallet.request({ type: 'check' });
    }
    const merchantState = await merchant.request({ type: 'check' });
    const closed = [warmup, ...steps];
    const ordered = closed.reduce((sum, step) => sum + step.orders, 0);
    const failures = closed.filter((step) => step.errors > 0).map((step) => step.firstErrors.join('; '));
    if (merchantState.paid !== ordered || walletState.succeeded !== ordered || walletState.notified !== ordered)
      failures.push(
        `${ordered} orders seen PAID by the load, ${merchantState.paid} PAID at the merchant, ${walletState.succeeded} paid ` +
          `at the wallet, ${walletState.notified} notifications acknowledged`,
      );
    if (failures.length > 0) throw new Error(`the bare pair went wrong: ${failures.join('; ')}`);
    return {
      workers: steps,
      best,
      paid: merchantState.paid,
      notified: walletState.notified,
      failedAttempts: walletState.failedAttempts,
    };
  } finally {
    for (const part of parts.reverse()) await part.stop();
  }
}

async function counters(...parts) {
  return Promise.all(
    parts.map(async (part) => {
      const [cpu, state] = await Promise.all([part.request({ type: 'cpu' }), part.request({ type: 'check' })]);
      return { cpu, requests: state.requests };
    }),
  );
}
