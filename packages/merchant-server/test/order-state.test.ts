import { ORDER_STATUSES, type OrderStatus } from '@minipay/contract';
import { canTransition, isFinal, sourcesOf } from '../src/order-state';

const ALLOWED: Array<[OrderStatus, OrderStatus]> = [
  ['CREATED', 'PAYING'],
  ['CREATED', 'EXPIRED'],
  ['CREATED', 'CANCELLED'],
  ['PAYING', 'PAID'],
  ['PAYING', 'FAILED'],
  ['PAYING', 'CANCELLED'],
  ['PAYING', 'EXPIRED'],
];

describe('the order state machine', () => {
  const pairs = ORDER_STATUSES.flatMap((from) => ORDER_STATUSES.map((to): [OrderStatus, OrderStatus] => [from, to]));
  test.each(pairs)('%s → %s is allowed only if it is in the table', (from, to) => {
    const expected = ALLOWED.some(([f, t]) => f === from && t === to);
    expect(canTransition(from, to)).toBe(expected);
  });

  test('the final statuses are PAID, FAILED, CANCELLED and EXPIRED', () => {
    expect(ORDER_STATUSES.filter(isFinal)).toEqual(['PAID', 'FAILED', 'CANCELLED', 'EXPIRED']);
  });

  test('a final status is reached only from PAYING, except EXPIRED and CANCELLED, which a never-paid order reaches too', () => {
    expect(sourcesOf('PAID')).toEqual(['PAYING']);
    expect(sourcesOf('EXPIRED')).toEqual(['CREATED', 'PAYING']);
    // The operator's cancel of an order nobody started paying for.
    expect(sourcesOf('CANCELLED')).toEqual(['CREATED', 'PAYING']);
    expect(sourcesOf('CREATED')).toEqual([]);
  });
});
