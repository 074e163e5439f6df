import { FINAL_ORDER_STATUSES, ORDER_STATUSES, isFinalOrderStatus } from '../src';

test('an order is CREATED, PAYING, or final: PAID, FAILED, CANCELLED, EXPIRED', () => {
  expect(ORDER_STATUSES).toEqual(['CREATED', 'PAYING', 'PAID', 'FAILED', 'CANCELLED', 'EXPIRED']);
  expect(ORDER_STATUSES.filter(isFinalOrderStatus)).toEqual([...FINAL_ORDER_STATUSES]);
});
