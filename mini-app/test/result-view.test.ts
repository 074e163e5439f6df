import type { Order, OrderStatus } from '@minipay/contract';
import { en, es } from '../src/i18n/strings';
import { resultKind, resultView } from '../src/logic/result-view';

function order(status: OrderStatus, extra: Partial<Order> = {}): Order {
  return {
    id: 'ord_1',
    status,
    amount: { currency: 'USD', value: '975' },
    items: [],
    payee: { name: 'Minipay Demo Shop' },
    createdAt: '2026-01-01T00:00:00Z',
    updatedAt: '2026-01-01T00:00:00Z',
    expiresAt: '2026-01-01T00:15:00Z',
    ...extra,
  };
}

test.each([
  ['PAID', 'paid'],
  ['FAILED', 'failed'],
  ['CANCELLED', 'cancelled'],
  ['EXPIRED', 'cancelled'],
  ['CREATED', 'pending'],
  ['PAYING', 'pending'],
] as const)('server status %s is shown as %s', (status, kind) => {
  expect(resultKind(status)).toBe(kind);
  expect(resultView(order(status), en, 'en').kind).toBe(kind);
});

test('paid names the order and the amount', () => {
  expect(resultView(order('PAID'), en, 'en')).toEqual({
    kind: 'paid',
    icon: 'success',
    title: 'Payment successful',
    message: 'Order ord_1 is paid: USD 9.75.',
    canCheckAgain: false,
  });
});

test('failed shows the reason (in the user language for a known code), or says so plainly when there is none', () => {
  const failed = order('FAILED', {
    failReason: { code: 'USER_BALANCE_NOT_ENOUGH', message: 'The user balance is not enough.' },
  });
  expect(resultView(failed, en, 'en').message).toBe('The payment did not go through: Your balance is not enough.');
  expect(resultView(failed, es, 'es').message).toBe('El pago no se completó: Tu saldo no es suficiente.');
  expect(
    resultView(order('FAILED', { failReason: { code: 'NEW_CODE', message: 'The wallet says why.' } }), en, 'en')
      .message,
  ).toBe('The payment did not go through: The wallet says why.');
  expect(resultView(order('FAILED', { failReason: { code: 'NEW_CODE', message: '' } }), en, 'en').message).toContain(
    'NEW_CODE',
  );
  expect(resultView(order('FAILED'), en, 'en').message).toBe('The payment did not go through.');
});

test('only pending offers "check again"', () => {
  expect(resultView(order('PAYING'), en, 'en')).toMatchObject({
    icon: 'wait',
    canCheckAgain: true,
    title: 'Payment pending',
  });
  expect(resultView(order('CANCELLED'), en, 'en')).toMatchObject({ icon: 'warning', canCheckAgain: false });
});

test('Spanish strings and amount format', () => {
  expect(resultView(order('PAID'), es, 'es').message).toBe('El pedido ord_1 está pagado: 9,75 USD.');
});
