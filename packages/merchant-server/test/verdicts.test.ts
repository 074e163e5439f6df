// The verdicts are pure: a message, an order and a time in, a final status (or nothing) out. Table-driven.
import type { InquiryPaymentResponse, OpenApiResult, Result } from '@minipay/openapi';
import { closedStatus, inquiryVerdict, notificationVerdict } from '../src/verdicts';

const order = { expiresAt: 1_000, currency: 'USD', amount: 3200 };
const before = 999;
const after = 1_000;

describe('notificationVerdict', () => {
  test.each<[string, Result | undefined, number, object | undefined]>([
    [
      'S → PAID',
      { resultStatus: 'S', resultCode: 'SUCCESS' },
      before,
      { to: 'PAID', detail: 'notification S SUCCESS' },
    ],
    [
      'F ORDER_IS_CLOSED before expiry → CANCELLED',
      { resultStatus: 'F', resultCode: 'ORDER_IS_CLOSED' },
      before,
      { to: 'CANCELLED' },
    ],
    [
      'F ORDER_IS_CLOSED at expiry → EXPIRED',
      { resultStatus: 'F', resultCode: 'ORDER_IS_CLOSED' },
      after,
      { to: 'EXPIRED' },
    ],
    [
      'another F → FAILED with its reason',
      { resultStatus: 'F', resultCode: 'USER_BALANCE_NOT_ENOUGH', resultMessage: 'Not enough' },
      before,
      { to: 'FAILED', failCode: 'USER_BALANCE_NOT_ENOUGH', failMessage: 'Not enough' },
    ],
    [
      'F without a message → an empty one',
      { resultStatus: 'F', resultCode: 'RISK_REJECT' },
      before,
      { to: 'FAILED', failMessage: '' },
    ],
    ['U → nothing final', { resultStatus: 'U', resultCode: 'UNKNOWN_EXCEPTION' }, before, undefined],
    ['A → nothing final', { resultStatus: 'A', resultCode: 'ACCEPT' }, before, undefined],
    ['no result → nothing final', undefined, before, undefined],
  ])('%s', (_name, result, now, expected) => {
    const verdict = notificationVerdict(result, order, now);
    if (expected === undefined) expect(verdict).toBeUndefined();
    else expect(verdict).toMatchObject(expected);
  });

  test("a failure message is cut to the wire's 256 characters", () => {
    const verdict = notificationVerdict(
      { resultStatus: 'F', resultCode: 'X', resultMessage: 'm'.repeat(300) },
      order,
      before,
    );
    expect(verdict?.failMessage).toHaveLength(256);
  });
});

function answer(
  status: 'S' | 'F' | 'U',
  data: Partial<InquiryPaymentResponse> = {},
  code = 'SUCCESS',
): OpenApiResult<InquiryPaymentResponse> {
  return { status, code, message: '', data: { result: { resultStatus: status, resultCode: code }, ...data } };
}

describe('inquiryVerdict', () => {
  test.each<[string, OpenApiResult<InquiryPaymentResponse>, number, object]>([
    ['SUCCESS → PAID', answer('S', { paymentStatus: 'SUCCESS' }), before, { kind: 'final', verdict: { to: 'PAID' } }],
    [
      'SUCCESS with the exact amount → PAID',
      answer('S', { paymentStatus: 'SUCCESS', paymentAmount: { currency: 'USD', value: '3200' } }),
      before,
      { kind: 'final' },
    ],
    [
      'SUCCESS for another value → mismatch',
      answer('S', { paymentStatus: 'SUCCESS', paymentAmount: { currency: 'USD', value: '3201' } }),
      before,
      { kind: 'mismatch', mismatch: 'amount' },
    ],
    [
      'SUCCESS with "03200" → mismatch (canonical digits only)',
      answer('S', { paymentStatus: 'SUCCESS', paymentAmount: { currency: 'USD', value: '03200' } }),
      before,
      { kind: 'mismatch', mismatch: 'amount' },
    ],
    [
      'SUCCESS in another currency → mismatch',
      answer('S', { paymentStatus: 'SUCCESS', paymentAmount: { currency: 'EUR', value: '3200' } }),
      before,
      { kind: 'mismatch', mismatch: 'currency' },
    ],
    [
      'FAIL → FAILED with paymentFailReason',
      answer('S', {
        paymentStatus: 'FAIL',
        paymentFailReason: { resultCode: 'USER_BALANCE_NOT_ENOUGH', resultMessage: 'Not enough' },
      }),
      before,
      { kind: 'final', verdict: { to: 'FAILED', failCode: 'USER_BALANCE_NOT_ENOUGH', failMessage: 'Not enough' } },
    ],
    [
      'FAIL with a string reason',
      answer('S', { paymentStatus: 'FAIL', paymentFailReason: 'declined' }),
      before,
      { kind: 'final', verdict: { failCode: 'PAYMENT_FAILED', failMessage: 'declined' } },
    ],
    [
      'CANCELLED before expiry → CANCELLED',
      answer('S', { paymentStatus: 'CANCELLED' }),
      before,
      { kind: 'final', verdict: { to: 'CANCELLED' } },
    ],
    [
      'CANCELLED at expiry → EXPIRED',
      answer('S', { paymentStatus: 'CANCELLED' }),
      after,
      { kind: 'final', verdict: { to: 'EXPIRED' } },
    ],
    ['PROCESSING → not final', answer('S', { paymentStatus: 'PROCESSING' }), before, { kind: 'not-final' }],
    [
      'F ORDER_NOT_EXIST past expiry → EXPIRED (the pay never arrived)',
      answer('F', {}, 'ORDER_NOT_EXIST'),
      after,
      { kind: 'final', verdict: { to: 'EXPIRED', detail: 'inquiry ORDER_NOT_EXIST' } },
    ],
    [
      'F ORDER_NOT_EXIST before expiry → no status (it may still arrive)',
      answer('F', {}, 'ORDER_NOT_EXIST'),
      before,
      { kind: 'no-status', refused: true },
    ],
    ['another F → no status, refused', answer('F', {}, 'ACCESS_DENIED'), after, { kind: 'no-status', refused: true }],
    ['U → no status', answer('U', {}, 'UNKNOWN_EXCEPTION'), after, { kind: 'no-status', refused: false }],
  ])('%s', (_name, result, now, expected) => {
    expect(inquiryVerdict(result, order, now)).toMatchObject(expected);
  });
});

test("a closed payment is EXPIRED from the order's expiry on, CANCELLED before", () => {
  expect([closedStatus(order, before), closedStatus(order, after)]).toEqual(['CANCELLED', 'EXPIRED']);
});
