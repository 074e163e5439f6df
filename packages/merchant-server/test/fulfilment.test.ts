// The fulfilment hook: the merchant's code runs once per event (an order becoming PAID, a refund succeeding), fed by
// the outbox; a hook that throws is called again; and a process killed (SIGKILL, a real child process) between the
// PAID transition and the hook's effect neither loses the event nor repeats it once it is run.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Order as OrderJson } from '@minipay/contract';
import { startNodeProcess, type NodeProcess } from '@minipay/testing';
import type { FulfilmentEvent } from '../src';
import {
  admin,
  call,
  complete,
  createOrder,
  eventually,
  paidOrder,
  readDatabase,
  signIn,
  startPayment,
  startStack,
  type Stack,
} from './helpers';

describe('in process', () => {
  let stack: Stack;
  const events: FulfilmentEvent[] = [];
  let failures = 0;
  beforeAll(async () => {
    stack = await startStack({ noMerchant: true });
  });
  afterAll(() => stack.close());

  test('runs once when an order becomes PAID and once per refund that succeeds, with the order as the customer sees it', async () => {
    const merchant = await stack.startMerchant(
      {},
      {
        fulfilment: (event) => {
          events.push(event);
        },
      },
    );
    let order: OrderJson;
    try {
      const { token } = await signIn(stack, undefined, merchant);
      ({ order } = await paidOrder(stack, token, merchant));
      const paid = await eventually(() => events.find((e) => e.order.id === order.id), 'the order.paid event');
      expect(paid).toMatchObject({ type: 'order.paid', attempt: 1, id: expect.stringMatching(/^evt_\d+$/) });
      expect(paid.order).toMatchObject({ id: order.id, status: 'PAID', amount: order.amount });
      const refunded = await admin(stack, 'POST', `/admin/orders/${order.id}/refunds`, {
        merchant,
        body: { amount: '100' },
      });
      expect(refunded.status).toBe(201);
      const refund = await eventually(
        () => events.find((e) => e.type === 'order.refunded'),
        'the order.refunded event',
      );
      expect(refund.refund).toMatchObject({ id: refunded.body.refund.id, status: 'SUCCEEDED' });
      expect(refund.order.refundedAmount).toEqual({ currency: 'USD', value: '100' });
      // A duplicate notification of the payment changes nothing, so no second event.
      await call(stack.sandbox.url, 'POST', `/sandbox/payments/${order.paymentId ?? paid.order.paymentId}/notify`);
      await stack.sandbox.whenIdle();
    } finally {
      await merchant.close();
    }
    expect(events.filter((e) => e.order.id === order.id).map((e) => e.type)).toEqual(['order.paid', 'order.refunded']);
  });

  test('a hook that throws is called again, with the same event id, until it succeeds', async () => {
    const calls: FulfilmentEvent[] = [];
    const merchant = await stack.startMerchant(
      {},
      {
        fulfilment: (event) => {
          calls.push(event);
          if (calls.length < 3) {
            failures += 1;
            throw new Error('the warehouse is down');
          }
        },
      },
    );
    try {
      const { token } = await signIn(stack, undefined, merchant);
      const { order } = await paidOrder(stack, token, merchant);
      await eventually(() => (calls.length >= 3 ? true : undefined), 'three deliveries', 20_000);
      expect(failures).toBe(2);
      expect(new Set(calls.map((e) => e.id)).size).toBe(1);
      expect(calls.map((e) => e.attempt)).toEqual([1, 2, 3]);
      expect(calls[0]?.order.id).toBe(order.id);
      const outbox = await eventually(() => {
        const row = readDatabase(stack, (db) =>
          db.prepare('SELECT delivered_at, attempts FROM outbox WHERE order_id = ?').get(order.id),
        ) as { delivered_at: number | null; attempts: number };
        return row.delivered_at === null ? undefined : row;
      }, 'the event marked delivered');
      expect(outbox.attempts).toBe(3);
    } finally {
      await merchant.close();
    }
  }, 30_000);
});

describe('across a SIGKILL between the PAID transition and the hook', () => {
  let stack: Stack;
  const children: NodeProcess[] = [];
  beforeAll(async () => {
    stack = await startStack({ noMerchant: true });
  });
  afterAll(async () => {
    for (const child of children) await child.stop('SIGKILL');
    await stack.close();
  });

  const CHILD = join(__dirname, 'fixtures', 'fulfilment-child.cjs');
  const start = async (kill: boolean): Promise<{ process: NodeProcess; url: string }> => {
    const child = await startNodeProcess(CHILD, {
      args: [stack.home, stack.sandbox.url, join(stack.home, 'effects.jsonl')],
      env: { MINIPAY_TEST_KILL_IN_HOOK: kill ? '1' : '0' },
      ready: /fulfilment child listening on (http:\/\/\S+)/,
    });
    children.push(child);
    return { process: child, url: child.ready[1] as string };
  };
  const effects = (): Array<{ id: string; type: string; orderId: string }> => {
    const file = join(stack.home, 'effects.jsonl');
    return existsSync(file)
      ? readFileSync(file, 'utf8')
          .trim()
          .split('\n')
          .filter(Boolean)
          .map((line) => JSON.parse(line))
      : [];
  };

  test('the restarted server runs the hook for the order exactly once', async () => {
    const first = await start(true);
    const merchant = { url: first.url, notifyUrl: `${first.url}/notify/payment`, close: async () => {} };
    const { token } = await signIn(stack, undefined, merchant);
    const order = await createOrder(merchant, token);
    const { paymentId } = await startPayment(merchant, token, order.id);
    await complete(stack, paymentId, 'pay');
    // The notification makes the order PAID; the hook then kills the process before its effect.
    expect(await first.process.exited).toBeNull();
    expect(first.process.child.signalCode).toBe('SIGKILL');
    const row = readDatabase(stack, (db) => db.prepare('SELECT status FROM orders WHERE id = ?').get(order.id)) as {
      status: string;
    };
    expect(row.status).toBe('PAID');
    expect(effects()).toEqual([]);

    // The next start finds the event undelivered in the outbox and runs the hook.
    const second = await start(false);
    const done = await eventually(() => (effects().length > 0 ? effects() : undefined), 'the hook after the restart');
    expect(done).toEqual([
      { id: expect.stringMatching(/^evt_/), type: 'order.paid', orderId: order.id, pid: second.process.child.pid },
    ]);
    await eventually(
      () =>
        (
          readDatabase(stack, (db) =>
            db.prepare('SELECT delivered_at FROM outbox WHERE order_id = ?').get(order.id),
          ) as { delivered_at: number | null }
        ).delivered_at !== null
          ? true
          : undefined,
      'the event marked delivered',
    );
    await second.process.stop('SIGKILL');

    // Another start delivers nothing again.
    const third = await start(false);
    await new Promise((resolve) => setTimeout(resolve, 1500));
    expect(effects()).toHaveLength(1);
    await third.process.stop('SIGKILL');
  }, 60_000);
});
