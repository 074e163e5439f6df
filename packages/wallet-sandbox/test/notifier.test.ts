// The notifier on its own: an attempt whose sending throws (here: a wallet key that does not parse, so signing
// fails) is recorded as an error and retried on the schedule; the notification never stays `sending`.
import { formatRequestTime } from '@minipay/openapi';
import { Notifier } from '../src/internal/notifier';
import { PaymentBook, type Payment } from '../src/internal/payments';
import { StateStore } from '../src/internal/state-store';
import { payRequest } from './helpers';

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
  await notifier.close();
});
