// The reconciler's claims, on both storages: each run asks about the least recently asked stale orders, so orders the
// wallet never resolves cannot starve the others; and reconcilers of two instances on one database never ask about
// the same order. The wallet is a recorder (what it is asked, and a scripted answer).
import type { FastifyBaseLogger } from 'fastify';
import type { InquiryPaymentRequest, InquiryPaymentResponse, OpenApiResult } from '@minipay/openapi';
import type { Storage, WalletApi } from '../src';
import { Inquirer } from '../src/inquirer';
import { Reconciler } from '../src/reconciler';
import { Settlement } from '../src/settlement';
import { describeEachStorage } from './storages';

const log = new Proxy(
  {},
  { get: (_target, name) => (name === 'child' ? () => log : () => undefined) },
) as FastifyBaseLogger;

async function stalePaying(storage: Storage, count: number): Promise<void> {
  for (let i = 1; i <= count; i += 1) {
    const id = `ord_${i}`;
    await storage.createOrder({
      id,
      customerId: 'C',
      currency: 'USD',
      amount: 100,
      lines: [{ productId: 'p', name: 'P', quantity: 1, unitPrice: 100, lineTotal: 100 }],
      createdAt: i,
      expiresAt: 10_000_000,
    });
    await storage.transition({
      orderId: id,
      from: ['CREATED'],
      to: 'PAYING',
      at: i,
      cause: 'payment-started',
      set: { paymentRequestId: `pr_${i}`, payingSince: i },
    });
  }
}

/** A reconciler over `storage` whose wallet records each inquiry (by order) and answers `status`. */
function reconcilerOf(
  storage: Storage,
  clock: () => number,
  asked: string[],
  paymentStatus: 'PROCESSING' | 'SUCCESS',
  options: { batchSize?: number; concurrency?: number } = {},
): Reconciler {
  const wallet: WalletApi = {
    pay: () => Promise.reject(new Error('not used')),
    applyToken: () => Promise.reject(new Error('not used')),
    refund: () => Promise.reject(new Error('not used')),
    cancelPayment: () => Promise.reject(new Error('not used')),
    inquiryPayment: async (request: InquiryPaymentRequest): Promise<OpenApiResult<InquiryPaymentResponse>> => {
      asked.push(String(request.paymentRequestId).replace('pr_', 'ord_'));
      // A wallet that takes a moment: the other instance's reconciler runs meanwhile.
      await new Promise((resolve) => setTimeout(resolve, 5));
      return {
        status: 'S',
        code: 'SUCCESS',
        message: 'success',
        data: { paymentStatus, paymentAmount: { currency: 'USD', value: '100' } } as InquiryPaymentResponse,
      };
    },
  };
  const settlement = new Settlement({ storage, log, clock });
  const inquirer = new Inquirer({
    storage,
    wallet,
    settlement,
    log,
    clock,
    reconcileAfterMs: 100,
    minIntervalMs: 100,
    leaseMs: 15_000,
  });
  return new Reconciler({ storage, inquirer, log, clock, intervalMs: 3_600_000, ...options });
}

describeEachStorage('reconciler', (factory) => {
  test('with more stale PAYING orders than a batch, successive runs ask about every one of them, round-robin', async () => {
    const storage = await (await factory.database()).open();
    try {
      await stalePaying(storage, 5);
      let now = 1_000;
      const asked: string[] = [];
      // The wallet never resolves any of them: every inquiry leaves the order PAYING.
      const reconciler = reconcilerOf(storage, () => now, asked, 'PROCESSING', { batchSize: 2, concurrency: 1 });
      const runs: string[][] = [];
      for (let run = 0; run < 4; run += 1) {
        asked.length = 0;
        await reconciler.runOnce();
        runs.push([...asked]);
        now += 1_000;
      }
      expect(runs).toEqual([
        ['ord_1', 'ord_2'],
        ['ord_3', 'ord_4'],
        ['ord_5', 'ord_1'],
        ['ord_2', 'ord_3'],
      ]);
    } finally {
      await storage.close();
    }
  });

  test('a run asks about each stale order once, even when the rate limit would allow more', async () => {
    const storage = await (await factory.database()).open();
    try {
      await stalePaying(storage, 3);
      const asked: string[] = [];
      let now = 1_000;
      // Each inquiry moves the clock past the rate limit: only "once per run" keeps the run from starting over.
      const reconciler = reconcilerOf(storage, () => (now += 500), asked, 'PROCESSING', { concurrency: 1 });
      await reconciler.runOnce();
      expect(asked.sort()).toEqual(['ord_1', 'ord_2', 'ord_3']);
    } finally {
      await storage.close();
    }
  });

  test('the reconcilers of two instances on one database ask about each stale order exactly once', async () => {
    const database = await factory.database();
    const [first, second] = [await database.open(), await database.open()];
    try {
      await stalePaying(first, 20);
      const asked: string[] = [];
      const clock = () => 1_000;
      await Promise.all([
        reconcilerOf(first, clock, asked, 'SUCCESS').runOnce(),
        reconcilerOf(second, clock, asked, 'SUCCESS').runOnce(),
      ]);
      expect(asked).toHaveLength(20);
      expect(new Set(asked).size).toBe(20);
      const events = await first.listEvents();
      expect(events.filter((e) => e.toStatus === 'PAID')).toHaveLength(20);
    } finally {
      await first.close();
      await second.close();
    }
  });
});
