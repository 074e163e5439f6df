// The merchant server on PostgreSQL with one and two instances behind a round-robin balancer, next to SQLite with
// one (packages/merchant-server/bench/postgres.bench.mjs, the storage's own bench: every part a separate process).
// That script writes its figures as JSON; this entry runs it, measures the raw signing rate of the machine just
// before and after it (the same bound as the orders-sqlite entry: signing / 4 per paid order, 1 sign + 1 verify per
// notification), and makes its rows.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { ensureDevHome } from '@minipay/dev-home';
import { npmFigures } from '../lib/npm-figures.mjs';
import { SIGNATURES_PER_ORDER } from '../lib/production-flow.mjs';
import { measureSigningRate, typicalPayContent } from '../lib/signing-rate.mjs';

const CONFIGURATIONS = ['sqlite1', 'postgres1', 'postgres2'];
const rate = (n) => `${Math.round(n).toLocaleString('en-US')}/s`;
const percent = (ratio) => `${(ratio * 100).toFixed(0)}%`;

/** @type {import('../entries.mjs').BenchEntry} */
export default {
  name: 'merchant-postgres',
  title: 'orders paid and notifications applied on SQLite ×1, PostgreSQL ×1 and ×2 behind a balancer',
  async run(context) {
    const home = join(context.scratch, 'home');
    mkdirSync(home, { recursive: true });
    const dev = await ensureDevHome(home);
    const rateOptions = {
      privatePem: dev.merchantPrivateKey,
      publicPem: dev.merchantPublicKey,
      message: typicalPayContent(dev.clientId),
      ms: context.quick ? 300 : 2000,
    };
    context.log('measuring the raw signing rate ...');
    const before = await measureSigningRate(rateOptions);
    const env = context.quick
      ? { MINIPAY_BENCH_SECONDS: '1', MINIPAY_BENCH_WORKERS: '2', MINIPAY_BENCH_NOTIFICATIONS: '50' }
      : {};
    const figures = npmFigures(
      context,
      'merchant-postgres',
      ['run', 'bench:postgres', '--silent', '-w', '@minipay/merchant-server'],
      env,
    );
    const after = await measureSigningRate(rateOptions);
    const signs = (before.signsPerSecond + after.signsPerSecond) / 2;
    const verifies = (before.verifiesPerSecond + after.verifiesPerSecond) / 2;
    const orderBound = signs / SIGNATURES_PER_ORDER;
    const notificationBound = 1 / (1 / signs + 1 / verifies);
    const signingNote = `raw signing ${rate(before.signsPerSecond)} before, ${rate(after.signsPerSecond)} after, ${before.threads} cores`;
    const rows = [];
    for (const key of CONFIGURATIONS) {
      const r = figures[key];
      rows.push({
        figure: `orders paid end to end, ${r.label} (balancer, ${figures.load.workers} customers)`,
        value: `${r.ordersPerSec.toFixed(1)}/s`,
        bound: `${rate(orderBound)} (signing / ${SIGNATURES_PER_ORDER})`,
        ratio: percent(r.ordersPerSec / orderBound),
        notes: `p50 ${r.orderP50Ms.toFixed(1)} ms, p99 ${r.orderP99Ms.toFixed(1)} ms; ${signingNote}`,
      });
      rows.push({
        figure: `notifications applied, 10% duplicates, ${r.label}`,
        value: `${r.notificationsPerSec.toFixed(0)}/s`,
        bound: `${rate(notificationBound)} (1 sign + 1 verify each)`,
        ratio: percent(r.notificationsPerSec / notificationBound),
        notes: `p50 ${r.notifyP50Ms.toFixed(1)} ms, p99 ${r.notifyP99Ms.toFixed(1)} ms; double transitions ${r.doubleTransitions}`,
      });
    }
    return { rows, details: { ...figures, signing: { before, after } } };
  },
};
