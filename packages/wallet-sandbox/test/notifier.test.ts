// The notifier on its own: an attempt whose sending throws (here: a wallet key that does not parse, so signing
// fails) is recorded as an error and retried on the schedule; the notification never stays `sending`. And `resume`,
// what a restarted sandbox does with a notification it finds scheduled or in flight.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ensureDevHome } from '@minipay/dev-home';
import { formatRequestTime } from '@minipay/openapi';
import { Notifier } from '../src/internal/notifier';
import { PaymentBook, type Payment } from '../src/internal/payments';
import { StateStore } from '../src/internal/state-store';
import { payRequest, startReceiver } from './helpers';

test('a send() that throws is an error attempt, retried, and ends exhausted instead of stuck in sending', async () => {
  const lines: string[] = [];
  const notifier = new Notifier({
    merchantPublicKey: 'unused: no answer ever comes',
    walletPrivateKey: 'not a key at all',
    now: () => new Date(),
    formatTime: formatRequestTime,
    schedule: [10],
    faultsFor: () => ({}),
    log: (line) => lines.push(line),
  });
  try {
    const book = new PaymentBook({
      now: () => new Date(),
      cashierUrl: (id) => `http://127.0.0.1:1/cashier/${id}`,
      formatTime: formatRequestTime,
      onFinal: (payment) => void notifier.start(payment),
      store: StateStore.open(undefined),
    });
    const created = book.create(payRequest({ notifyUrl: 'http://127.0.0.1:9/notify' }), 'CLIENT');
    if (created.kind === 'inconsistent') throw new Error('unexpected');
    const payment: Payment = created.payment;
    book.complete(payment.paymentId, 'pay');
    await notifier.whenIdle();
    expect(payment.notification.state).toBe('exhausted');
    expect(payment.notification.attempts.map((a) => [a.attempt, a.outcome])).toEqual([
      [1, 'error'],
      [2, 'error'],
    ]);
    expect(payment.notification.attempts[0]?.detail).toMatch(/^not sent: the sandbox failed \(privateKey /);
    expect(lines.filter((line) => line.includes('internal error'))).toEqual([]);
  } finally {
    await notifier.close();
  }
});

describe('resume: a restarted sandbox picks up an unfinished notification', () => {
  async function setUp(state: 'scheduled' | 'sending', nextAttemptAt: string | undefined) {
    const dir = mkdtempSync(join(tmpdir(), 'minipay-sandbox-resume-'));
    const home = await ensureDevHome(dir);
    const receiver = await startReceiver(home);
    const store = StateStore.open(undefined);
    const notifier = new Notifier({
      merchantPublicKey: home.merchantPublicKey,
      walletPrivateKey: home.walletPrivateKey,
      now: () => new Date(),
      formatTime: formatRequestTime,
      schedule: [10],
      faultsFor: () => ({}),
      log: () => {},
      onChange: (payment) => store.savePayment(payment),
    });
    const book = new PaymentBook({
      now: () => new Date(),
      cashierUrl: (id) => `http://127.0.0.1:1/cashier/${id}`,
      formatTime: formatRequestTime,
      onFinal: () => {}, // the notification is set up by hand below, as a restart finds it
      store,
    });
    const created = book.create(payRequest({ notifyUrl: receiver.url }), home.clientId);
    const payment = created.payment;
    book.complete(payment.paymentId, 'pay');
    payment.notification = {
      state,
      rounds: 1,
      attempts: [{ attempt: 1, copy: 1, round: 1, at: formatRequestTime(new Date()), outcome: 'error', detail: 'x' }],
      ...(nextAttemptAt ? { nextAttemptAt } : {}),
    };
    return {
      payment,
      notifier,
      receiver,
      close: async () => {
        await notifier.close();
        await receiver.close();
        store.close();
        rmSync(dir, { recursive: true, force: true });
      },
    };
  }

  test('a scheduled attempt whose time has passed goes out at once, as the next attempt of the round', async () => {
    const s = await setUp('scheduled', formatRequestTime(new Date(Date.now() - 60_000)));
    try {
      s.notifier.resume(s.payment);
      await s.notifier.whenIdle();
      expect(s.receiver.received).toHaveLength(1);
      expect(s.payment.notification.state).toBe('delivered');
      expect(s.payment.notification.attempts.map((a) => [a.attempt, a.outcome])).toEqual([
        [1, 'error'],
        [2, 'acknowledged'],
      ]);
    } finally {
      await s.close();
    }
  });

  test('one killed after the acknowledgement was recorded is delivered, not sent again', async () => {
    const s = await setUp('sending', undefined);
    s.payment.notification.attempts.push({
      ...s.payment.notification.attempts[0]!,
      attempt: 2,
      outcome: 'acknowledged',
    });
    try {
      s.notifier.resume(s.payment);
      await s.notifier.whenIdle();
      expect(s.receiver.received).toHaveLength(0);
      expect(s.payment.notification.state).toBe('delivered');
    } finally {
      await s.close();
    }
  });
});
