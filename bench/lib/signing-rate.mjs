// The raw signing and verification rate of node:crypto on this machine, every core at once: one worker thread per
// core, each signing (then verifying) a typical `pay` request with RSA-2048 synchronously for the same wall-clock
// window, the rates summed. It is the ceiling of any figure that needs signatures: a paid order needs four, so the
// machine cannot pay more than (this rate / 4) orders per second, whatever the code around the signatures does.
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';

// Runs in each worker: the keys and the message arrive in workerData; the answer is { signs, verifies, seconds }.
const WORKER = `
const { parentPort, workerData } = require('node:worker_threads');
const crypto = require('node:crypto');
const { privatePem, publicPem, message, ms } = workerData;
const privateKey = crypto.createPrivateKey(privatePem);
const publicKey = crypto.createPublicKey(publicPem);
const content = Buffer.from(message);
const signature = crypto.sign('sha256', content, privateKey);
function rate(run) {
  for (let i = 0; i < 20; i++) run();
  let n = 0;
  const started = process.hrtime.bigint();
  const deadline = started + BigInt(ms) * 1000000n;
  let now = started;
  while (now < deadline) {
    run();
    n++;
    now = process.hrtime.bigint();
  }
  return n / (Number(now - started) / 1e9);
}
parentPort.once('message', () => {
  const signs = rate(() => crypto.sign('sha256', content, privateKey));
  parentPort.once('message', () => {
    const verifies = rate(() => crypto.verify('sha256', content, publicKey, signature));
    parentPort.postMessage({ signs, verifies });
  });
  parentPort.postMessage({ phase: 'signed' });
});
`;

/** What a merchant signs for `pay`, at its real size (the content string the signature covers). */
export function typicalPayContent(clientId) {
  const time = '2026-11-21T21:30:00.000+00:00';
  const body = JSON.stringify({
    paymentRequestId: 'pr_0123456789abcdef0123456789abcdef',
    paymentAmount: { currency: 'USD', value: '2750' },
    order: {
      referenceOrderId: 'ord_AbCdEfGhIjKlMnOp',
      orderDescription: 'Single-origin coffee beans, 2 × Dot-grid notebook',
      orderAmount: { currency: 'USD', value: '2750' },
      orderCreateTime: time,
      merchant: { merchantName: 'Minipay Demo Shop' },
      buyer: { referenceBuyerId: 'SBXCUST0001' },
    },
    paymentExpiryTime: '2026-11-21T21:45:00.000+00:00',
    paymentNotifyUrl: 'http://127.0.0.1:8200/notify/payment',
    customerId: 'SBXCUST0001',
  });
  return `POST /api/open/v2/payments/pay\n${clientId}.${time}.${body}`;
}

/**
 * Signs (then verifies) on `threads` threads at once for `ms` each and sums the rates.
 * @returns {{ threads: number, signsPerSecond: number, verifiesPerSecond: number, perThread: object[] }}
 */
export async function measureSigningRate({
  privatePem,
  publicPem,
  message,
  ms = 2000,
  threads = availableParallelism(),
}) {
  const workers = Array.from(
    { length: threads },
    () => new Worker(WORKER, { eval: true, workerData: { privatePem, publicPem, message, ms } }),
  );
  try {
    const next = (worker) =>
      new Promise((resolve, reject) => {
        worker.once('message', resolve);
        worker.once('error', reject);
      });
    // Both phases start together on every thread, so that they share the machine the way a busy server would.
    let answers = workers.map(next);
    for (const worker of workers) worker.postMessage('sign');
    await Promise.all(answers);
    answers = workers.map(next);
    for (const worker of workers) worker.postMessage('verify');
    const perThread = await Promise.all(answers);
    return {
      threads,
      signsPerSecond: perThread.reduce((sum, r) => sum + r.signs, 0),
      verifiesPerSecond: perThread.reduce((sum, r) => sum + r.verifies, 0),
      perThread: perThread.map((r) => ({ signs: Math.round(r.signs), verifies: Math.round(r.verifies) })),
    };
  } finally {
    await Promise.all(workers.map((worker) => worker.terminate()));
  }
}
