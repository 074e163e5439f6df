// The payment jobs on their own: starting a payment answers one of five values, and the inquirer owns the one
// "refresh if stale" rule with its de-duplication and rate limit. On both storages (a real SQLite file, a real
// PostgreSQL server); the wallet is a scripted WalletApi (the server's own injection point), because these are the
// wallet's answers the sandbox cannot give on demand (a U to pay, a pay accepted without a cashier URL, another
// paymentId for the same request).
import type { FastifyBaseLogger } from 'fastify';
import type { InquiryPaymentResponse, OpenApiResult, PayResponse } from '@minipay/openapi';
import type { OrderRecord, Storage, WalletApi } from '../src';
import { Inquirer } from '../src/inquirer';
import { PaymentStarter, type PaymentStartResult } from '../src/payment-start';
import { Settlement } from '../src/settlement';
import { describeEachStorage } from './storages';

const log = new Proxy(
  {},
  { get: (_target, name) => (name === 'child' ? () => log : () => undefined) },
) as FastifyBaseLogger;

interface Script {
  pay: Array<() => Promise<OpenApiResult<PayResponse>>>;
  inquiry: Array<() => Promise<OpenApiResult<InquiryPaymentResponse>>>;
}

function result<T>(
  status: 'S' | 'A' | 'U' | 'F',
  data: Partial<T>,
  code = status === 'F' ? 'RISK_REJECT' : 'SUCCESS',
): OpenApiResult<T> {
  return { status, code, message: status === 'F' ? 'refused' : '', data: data as T };
}

const accepted =
  (paymentId = 'P1') =>
  async () =>
    result<PayResponse>('A', {
      paymentId,
      redirectActionForm: { redirectionUrl: `https://wallet.example/cashier/${paymentId}` },
    });

