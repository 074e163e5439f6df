// What applying a notification costs with nothing but the work itself: the bare merchant (bare-merchant-server.mjs:
// node:http, the pooled verification and signing, one durable SQLite transaction) in its own process, fed by the
// bench's load generator exactly as the merchant is (the same signed notifications, 10% duplicates, the same
// senders). Next to the signing bound it says how far a correct notification endpoint gets on this machine at all,
// so the merchant's figure can be read against it as well as against the bound.
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startWorker } from './processes.mjs';

const serverModule = fileURLToPath(new URL('./bare-merchant-server.mjs', import.meta.url));

/**
 * @param {{ load: { request: Function }, dev: { clientId: string, walletPublicKey: string, merchantPrivateKey: string },
 *   scratch: string, orders: number, senders: number }} options
 * @returns the timed pass's figures: the load's (`perSecond`, `sent`, `acknowledged`, ...), the database's (`paid`,
 *   `applied`, `duplicates`, `unique`) and the CPU per notification of the endpoint (`serverCpuUs`) and of the load (`loadCpuUs`)
 */
export async function measureBareNotifications({ load, dev, scratch, orders, senders }) {
  const server = await startWorker({ name: 'bare endpoint', module: serverModule, logFile: join(scratch, 'bare.log') });
  try {
    // A tenth more orders for a warm-up pass before the timed one (the merchant is warm from the orders by then).
    const warmup = Math.max(20, Math.round(orders / 10));
    const { url, payments } = await server.request({
      type: 'start',
      databasePath: join(scratch, 'bare.db'),
      payingOrders: warmup + orders,
      clientId: dev.clientId,
      walletPublicKey: dev.walletPublicKey,
      merchantPrivateKey: dev.merchantPrivateKey,
    });
    await load.request({ type: 'prepare-notifications', payments: payments.slice(0, warmup) });
    await load.request({ type: 'notifications', senders, url });
    const prepared = await load.request({ type: 'prepare-notifications', payments: payments.slice(warmup) });
    const before = await server.request({ type: 'check' });
    const cpuBefore = await server.request({ type: 'cpu' });
    const sent = await load.request({ type: 'notifications', senders, url });
    const cpuAfter = await server.request({ type: 'cpu' });
    const after = await server.request({ type: 'check' });
    const perNotification = (microseconds) => microseconds / Math.max(1, sent.sent);
    return {
      ...sent,
      unique: prepared.unique,
      paid: after.paid - before.paid,
      applied: after.applied - before.applied,
      duplicates: after.duplicates - before.duplicates,
      serverCpuUs: perNotification(cpuAfter.user + cpuAfter.system - cpuBefore.user - cpuBefore.system),
      loadCpuUs: perNotification(sent.loadCpuSeconds * 1e6),
    };
  } finally {
    await server.stop();
  }
}
