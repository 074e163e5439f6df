// The reconciler's fairness: each run takes one page of stale PAYING orders and the next run goes on from there,
// so orders the wallet never resolves cannot starve the others (a real SQLite file; the inquirer is a recorder).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyBaseLogger } from 'fastify';
import { SqliteStorage, type OrderRecord } from '../src';
import type { Inquirer } from '../src/inquirer';
import { Reconciler } from '../src/reconciler';

test('with more stale PAYING orders than a batch, successive runs ask about every one of them, round-robin', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'minipay-reconciler-'));
  const storage = SqliteStorage.open(join(dir, 'merchant.db'));
  try {
    for (let i = 1; i <= 5; i += 1) {
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
    // The wallet never resolves any of them: every inquiry leaves the order PAYING.
    const asked: string[] = [];
    const inquirer: Pick<Inquirer, 'refresh' | 'staleBefore'> = {
      refresh: async (order: OrderRecord) => {
        asked.push(order.id);
        return order;
      },
      staleBefore: () => 1_000 - 100,
    };
    const reconciler = new Reconciler({
      storage,
      inquirer,
      log: { error: () => undefined } as unknown as FastifyBaseLogger,
      clock: () => 1_000,
      intervalMs: 3_600_000,
      batchSize: 2,
      concurrency: 1,
    });
    const runs: string[][] = [];
    for (let run = 0; run < 4; run += 1) {
      asked.length = 0;
      await reconciler.runOnce();
      runs.push([...asked]);
    }
    expect(runs).toEqual([['ord_1', 'ord_2'], ['ord_3', 'ord_4'], ['ord_5'], ['ord_1', 'ord_2']]);
  } finally {
    await storage.close();
    rmSync(dir, { recursive: true, force: true });
  }
});