describeEachStorage('payments', (factory) => {
  let storage: Storage;
  let now: number;
  let script: Script;
  let calls: { pay: number; inquiry: number };
  let starter: PaymentStarter;
  let inquirer: Inquirer;

  beforeEach(async () => {
    storage = await (await factory.database()).open();
    now = 1_000_000;
    script = { pay: [], inquiry: [] };
    calls = { pay: 0, inquiry: 0 };
    const wallet: WalletApi = {
      pay: () => {
        calls.pay += 1;
        const next = script.pay.shift();
        if (!next) throw new Error('no pay scripted');
        return next();
      },
      inquiryPayment: () => {
        calls.inquiry += 1;
        const next = script.inquiry.shift();
        if (!next) throw new Error('no inquiry scripted');
        return next();
      },
      applyToken: () => Promise.reject(new Error('not used')),
      refund: () => Promise.reject(new Error('not used')),
      cancelPayment: () => Promise.reject(new Error('not used')),
    };
    const clock = () => now;
    const settlement = new Settlement({ storage, log, clock });
    inquirer = new Inquirer({
      storage,
      wallet,
      settlement,
      log,
      clock,
      reconcileAfterMs: 60_000,
      minIntervalMs: 5_000,
      leaseMs: 15_000,
    });
    starter = new PaymentStarter({
      storage,
      wallet,
      settlement,
      inquirer,
      log,
      clock,
      notifyUrl: () => 'https://shop.example/notify/payment',
      merchantName: 'Shop',
    });
  });

  afterEach(async () => {
    await storage.close();
  });

  async function newOrder(id = 'ord_1'): Promise<OrderRecord> {
    await storage.createOrder({
      id,
      customerId: 'C1',
      currency: 'USD',
      amount: 3200,
      lines: [{ productId: 'p', name: 'P', quantity: 1, unitPrice: 3200, lineTotal: 3200 }],
      createdAt: now,
      expiresAt: now + 900_000,
    });
    return (await storage.getOrder(id)) as OrderRecord;
  }

  const read = async (id = 'ord_1') => (await storage.getOrder(id)) as OrderRecord;

  describe('starting a payment answers a value for every case', () => {
    test.each<[string, Script['pay'], PaymentStartResult, string]>([
      [
        'accepted → started',
        [accepted()],
        { status: 'started', paymentUrl: 'https://wallet.example/cashier/P1', paymentId: 'P1' },
        'PAYING',
      ],
      [
        'F → refused, the order FAILED',
        [async () => result<PayResponse>('F', {})],
        { status: 'refused', code: 'RISK_REJECT', message: 'refused', orderFailed: true },
        'FAILED',
      ],
      [
        'U → pending (unknown), the order stays PAYING',
        [async () => result<PayResponse>('U', {}, 'UNKNOWN_EXCEPTION')],
        { status: 'pending', reason: 'unknown' },
        'PAYING',
      ],
      [
        'no answer → pending (no-answer)',
        [() => Promise.reject(new Error('ECONNREFUSED'))],
        { status: 'pending', reason: 'no-answer' },
        'PAYING',
      ],
      [
        'accepted without a cashier URL → pending (no-cashier-url)',
        [async () => result<PayResponse>('A', { paymentId: 'P1' })],
        { status: 'pending', reason: 'no-cashier-url' },
        'PAYING',
      ],
    ])('%s', async (_name, pay, expected, status) => {
      script.pay = pay;
      expect(await starter.start(await newOrder())).toEqual(expected);
      expect((await read()).status).toBe(status);
    });

    test('a retry reuses the one paymentRequestId; a second payment id for it is pending (inconsistent), not used', async () => {
      script.pay = [accepted('P1'), accepted('P2')];
      await starter.start(await newOrder());
      const first = await read();
      expect(await starter.start(first)).toEqual({ status: 'pending', reason: 'inconsistent' });
      expect(await read()).toMatchObject({ paymentRequestId: first.paymentRequestId, paymentId: 'P1' });
    });

    test('a refusal on retry of an accepted payment does not fail the order: refused (not failed), and the wallet is asked', async () => {
      script.pay = [accepted('P1'), async () => result<PayResponse>('F', {}, 'REPEAT_REQ_INCONSISTENT')];
      script.inquiry = [async () => result<InquiryPaymentResponse>('S', { paymentStatus: 'PROCESSING' })];
      await starter.start(await newOrder());
      expect(await starter.start(await read())).toMatchObject({
        status: 'refused',
        code: 'REPEAT_REQ_INCONSISTENT',
        orderFailed: false,
      });
      expect(calls.inquiry).toBe(1);
      expect((await read()).status).toBe('PAYING');
    });

    test('a final order is not payable; a PAYING order past its expiry is expired (and asked about)', async () => {
      script.pay = [async () => result<PayResponse>('F', {})];
      await starter.start(await newOrder());
      expect(await starter.start(await read())).toEqual({ status: 'not-payable', orderStatus: 'FAILED' });

      script.pay = [accepted('P9')];
      await starter.start(await newOrder('ord_2'));
      now += 900_000;
      script.inquiry = [async () => result<InquiryPaymentResponse>('S', { paymentStatus: 'CANCELLED' })];
      expect(await starter.start(await read('ord_2'))).toEqual({ status: 'expired' });
      await inquirer.whenIdle();
      expect((await read('ord_2')).status).toBe('EXPIRED');
    });

    test('a CREATED order past its expiry is expired first: not payable, and the wallet never hears of it', async () => {
      const order = await newOrder();
      now += 900_000;
      expect(await starter.start(order)).toEqual({ status: 'not-payable', orderStatus: 'EXPIRED' });
      expect(calls.pay).toBe(0);
    });
  });

  describe('the inquirer', () => {
    async function payingOrder(): Promise<OrderRecord> {
      script.pay = [accepted()];
      await starter.start(await newOrder());
      return read();
    }

    test('leaves a PAYING order alone until it is stale (PAYING longer than reconcileAfterMs)', async () => {
      const order = await payingOrder();
      now += 60_000;
      expect(inquirer.isStale(order)).toBe(false);
      expect(await inquirer.refresh(order)).toBe(order);
      expect(calls.inquiry).toBe(0);
      now += 1;
      expect(inquirer.isStale(order)).toBe(true);
    });

    test('asks once for any number of concurrent callers, and applies the answer', async () => {
      const order = await payingOrder();
      now += 60_001;
      let answer!: () => void;
      const gate = new Promise<void>((resolve) => (answer = resolve));
      script.inquiry = [
        async () => {
          await gate;
          return result<InquiryPaymentResponse>('S', { paymentStatus: 'SUCCESS' });
        },
      ];
      const reads = [inquirer.refresh(order), inquirer.refresh(order), inquirer.inquire(order)];
      answer();
      const after = await Promise.all(reads);
      expect(calls.inquiry).toBe(1);
      expect(after.map((o) => o.status)).toEqual(['PAID', 'PAID', 'PAID']);
    });

    test('asks about one order at most once per minIntervalMs; inquire() asks regardless', async () => {
      const order = await payingOrder();
      now += 60_001;
      script.inquiry = [1, 2, 3].map(
        () => async () => result<InquiryPaymentResponse>('S', { paymentStatus: 'PROCESSING' }),
      );
      await inquirer.refresh(order);
      now += 4_999;
      await inquirer.refresh(order);
      expect(calls.inquiry).toBe(1);
      now += 1;
      await inquirer.refresh(order);
      expect(calls.inquiry).toBe(2);
      await inquirer.inquire(order);
      expect(calls.inquiry).toBe(3);
    });

    test('with waitMs, answers with what is known when the wallet is slow; the answer is applied later', async () => {
      const order = await payingOrder();
      now += 60_001;
      let answer!: () => void;
      const gate = new Promise<void>((resolve) => (answer = resolve));
      script.inquiry = [
        async () => {
          await gate;
          return result<InquiryPaymentResponse>('S', {
            paymentStatus: 'FAIL',
            paymentFailReason: { resultCode: 'USER_BALANCE_NOT_ENOUGH' },
          });
        },
      ];
      expect((await inquirer.refresh(order, { waitMs: 10 })).status).toBe('PAYING');
      answer();
      await inquirer.whenIdle();
      expect(await read()).toMatchObject({ status: 'FAILED', failCode: 'USER_BALANCE_NOT_ENOUGH' });
    });

    test('expires a CREATED order past its expiry, asking nobody', async () => {
      const order = await newOrder();
      now += 900_000;
      expect((await inquirer.refresh(order)).status).toBe('EXPIRED');
      expect(calls.inquiry).toBe(0);
    });

    test('a wallet that does not answer leaves the order PAYING; nothing is thrown', async () => {
      const order = await payingOrder();
      now += 60_001;
      script.inquiry = [() => Promise.reject(new Error('ETIMEDOUT'))];
      expect((await inquirer.refresh(order)).status).toBe('PAYING');
    });
  });
});
